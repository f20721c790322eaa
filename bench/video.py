"""Video flicker and speed: frame by frame against the temporal method (style_core.video), in float32.

    python -m bench.video                       # two clips, 12 frames each, 256 px; the temporal method at 384 px
    python -m bench.video --frames 24 --sizes 256,384

Clips, made by examples/make_clip.py's functions from real photos: a camera pan and zoom over kodim23 (the
parrots), and a round cut-out of the cat (examples/contents) gliding over kodim16. Flicker is the warping
error: the mean difference (0-255) between each stylized frame and the previous one warped by the input
clip's optical flow, over the pixels where that flow is reliable (style_core.video.warping_error). Seconds
per frame count the frames after the first (the first is an ordinary run), also in units of one float32
VGG19 forward and backward at 512x512 measured in the same run. Writes each result as MP4 and a side-by-side
MP4 (frame by frame left, temporal right) and a PNG strip of four frames into bench/results/, and the table
into docs/BENCHMARKS.md between its video table markers.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from PIL import Image

from bench.doc_tables import publish_table
from examples.make_clip import camera_move, moving_subject
from style_core import preset
from style_core.cost import measure_unit
from style_core.video import Clip, stylize_video, warping_error, write_mp4

ROOT = Path(__file__).resolve().parent.parent

SHARED = ROOT.parent / "shared" / "images"
PAINTING = SHARED / "styles" / "vangogh_starry_night.jpg"
RESULTS = ROOT / "bench" / "results"


def clips(frames: int) -> dict[str, Clip]:
    parrots = Image.open(SHARED / "kodak24" / "kodim23.png")
    cat, background = (
        Image.open(ROOT / "examples" / "contents" / "cat.jpg"),
        Image.open(SHARED / "kodak24" / "kodim16.png"),
    )
    return {
        "camera pan and zoom (kodim23)": Clip(camera_move(parrots, frames), 10.0),
        "moving subject (cat over kodim16)": Clip(moving_subject(background, cat, frames), 10.0),
    }


def stylize(clip: Clip, size: int, temporal: bool) -> tuple[list[Image.Image], float]:
    """The frames and the seconds per frame after the first."""
    config = preset("balanced").replace(size=size, precision="float32")
    first_done, result = None, None
    for event in stylize_video(clip, PAINTING, config, temporal=temporal, preview_every=1e9):
        if event.done_frame is not None and first_done is None:
            first_done = time.perf_counter()
        if event.done:
            result = event.result
    return result, (time.perf_counter() - first_done) / max(1, len(clip.frames) - 1)


def side_by_side(left: list[Image.Image], right: list[Image.Image], name: str) -> None:
    width, height = left[0].size
    frames = []
    for a, b in zip(left, right):
        frame = Image.new("RGB", (2 * width + 8, height), "white")
        frame.paste(a, (0, 0))
        frame.paste(b, (width + 8, 0))
        frames.append(frame)
    write_mp4(frames, 10.0, RESULTS / f"video_{name}_side_by_side.mp4")
    picks = [round(k * (len(frames) - 1) / 3) for k in range(4)]
    strip = Image.new("RGB", (frames[0].width, 4 * height + 24), "white")
    for row, k in enumerate(picks):
        strip.paste(frames[k], (0, row * (height + 8)))
    strip.save(RESULTS / f"video_{name}_strip.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--sizes", default="256,384", help="the first also runs frame by frame")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    unit = measure_unit("cpu", "float32")
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for label, clip in clips(args.frames).items():
        name = label.split(" (")[0].replace(" ", "_")
        alone, alone_s = stylize(clip, sizes[0], temporal=False)
        for size in sizes:
            held, held_s = stylize(clip, size, temporal=True)
            error = warping_error(held, clip.frames)
            alone_cells = "| | "
            if size == sizes[0]:
                side_by_side(alone, held, name)
                alone_cells = f"| {warping_error(alone, clip.frames):.1f} | {alone_s:.1f} ({alone_s / unit:.1f} u) "
            rows.append(f"| {label} | {size} {alone_cells}| {error:.1f} | {held_s:.1f} ({held_s / unit:.1f} u) |")
            print(rows[-1], flush=True)
    command = f"python -m bench.video --frames {args.frames} --sizes {args.sizes}"
    intro = (f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, float32, `balanced` at each size, The Starry Night, "
             f"{args.frames} frames at 10 fps; unit {unit:.2f} s.")  # fmt: skip
    columns = ["clip", "px", "frame by frame: flicker", "frame by frame: s/frame", "temporal: flicker",
               "temporal: s/frame"]  # fmt: skip
    publish_table("video", intro, columns, rows, write=not args.no_write)


if __name__ == "__main__":
    main()
