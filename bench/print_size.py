"""Print size: a finished 512 px result taken to 1024, 2048 and 4096 px (style_core.config.print_settings),
refined in tiles, and whole where that fits; time, peak memory and seams, in float32.

    python -m bench.print_size                        # sizes 1024,2048,4096 (1024 is never tiled); whole at 2048
    python -m bench.print_size --sizes 2048 --whole 2048 --steps 4

Each run is its own process, so its peak resident memory (ru_maxrss) is its own. The time is also given in
units of one float32 VGG19 forward and backward at 512x512 measured in the same run (style_core.cost). Seams
(style_core.tiles.seam_score): the colour step between neighbouring rows and columns on the tiles' borders
(their edges and the ends of the blend ramps) over the step on the lines within 16 px of them (1 = no seam;
the whole run is scored on the same lines). Writes
each result and a 3x crop of the first inner tile corner (tiled and whole side by side) to bench/results/, and
the table into docs/BENCHMARKS.md between its print table markers.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from bench.doc_tables import publish_table
from style_core import preset, stylize_image
from style_core.config import print_settings
from style_core.cost import measure_unit
from style_core.images import to_tensor
from style_core.tiles import Tile, needs_tiles, plan_tiles, seam_score, tile_side
from style_core.transfer import canvas_margin, working_size

ROOT = Path(__file__).resolve().parent.parent

SHARED = ROOT.parent / "shared" / "images"
PHOTO = SHARED / "kodak24" / "kodim23.png"
PAINTING = SHARED / "styles" / "vangogh_starry_night.jpg"
RESULTS = ROOT / "bench" / "results"
TILE_SIZE = 1024


def border_tiles(config, size: tuple[int, int]) -> list[Tile]:
    """The tiles of the print's canvas, in the result's coordinates (the canvas margin taken off)."""
    if not needs_tiles(config.size, TILE_SIZE):
        return []
    margin = canvas_margin(config, config.size)
    tiles = plan_tiles(size[1] + 2 * margin, size[0] + 2 * margin, TILE_SIZE)
    return [Tile(t.top - margin, t.left - margin, t.height, t.width) for t in tiles]


def child(size: int, tile_size: int, steps: int, start: Path) -> dict:
    config = print_settings(preset("balanced").replace(precision="float32"), size)
    config = config.replace(tile_size=tile_size, iterations=steps)
    started = time.perf_counter()
    image = stylize_image(PHOTO, PAINTING, config, start=start)
    seconds = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    path = RESULTS / f"print_{size}_{'tiled' if tile_size else 'whole'}.png"
    image.save(path)
    tiles = len(border_tiles(config, image.size)) or 1
    return {"seconds": seconds, "peak_gb": peak_gb, "tiles": tiles, "path": str(path)}


def seams(size: int, path: str) -> float:
    """The seam score (style_core.tiles.seam_score) of a print on the tiled run's borders."""
    image = Image.open(path)
    tiles = border_tiles(print_settings(preset("balanced"), size), image.size)
    return seam_score(to_tensor(image), [t for t in tiles if t.top >= 0 and t.left >= 0], tile_side(TILE_SIZE))


def run_child(size: int, tile_size: int, steps: int, start: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.print_size",
        "--child",
        f"{size},{tile_size},{steps}",
        "--start",
        str(start),
    ]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    return result | {"seams": seams(size, result["path"])}


def corner_crop(size: int, tiled: Path, whole: Path | None) -> Path:
    """The first inner tile corner, 96 px around it, enlarged 3x; tiled left, whole right."""
    image = Image.open(tiled)
    config = print_settings(preset("balanced"), size)
    inner = [t for t in border_tiles(config, image.size) if t.top > 0 and t.left > 0]
    if not inner:
        inner = [t for t in border_tiles(config, image.size) if t.top > 0 or t.left > 0]
    x, y = (inner[0].left, inner[0].top) if inner else (image.width // 2, image.height // 2)
    box = (max(0, x - 48), max(0, y - 48), max(0, x - 48) + 96, max(0, y - 48) + 96)
    paths = [path for path in (tiled, whole) if path]
    panels = [Image.open(path).crop(box).resize((288, 288), Image.Resampling.NEAREST) for path in paths]
    sheet = Image.new("RGB", (300 * len(panels), 288), "white")
    for index, panel in enumerate(panels):
        sheet.paste(panel, (300 * index, 0))
    path = RESULTS / f"print_{size}_corner_3x.png"
    sheet.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1024,2048,4096")
    parser.add_argument("--whole", default="2048", help="sizes also run untiled (where memory allows)")
    parser.add_argument("--steps", type=int, default=print_settings(preset("balanced")).iterations)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--start", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.child:
        size, tile_size, steps = map(int, args.child.split(","))
        print(json.dumps(child(size, tile_size, steps, Path(args.start))))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    start = RESULTS / "print_start_512.png"
    stylize_image(PHOTO, PAINTING, preset("balanced").replace(precision="float32")).save(start)
    unit = measure_unit("cpu", "float32")
    rows = []
    for size in map(int, args.sizes.split(",")):
        tiled = run_child(size, TILE_SIZE, args.steps, start)
        whole = run_child(size, 0, args.steps, start) if str(size) in args.whole.split(",") else None
        crop = corner_crop(size, Path(tiled["path"]), Path(whole["path"]) if whole else None)
        print(f"{size}: tiled {tiled}, whole {whole}, corner crop {crop.name}", flush=True)
        width, height = working_size(Image.open(PHOTO), size)
        whole_cells = "not tiled at this size | | " if tiled["tiles"] == 1 else "not run (needs about 30 GB) | | "
        if whole:
            seconds = f"{whole['seconds']:.0f} s ({whole['seconds'] / unit:.0f} u)"
            whole_cells = f"{seconds} | {whole['peak_gb']:.1f} | {whole['seams']:.2f}"
        rows.append(
            f"| {width}x{height} | {tiled['tiles']} | {tiled['seconds']:.0f} s ({tiled['seconds'] / unit:.0f} u) "
            f"| {tiled['peak_gb']:.1f} | {tiled['seams']:.2f} | {whole_cells} |"
        )
    command = f"python -m bench.print_size --sizes {args.sizes} --whole {args.whole} --steps {args.steps}"
    intro = (f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, float32, {args.steps} steps from a 512 px result, "
             f"tile size {TILE_SIZE}; unit {unit:.2f} s.")  # fmt: skip
    columns = ["print", "tiles", "tiled: time", "tiled: peak GB", "tiled: seams", "whole: time", "whole: peak GB",
               "whole: seams"]  # fmt: skip
    publish_table("print", intro, columns, rows, write=not args.no_write)


if __name__ == "__main__":
    main()
