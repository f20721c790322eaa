"""PSNR along a ZS-N2N run: how the "paper" and "fast" recipes approach (and leave) their best step.

    python -m bench.denoise_curve --image kodim01 --noise g25 --mode paper [--every 100] [--threads 1]

Prints step, seconds and PSNR every --every steps and writes the curve to docs/EXPERIMENTS.md. The clean
image is used only to score the previews, never to train or to stop.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from bench.denoise_kodak import KODAK, NOISES, noisy_version
from bench.doc_tables import heading, write_section
from style_core.denoise import DenoiseConfig, denoise_tensor, psnr
from style_core.images import load_image, to_tensor

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default="kodim01")
    parser.add_argument("--noise", default="g25", choices=NOISES)
    parser.add_argument("--mode", default="paper", choices=("paper", "fast"))
    parser.add_argument("--steps", type=int)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--threads", type=int, help="torch threads (to leave a core free for other work)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    command = "python -m bench.denoise_curve " + " ".join(sys.argv[1:])
    clean = to_tensor(load_image(KODAK / f"{args.image}.png"))
    noisy = noisy_version(clean, args.noise, args.image)
    config = DenoiseConfig(mode=args.mode, steps=args.steps)
    rows = ["| step | s | PSNR dB |", "|---|---|---|", f"| 0 (noisy) | 0 | {psnr(clean, noisy):.2f} |"]
    best = (0.0, 0)
    for event in denoise_tensor(noisy, config, preview_every=args.every):
        if event.image is None or (event.done and event.step % args.every == 0):
            continue
        score = psnr(clean, event.image)
        best = max(best, (score, event.step))
        rows.append(f"| {event.step}{' (final)' if event.done else ''} | {event.elapsed:.0f} | {score:.2f} |")
        print(rows[-1], flush=True)
    body = (
        heading(f"Denoising curve: {args.mode} on {args.image}, {NOISES[args.noise][0]}", "denoise_curve") + "\n\n"
        f"Command: `{command}`\n\nSettings: {config.to_dict()}. Best: {best[0]:.2f} dB at step {best[1]}.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    write_section(f"denoise-curve-{args.mode}-{args.image}-{args.noise}", body)


if __name__ == "__main__":
    main()
