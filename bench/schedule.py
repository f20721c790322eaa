"""Which schedule, padding and style loss to make the default: candidates side by side on real pairs.

    python bench/schedule.py [--pairs astronaut] [--candidates "today's default,zeros,..."] [--section schedule]

Each candidate is a set of changes to today's default at 512 px (bfloat16 where native, canvas padding,
256/322/406/512 px, 40/22/12/7 steps), run one after another in this process (nothing else should run meanwhile):
wall time, first preview, the fixed evaluator of bench/speed.py, the border excess, and the image in
bench/results/schedule_<photo>_<candidate>.png. The table goes into docs/BENCHMARKS.md (its --section).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import write_section  # noqa: E402  (bench/report.py)
from speed import OUT, PAIRS, Evaluator  # noqa: E402  (bench/speed.py)

from style_core import StyleConfig, stylize  # noqa: E402
from style_core.images import border_score, load_image, resize_long_side  # noqa: E402

# The default before the eighth session: two scales, 256/512 px, 60/15 steps. Candidates named by their
# schedule spell it out, so they keep their meaning when the default changes.
TWO_SCALES = {"scales": 2, "scale_factor": 2.0, "iterations": 60, "fine_steps_ratio": 0.25}
THREE_SCALES = {"scales": 3, "scale_factor": 2**0.5}
FOUR_SCALES = {"scales": 4, "scale_factor": 1.26}
CANDIDATES: dict[str, dict] = {
    "today's default": {},
    "256/512 60/15": TWO_SCALES,
    "mirror": {**TWO_SCALES, "padding": "mirror"},
    "zeros": {**TWO_SCALES, "padding": "zeros"},
    "reflect": {**TWO_SCALES, "padding": "reflect"},
    "replicate": {**TWO_SCALES, "padding": "replicate"},
    "canvas": {**TWO_SCALES, "padding": "canvas"},
    "canvas 256/362/512 56/21/8": {**THREE_SCALES, "padding": "canvas", "iterations": 56, "fine_steps_ratio": 0.375},
    "mirror 256/362/512 56/21/8": {**THREE_SCALES, "padding": "mirror", "iterations": 56, "fine_steps_ratio": 0.375},
    "256/362/512 52/23/11": {**THREE_SCALES, "iterations": 52, "fine_steps_ratio": 0.45},
    "256/362/512 44/24/13": {**THREE_SCALES, "iterations": 44, "fine_steps_ratio": 0.55},
    "256/322/406/512 44/24/13/7": {**FOUR_SCALES, "iterations": 44, "fine_steps_ratio": 0.55},
    "256/322/406/512 36/22/13/8": {**FOUR_SCALES, "iterations": 36, "fine_steps_ratio": 0.6},
    "181/256/362/512 100/40/16/6": {"scales": 4, "scale_factor": 2**0.5, "iterations": 100, "fine_steps_ratio": 0.4},
    "128/256/512 150/45/14": {"scales": 3, "scale_factor": 2.0, "iterations": 150, "fine_steps_ratio": 0.3},
    "256/362/512 60/24/10": {**THREE_SCALES, "iterations": 60, "fine_steps_ratio": 0.4},
    "256/512 72/18": {**TWO_SCALES, "iterations": 72},
    "stop rule 0.3": {**TWO_SCALES, "min_change": 0.3},
    "adam 120/30": {**TWO_SCALES, "optimizer": "adam", "learning_rate": 0.02, "iterations": 120},
    "adam 40/22/12/7": {
        **FOUR_SCALES,
        "optimizer": "adam",
        "learning_rate": 0.02,
        "iterations": 40,
        "fine_steps_ratio": 0.55,
    },
    "w2": {"style_loss": "w2"},
    "w2 48/12": {**TWO_SCALES, "style_loss": "w2", "iterations": 48},
}


def run(name: str, content: Path, style: Path, changes: dict, evaluate: Evaluator, photo_border: float) -> str:
    config = StyleConfig(size=512).replace(**changes)
    started, first = time.perf_counter(), None
    for event in stylize(content, style, config):
        if first is None and event.preview is not None:
            first = time.perf_counter() - started
        if event.done:
            image, steps = event.image, event.total_step
    wall = time.perf_counter() - started
    OUT.mkdir(parents=True, exist_ok=True)
    image.save(OUT / f"schedule_{content.stem}_{name.replace(' ', '_').replace('/', '-')}.png")
    return (f"| {content.stem} | {name} | {steps} | {wall:.1f} | {first:.2f} | {evaluate(image):.4g} | "
            f"{border_score(image) - photo_border:.1f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default="astronaut")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--section", default="schedule", help="the section of docs/BENCHMARKS.md to write")
    parser.add_argument("--title", default="Schedule candidates", help="the section's heading")
    args = parser.parse_args()
    pairs = {name: (content, style) for name, content, style in PAIRS}
    rows = ["| photo | candidate | steps | wall s | first preview s | evaluator loss | border excess |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    for pair in args.pairs.split(","):
        content, style = pairs[pair]
        evaluate = Evaluator(content, style)
        photo_border = border_score(resize_long_side(load_image(content), 512))
        for name in args.candidates.split(","):
            rows.append(run(name, content, style, CANDIDATES[name], evaluate, photo_border))
            print(rows[-1], flush=True)
    command = "python bench/schedule.py " + shlex.join(sys.argv[1:])
    body = f"## {args.title} (bench/schedule.py)\n\nCommand: `{command}`\n\n" + "\n".join(rows)
    write_section(args.section, body)


if __name__ == "__main__":
    main()
