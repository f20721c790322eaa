"""Painted regions cost: the default 512 px run with and without masks, in one run, on the same photo.

    python -m bench.regions [--size 512] [--repeats 1]

Rows: one style everywhere (the baseline); one style in a painted region (the sky) with the rest kept;
two styles in two regions (sky and ground). Prints a table and writes it, with this command, into
docs/EXPERIMENTS.md. Reads the images in ../shared/images.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from bench.doc_tables import heading, write_section
from style_core import preset, stylize_image

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "images"
CONTENT = SHARED / "contents" / "rocket.jpg"
SKY_STYLE = SHARED / "styles" / "vangogh_starry_night.jpg"
GROUND_STYLE = SHARED / "styles" / "hokusai_great_wave.jpg"


def half_masks(folder: Path) -> tuple[Path, Path]:
    """The top 65 % (sky) and the rest (ground) of the photo, as white-on-black masks."""
    width, height = Image.open(CONTENT).size
    sky = np.zeros((height, width), np.uint8)
    sky[: int(0.65 * height)] = 255
    paths = folder / "sky.png", folder / "ground.png"
    Image.fromarray(sky).save(paths[0])
    Image.fromarray(255 - sky).save(paths[1])
    return paths


def timed(styles: list[Path], masks: list[Path] | None, size: int, repeats: int) -> float:
    config = preset("balanced").replace(size=size)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        stylize_image(CONTENT, styles, config, masks=masks)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    sky, ground = half_masks(folder)
    runs = {
        "one style everywhere (baseline)": ([SKY_STYLE], None),
        "one style in the sky, the rest kept": ([SKY_STYLE], [sky]),
        "two styles, sky and ground": ([SKY_STYLE, GROUND_STYLE], [sky, ground]),
    }
    seconds = {name: timed(styles, masks, args.size, args.repeats) for name, (styles, masks) in runs.items()}
    baseline = seconds["one style everywhere (baseline)"]
    rows = ["| run | wall time | ratio to baseline |", "|---|---|---|"]
    rows += [f"| {name} | {value:.1f} s | {value / baseline:.2f} |" for name, value in seconds.items()]
    command = "python -m bench.regions " + " ".join(sys.argv[1:])
    body = (
        heading(f"Painted regions: {args.size} px, balanced preset, rocket.jpg, best of {args.repeats}", "regions")
        + "\n\n"
        + "\n".join(rows)
        + f"\n\nCommand: `{command.strip()}`"
    )
    print(body)
    write_section("regions", body)


if __name__ == "__main__":
    main()
