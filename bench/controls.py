"""Do the controls visibly change the picture at the default settings? For each pair, two runs per control
at its two ends, and the mean pixel difference between them (0-255, at the output size):

- style strength 0.1 against 10 (alpha/beta a hundredfold apart: mostly photo against mostly painting);
- style layers relu1_1 alone against relu1_1..relu5_1 (the paper's Figure 3 rows: fine texture against the
  painting's larger structures).

    python -m bench.controls [--pairs astronaut,coffee,...] [--preset balanced] [--size 512]

Runs one after another in this process (nothing else should run meanwhile). Each pair's four pictures side by
side go to bench/results/controls_<pair>.png, to look at. The table goes into docs/BENCHMARKS.md ("Do the
controls matter?").
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from bench.doc_tables import cpu_name, publish_table
from bench.speed import IMAGES, OUT, PAIRS, side_by_side
from style_core import preset, stylize_image

KODAK = IMAGES / "kodak24"
ALL_PAIRS = [
    *PAIRS,
    ("kodim16", KODAK / "kodim16.png", IMAGES / "styles" / "turner_wreck_of_a_transport_ship.jpg"),
    ("kodim23", KODAK / "kodim23.png", IMAGES / "styles" / "picabia_udnie.jpg"),
    ("kodim04", KODAK / "kodim04.png", IMAGES / "styles" / "vangogh_starry_night.jpg"),
]
# Each control's two ends, as settings over the preset.
ENDS = {
    "strength 0.1 / 10": ({"strength": 0.1}, {"strength": 10.0}),
    "relu1_1 / relu1_1..relu5_1": (
        {"style_layers": {"relu1_1": 1.0}},
        {"style_layers": {name: 1.0 for name in ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")}},
    ),
}


def difference(a, b) -> float:
    return float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).mean())


def measure(name: str, content: Path, style: Path, preset_name: str, size: int) -> dict[str, float]:
    base = preset(preset_name).replace(size=size)
    found, panels = {}, []
    for control, (low, high) in ENDS.items():
        pictures = [stylize_image(content, style, base.replace(**ends)) for ends in (low, high)]
        found[control] = difference(*pictures)
        panels += [(f"{control.split(' / ')[0]}", pictures[0]), (f"{control.split(' / ')[1]}", pictures[1])]
        print(f"{name}: {control}: {found[control]:.1f}/255", flush=True)
    side_by_side(panels, OUT / f"controls_{name}.png")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--preset", default="balanced")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    chosen = args.pairs.split(",") if args.pairs else [name for name, _, _ in ALL_PAIRS]
    rows = []
    for name, content, style in ALL_PAIRS:
        if name in chosen:
            found = measure(name, content, style, args.preset, args.size)
            rows.append(f"| {name} x {style.stem} | " + " | ".join(f"{found[c]:.1f}" for c in ENDS) + " |")
    command = " ".join(["python -m bench.controls", *sys.argv[1:]])
    intro = (
        f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, preset {args.preset} at {args.size} px "
        "(the precision the preset picks); mean pixel difference, 0-255, between each control's two ends."
    )
    publish_table("controls", intro, ["pair", *ENDS], rows, write=not args.no_write)


if __name__ == "__main__":
    main()
