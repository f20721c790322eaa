"""What one optimiser step's network pass costs under each lever: memory layout, torch.compile, a shallower net.

    python -m bench.step_cost [--size 512] [--repeats 3] [--precision float32,bfloat16]

A step is one VGG19 forward and backward pass with the gradient to the image, the work of every L-BFGS step.
Each variant is timed at size x size (the fastest of `repeats` after untimed passes), as seconds and as a share
of the default pass ("the default": the network and image in channels-last memory, to relu5_1, eager). torch.compile's
own compile time is given apart: a run pays it once per process and image size. The table goes into
docs/EXPERIMENTS.md (section step-cost). Nothing else should run meanwhile.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

import torch

from bench.doc_tables import cpu_name, heading, write_section
from style_core.cost import NETWORK_LAYERS, timed_passes
from style_core.device import bfloat16_is_native, network_dtype
from style_core.vgg import VGG19Features

ROOT = Path(__file__).resolve().parent.parent

# Name -> (layers the network is cut after, channels-last, compiled).
VARIANTS = {
    "the default: channels-last, to relu5_1": (NETWORK_LAYERS, True, False),
    "contiguous (NCHW), to relu5_1": (NETWORK_LAYERS, False, False),
    "channels-last, to relu4_1 only": (["relu1_1", "relu2_1", "relu3_1", "relu4_1"], True, False),
    "torch.compile (inductor), to relu5_1": (NETWORK_LAYERS, True, True),
}


def time_variant(layers: list[str], channels_last: bool, compiled: bool, size: int, precision: str, repeats: int):
    """(seconds per pass, seconds of the first pass: the compile for a compiled network)."""
    device = torch.device("cpu")
    dtype = network_dtype(precision, device)
    layout = torch.channels_last if channels_last else torch.contiguous_format
    model = VGG19Features(layers).to(memory_format=layout)
    forward = torch.compile(model) if compiled else model
    image = torch.rand(1, 3, size, size).contiguous(memory_format=layout).requires_grad_(True)
    times = timed_passes(forward, image, dtype, repeats + 2)
    return min(times[2:]), times[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--precision", default="float32,bfloat16")
    args = parser.parse_args()
    precisions = [p for p in args.precision.split(",") if p == "float32" or bfloat16_is_native(torch.device("cpu"))]
    rows = [
        "| precision | variant | s per pass | share of the default's | first pass s (compile) |",
        "|---|---|---|---|---|",
    ]
    for precision in precisions:
        default_seconds = None
        for name, (layers, channels_last, compiled) in VARIANTS.items():
            seconds, first = time_variant(layers, channels_last, compiled, args.size, precision, args.repeats)
            default_seconds = default_seconds or seconds
            rows.append(f"| {precision} | {name} | {seconds:.2f} | {seconds / default_seconds:.2f} | {first:.1f} |")
            print(rows[-1], flush=True)
    cpu = cpu_name()
    command = shlex.join(["python", "-m", "bench.step_cost", *sys.argv[1:]])
    title = heading("One step's network pass under each lever", "step_cost")
    body = (f"{title}\n\nCommand: `{command}` "
            f"({time.strftime('%Y-%m-%d')}; {cpu}, {torch.get_num_threads()} threads, torch {torch.__version__}; "
            f"{args.size}x{args.size}, forward and backward to the image).\n\n" + "\n".join(rows))  # fmt: skip
    write_section("step-cost", body)


if __name__ == "__main__":
    main()
