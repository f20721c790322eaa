"""Try changes to the "fast" denoising recipe on Kodak images: PSNR and seconds for each.

    python -m bench.denoise_variants --images kodim03 "" "crops_per_step=8" "steps=1600" "learning_rate=2e-3"

Each variant is a comma-separated list of DenoiseConfig fields that replace fast's values ("" = fast as
it is). The noise is the seeded one of bench/denoise_kodak.py. Prints a table and the command.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import shlex
import sys
import time
from pathlib import Path

from bench.denoise_kodak import KODAK, NOISES, noisy_version, run_zs_n2n
from style_core.denoise import DenoiseConfig, psnr
from style_core.images import load_image, to_tensor

ROOT = Path(__file__).resolve().parent.parent


def parse_variant(text: str) -> dict:
    """ "crops_per_step=8,steps=800" -> {"crops_per_step": 8, "steps": 800}."""
    pairs = (item.split("=", 1) for item in text.split(",") if item.strip())
    return {name.strip(): ast.literal_eval(value.strip()) for name, value in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", default="kodim03")
    parser.add_argument("--noise", default="g25", choices=NOISES)
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()
    rows = ["| image | change to fast | PSNR dB | s |", "|---|---|---|---|"]
    for name in args.images.split(","):
        clean = to_tensor(load_image(KODAK / f"{name}.png"))
        noisy = noisy_version(clean, args.noise, name)
        for text in args.variants:
            config = dataclasses.replace(DenoiseConfig(mode="fast"), **parse_variant(text))
            started = time.perf_counter()
            score = psnr(clean, run_zs_n2n(noisy, config))
            rows.append(f"| {name} | {text or '(none)'} | {score:.2f} | {time.perf_counter() - started:.1f} |")
            print(rows[-1], flush=True)
    command = "python -m bench.denoise_variants " + shlex.join(sys.argv[1:])
    print("\n" + "\n".join(rows) + f"\n\nCommand: `{command}`")


if __name__ == "__main__":
    main()
