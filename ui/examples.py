"""The example photos, paintings and clip shipped in examples/, with each painting's title and artist, and the
gallery that picks a painting."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONTENT_EXAMPLES = sorted((EXAMPLES / "contents").glob("*.jpg"))
CLIP_EXAMPLES = sorted((EXAMPLES / "clips").glob("*.mp4"))


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


def painting_gallery(style: gr.Image, elem_id: str) -> gr.Markdown:
    """The example paintings; a click puts one in `style` and says its title and artist (the Markdown returned)."""
    paintings = gr.Gallery(
        [(str(p.path), p.caption) for p in PAINTINGS], label="Example paintings: click one to use it",
        columns=4, height=250, allow_preview=False, format="jpeg", elem_id=elem_id,
    )  # fmt: skip
    info = gr.Markdown("", elem_id=f"{elem_id}-info")

    def pick(evt: gr.SelectData) -> tuple[str, str]:
        painting = PAINTINGS[evt.index]
        return str(painting.path), f"*{painting.title}*, {painting.artist}, {painting.year}"

    paintings.select(pick, None, [style, info], api_visibility="private")
    return info
