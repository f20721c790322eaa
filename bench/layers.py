"""The Layers tab's expected time against the time taken: the paper's Figure 1 (style_core.explore) at a few
settings, each timed once, beside what `figure_units` predicts from the unit (one float32 VGG19 forward and
backward at 512x512) measured before it.

    python -m bench.layers [--no-write]

The photo is the cat (examples/contents, 3:2) and the painting The Starry Night (examples/styles). The table goes
into docs/BENCHMARKS.md between its layers table markers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.doc_tables import cpu_name, publish_table
from style_core.cost import measure_unit
from style_core.explore import ExploreConfig, explore, figure_units
from ui.machine import photo_aspect

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "examples" / "contents" / "cat.jpg"
PAINTING = ROOT / "examples" / "styles" / "vangogh_starry_night.jpg"
SETTINGS = [  # kind, size, steps: the page's default, then its other ends
    ("both", 192, 50),
    ("content", 256, 50),
    ("style", 128, 100),
    ("both", 96, 20),
]


def timed_figure(config: ExploreConfig) -> float:
    started = time.perf_counter()
    for _ in explore(PHOTO, PAINTING, config):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    timed_figure(ExploreConfig(size=64, steps=2))  # loads the weights: not counted
    rows = []
    for kind, size, steps in SETTINGS:
        config = ExploreConfig(kind=kind, size=size, steps=steps)
        unit = measure_unit(precision="float32", repeats=3)
        predicted = figure_units(config, photo_aspect(str(PHOTO)), photo_aspect(str(PAINTING))) * unit
        seconds = timed_figure(config)
        rows.append(f"| {kind} | {size} | {steps} | {unit:.2f} | {predicted:.0f} | {seconds:.0f} | "
                    f"{100 * (predicted / seconds - 1):+.0f}% |")  # fmt: skip
        print(rows[-1], flush=True)
    command = " ".join(["python -m bench.layers", *sys.argv[1:]])
    intro = f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, the cat with The Starry Night."
    columns = ["rows", "px", "steps per cell", "unit s", "the line says, s", "took, s", "line vs taken"]
    publish_table("layers", intro, columns, rows, write=not args.no_write)


if __name__ == "__main__":
    main()
