"""The example photos and paintings shipped in examples/, with each painting's title and artist."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONTENT_EXAMPLES = sorted((EXAMPLES / "contents").glob("*.jpg"))


@dataclass(frozen=True)
class Painting:
    path: Path
    title: str
    artist: str  # with the year of death, e.g. "Vincent van Gogh (d. 1890)"
    year: str

    @property
    def caption(self) -> str:
        return f"{self.title}, {self.artist.split(' (')[0]}"


def _paintings() -> list[Painting]:
    entries = json.loads((EXAMPLES / "styles" / "paintings.json").read_text())
    return [Painting(EXAMPLES / "styles" / e["file"], e["title"], e["artist"], e["year"]) for e in entries]


PAINTINGS = _paintings()
PAINTINGS_BY_CAPTION = {painting.caption: painting for painting in PAINTINGS}
