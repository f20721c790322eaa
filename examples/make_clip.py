"""Make examples/clips/cat_pan.mp4, the page's example clip: a 3 s camera pan and zoom over the CC0 photo
examples/contents/cat.jpg (see make_examples.py for its source), 320x212 at 10 frames per second.

    python examples/make_clip.py

bench/video.py makes its clips with the same functions: a camera move, and a subject moving over a still
background.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SIZE = (320, 212)
FPS = 10.0


def camera_move(
    photo: Image.Image,
    frames: int,
    size: tuple[int, int] = SIZE,
    zoom: float = 1.3,
    pan: tuple[float, float] = (0.12, 0.05),
) -> list[Image.Image]:
    """A camera zooming in by `zoom` while panning by `pan` (shares of the photo's width and height)."""
    photo = photo.convert("RGB")
    width, height = photo.size
    view_width = min(width, height * size[0] / size[1])
    clip = []
    for k in range(frames):
        t = k / max(1, frames - 1)
        w = view_width / (1 + (zoom - 1) * t)
        h = w * size[1] / size[0]
        centre_x = width / 2 + (pan[0] * t - pan[0] / 2) * width
        centre_y = height / 2 + (pan[1] * t - pan[1] / 2) * height
        left = min(max(0.0, centre_x - w / 2), width - w)
        top = min(max(0.0, centre_y - h / 2), height - h)
        clip.append(photo.resize(size, Image.Resampling.BICUBIC, box=(left, top, left + w, top + h)))
    return clip


def moving_subject(
    background: Image.Image, subject: Image.Image, frames: int, size: tuple[int, int] = SIZE
) -> list[Image.Image]:
    """A round cut-out of `subject` gliding across a still `background`, left to right, dipping on its way."""
    scene = background.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    disc = size[1] // 2
    cut = subject.convert("RGB").resize((disc, disc), Image.Resampling.LANCZOS)
    mask = Image.new("L", (disc, disc), 0)
    ImageDraw.Draw(mask).ellipse((2, 2, disc - 3, disc - 3), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(1))
    clip = []
    for k in range(frames):
        t = k / max(1, frames - 1)
        x = round(t * (size[0] - disc))
        y = round((size[1] - disc) * (0.2 + 0.6 * 4 * t * (1 - t)))
        frame = scene.copy()
        frame.paste(cut, (x, y), mask)
        clip.append(frame)
    return clip


def main() -> None:
    from style_core.video import write_mp4

    frames = camera_move(Image.open(HERE / "contents" / "cat.jpg"), frames=30)
    (HERE / "clips").mkdir(exist_ok=True)
    write_mp4(frames, FPS, HERE / "clips" / "cat_pan.mp4")
    print(f"wrote examples/clips/cat_pan.mp4 ({len(frames)} frames, {SIZE[0]}x{SIZE[1]}, {FPS:g} fps)")


if __name__ == "__main__":
    main()
