"""The example photos, paintings and clip shipped in examples/, with each painting's title and artist, and the
galleries that pick them (small thumbnails: the full pictures load only when picked)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from PIL import Image

from style_core.denoise import add_gaussian_noise
from style_core.images import load_image, to_pil, to_tensor

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CLIP_EXAMPLES = sorted((EXAMPLES / "clips").glob("*.mp4"))
THUMBNAILS = Path(tempfile.gettempdir()) / "style_transfer_studio_thumbnails"
THUMBNAIL_SIDE = 192  # px: a gallery tile at twice its size on screen


def _made_once(source: Path, kind: str, suffix: str, make: Callable[[Path], None]) -> str:
    """The file `make` writes from `source` (into the path it is given), made once per version of `source`."""
    made = THUMBNAILS / f"{source.stem}_{kind}{source.stat().st_mtime_ns}{suffix}"
    if not made.is_file():
        THUMBNAILS.mkdir(exist_ok=True)
        partial = made.with_name(f"{made.stem}.{os.getpid()}.part{suffix}")  # two servers at once never share one
        make(partial)
        os.replace(partial, made)
    return str(made)


def thumbnail(path: Path) -> str:
    """A small JPEG of `path` for a gallery tile, made once per file version."""

    def make(out: Path) -> None:
        with Image.open(path) as image:
            image.convert("RGB").resize(_fit(image.size), Image.Resampling.LANCZOS).save(out, quality=85)

    return _made_once(path, "", ".jpg", make)


def _fit(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(1.0, THUMBNAIL_SIDE / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


@dataclass(frozen=True)
class Painting:
    path: Path
    title: str
    artist: str  # with the year of death, e.g. "Vincent van Gogh (d. 1890)"
    year: str

    @property
    def caption(self) -> str:
        return f"{self.title}, {self.artist.split(' (')[0]}"

    @property
    def credit(self) -> str:
        return f"*{self.title}*, {self.artist}, {self.year}"


def _paintings() -> list[Painting]:
    entries = json.loads((EXAMPLES / "styles" / "paintings.json").read_text())
    return [Painting(EXAMPLES / "styles" / e["file"], e["title"], e["artist"], e["year"]) for e in entries]


PAINTINGS = _paintings()
PAINTINGS_BY_CAPTION = {painting.caption: painting for painting in PAINTINGS}


def example_painting(path: str | None) -> Painting | None:
    """The example painting a file is (the page holds a copy of it in Gradio's cache, under another name)."""
    if not path or not Path(path).is_file():
        return None
    return _by_digest().get(hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest())


@functools.cache
def _by_digest() -> dict[str, Painting]:
    return {hashlib.blake2b(p.path.read_bytes(), digest_size=16).hexdigest(): p for p in PAINTINGS}


# (path, caption): the example photos, named for screen readers and the gallery alike.
PHOTOS = [
    (EXAMPLES / "contents" / e["file"], e["caption"])
    for e in json.loads((EXAMPLES / "contents" / "photos.json").read_text())
]


NOISY_SIGMA = 25  # of 255: about what a phone's small sensor gives in dim light
NOISY_CAPTION = f"{PHOTOS[0][1]}, with noise of sigma {NOISY_SIGMA} added"


def noisy_photo() -> str:
    """The Denoise tab's example: the first example photo with Gaussian noise added (a fixed seed), as a PNG (a
    JPEG would smooth the noise away), made once per file version."""
    path, _ = PHOTOS[0]

    def make(out: Path) -> None:
        to_pil(add_gaussian_noise(to_tensor(load_image(path)), NOISY_SIGMA)).save(out)

    return _made_once(path, f"noisy_{NOISY_SIGMA}_", ".png", make)


def photo_gallery(content: gr.Image, elem_id: str) -> gr.events.Dependency:
    """The example photos; a click puts one in `content` (the event returned, to chain on)."""
    photos = gr.Gallery(
        [(thumbnail(path), caption) for path, caption in PHOTOS], label="Example photos: click one to use it",
        columns=4, height=236, allow_preview=False, format="jpeg", elem_id=elem_id, buttons=[],
        elem_classes=["example-photos"],
    )  # fmt: skip

    def pick(evt: gr.SelectData) -> str:
        return str(PHOTOS[evt.index][0])

    return photos.select(pick, None, [content], api_visibility="private")


def painting_gallery(style: gr.Image, elem_id: str) -> tuple[gr.Markdown, gr.events.Dependency]:
    """The example paintings; a click puts one in `style` and says its title and artist (the Markdown returned,
    and the click's event, to chain on)."""
    paintings = gr.Gallery(
        [(thumbnail(p.path), p.caption) for p in PAINTINGS], label="Example paintings: click one to use it",
        columns=4, height=250, allow_preview=False, format="jpeg", elem_id=elem_id, buttons=[],
        elem_classes=["example-paintings"],
    )  # fmt: skip
    info = gr.Markdown("", elem_id=f"{elem_id}-info")

    def pick(evt: gr.SelectData) -> tuple[str, str]:
        painting = PAINTINGS[evt.index]
        return str(painting.path), painting.credit

    picked = paintings.select(pick, None, [style, info], api_visibility="private")
    return info, picked
