"""Which start and schedule to make the default: candidates side by side on real pairs, timed in units.

    python -m bench.schedule [--pairs astronaut,coffee,...] [--candidates "name,name"] [--precision float32]
                             [--section schedule] [--title "..."]

Each candidate spells out its start and schedule in full (so its name keeps its meaning when the default
changes) and runs at 512 px, one after another in this process (nothing else should run meanwhile). Time is
given in units: one float32 VGG19 forward and backward pass at 512x512 (style_core.cost.measure_unit),
measured before each pair's candidates, so machines of any speed can be compared. Per run: steps, wall
time, units, first preview, the fixed evaluator of bench/speed.py (32 px inset) and its change against the
first candidate, the border excess; per pair a sheet of every candidate side by side in
bench/results/schedule_<pair>.png. The table goes into docs/EXPERIMENTS.md (its --section).
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path

from bench.doc_tables import heading, write_section
from bench.quality import CANDIDATES as QUALITY_CANDIDATES
from bench.speed import IMAGES, OUT, PAIRS, Evaluator, side_by_side
from style_core import StyleConfig, stylize
from style_core.config import named_style_layers
from style_core.cost import measure_unit, run_units
from style_core.images import border_score, load_image, resize_long_side
from style_core.transfer import STYLE_MOMENTS

ROOT = Path(__file__).resolve().parent.parent

# bench/speed.py's five pairs, and two Kodak photos: flat sea and sky under Turner's JPEG-blocky scan, and
# parrots under Picabia's clean flat shapes.
SCHEDULE_PAIRS = [
    *PAIRS,
    ("kodim16", IMAGES / "kodak24" / "kodim16.png", IMAGES / "styles" / "turner_wreck_of_a_transport_ship.jpg"),
    ("kodim23", IMAGES / "kodak24" / "kodim23.png", IMAGES / "styles" / "picabia_udnie.jpg"),
]


def schedule(sizes_factor: float, scales: int, iterations: int, ratio: float, init: str, relu4_1: float = 1.0) -> dict:
    return {"init": init, "scales": scales, "scale_factor": sizes_factor, "iterations": iterations,
            "fine_steps_ratio": ratio, "style_layers": {**named_style_layers("equal"), "relu4_1": relu4_1}}  # fmt: skip


# Name -> settings over StyleConfig(size=512). Names say the start, the scale sizes and the steps, and relu4_1's
# style weight where it is not 1 (the other style layers weigh 1).
CANDIDATES: dict[str, dict] = {
    "content 256/322/406/512 40/22/12/7": schedule(1.26, 4, 40, 0.55, "content"),
    "feedforward 256/322/406/512 40/22/12/7": schedule(1.26, 4, 40, 0.55, "feedforward"),
    "feedforward 512 6": schedule(1.26, 1, 6, 1.0, "feedforward"),
    "feedforward 512 8": schedule(1.26, 1, 8, 1.0, "feedforward"),
    "feedforward 512 10": schedule(1.26, 1, 10, 1.0, "feedforward"),
    "feedforward 512 12": schedule(1.26, 1, 12, 1.0, "feedforward"),
    "feedforward 512 8 relu4_1:3": schedule(1.26, 1, 8, 1.0, "feedforward", relu4_1=3.0),
    "feedforward 512 8 relu4_1:4": schedule(1.26, 1, 8, 1.0, "feedforward", relu4_1=4.0),
    "feedforward 512 8 relu4_1:8": schedule(1.26, 1, 8, 1.0, "feedforward", relu4_1=8.0),
    "feedforward 362/512 8/4": schedule(2**0.5, 2, 8, 0.5, "feedforward"),
    "feedforward 362/512 10/5": schedule(2**0.5, 2, 10, 0.5, "feedforward"),
    "feedforward 256/362/512 12/6/3": schedule(2**0.5, 3, 12, 0.5, "feedforward"),
    "feedforward 256/512 16/4": schedule(2.0, 2, 16, 0.25, "feedforward"),
    "feedforward 256/322/406/512 12/7/4/2": schedule(1.26, 4, 12, 0.55, "feedforward"),
    "feedforward 406/512 8/4": schedule(1.26, 2, 8, 0.5, "feedforward"),
    "feedforward 322/406/512 8/5/3": schedule(1.26, 3, 8, 0.6, "feedforward"),
    # The five-scale default of 2026-12-06 and its cheaper schedule, for the float32 time target: bench/quality.py's.
    **{
        name: QUALITY_CANDIDATES[name]
        for name in ("feedforward 128..512 48/26/15/8/4", "feedforward 128..512 36/21/12/7/4")
    },
}


def run(name: str, content: Path, style: Path, changes: dict, precision: str) -> tuple:
    config = StyleConfig(size=512, precision=precision).replace(**changes)
    STYLE_MOMENTS.entries.clear()  # every run pays for its painting's targets, as a first run does
    started, first = time.perf_counter(), None
    for event in stylize(content, style, config):
        if first is None and event.preview is not None:
            first = time.perf_counter() - started
        if event.done:
            image, steps = event.image, event.total_step
    wall = time.perf_counter() - started
    aspect = min(image.size) / max(image.size)
    return image, steps, wall, first, run_units(config, aspect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default=",".join(name for name, _, _ in SCHEDULE_PAIRS))
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--precision", default="float32", choices=("float32", "bfloat16", "auto"))
    parser.add_argument("--section", default="schedule", help="the section of docs/EXPERIMENTS.md to write")
    parser.add_argument("--title", default="Schedule candidates", help="the section's heading")
    args = parser.parse_args()
    pairs = {name: (content, style) for name, content, style in SCHEDULE_PAIRS}
    names = args.candidates.split(",")
    units = []
    rows = ["| pair | candidate | steps | wall s | units | predicted units | first preview s | evaluator | "
            "vs first | border excess |", "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for pair in args.pairs.split(","):
        units.append(measure_unit(precision="float32", repeats=3))  # the machine drifts: a unit per pair
        print(f"unit (float32 VGG19 forward+backward at 512x512): {units[-1]:.2f} s", flush=True)
        content, style = pairs[pair]
        evaluate = Evaluator(content, style, inset=32)
        photo_border = border_score(resize_long_side(load_image(content), 512))
        panels, baseline = [], None
        for name in names:
            image, steps, wall, first, predicted = run(name, content, style, CANDIDATES[name], args.precision)
            score = evaluate(image)
            baseline = baseline or score
            panels.append((name, image))
            rows.append(f"| {pair} | {name} | {steps} | {wall:.1f} | {wall / units[-1]:.1f} | {predicted:.1f} | "
                        f"{first:.2f} | {score:.4g} | {100 * (score / baseline - 1):+.0f}% | "
                        f"{border_score(image) - photo_border:.1f} |")  # fmt: skip
            print(rows[-1], flush=True)
            image.save(OUT / f"schedule_{pair}_{name.replace(' ', '_').replace('/', '-')}.png")
        side_by_side(panels, OUT / f"schedule_{pair}.png")
    command = "python -m bench.schedule " + shlex.join(sys.argv[1:])
    body = (f"{heading(args.title, 'schedule')}\n\nCommand: `{command}` ({time.strftime('%Y-%m-%d')}; "
            f"precision {args.precision}; the unit, one float32 VGG19 forward and backward pass at 512x512, "
            f"measured before each pair's runs: {min(units):.2f}-{max(units):.2f} s, median "
            f"{statistics.median(units):.2f} s).\n\n" + "\n".join(rows))  # fmt: skip
    write_section(args.section, body)


if __name__ == "__main__":
    main()
