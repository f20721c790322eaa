"""Where a run computes (CUDA or the CPU's cores) and in what precision the network runs.

Only VGG19's convolutions run in reduced precision (under autocast); Gram matrices, losses and the
optimiser's state stay in float32, where small differences between large numbers must not be lost.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path

import torch

from .errors import StyleCoreError

PRECISIONS = ("auto", "float32", "bfloat16")
CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16")  # /proc/cpuinfo flags of CPUs with bfloat16 arithmetic
# Set to 0 to run as a CPU without bfloat16 does (precision auto then means float32): what a free Space's
# AVX2 CPU gets, measurable on any machine.
CPU_BF16_ENV = "STYLE_CORE_CPU_BF16"


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """CUDA when present, else CPU using every core this process may run on."""
    if device is not None:
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if torch.get_num_threads() < cores:
        torch.set_num_threads(cores)
    return torch.device("cpu")


@functools.cache
def cpu_has_native_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """True where the CPU does bfloat16 arithmetic in hardware (elsewhere oneDNN emulates it, slower than float32)."""
    try:
        flags = Path(cpuinfo).read_text()
    except OSError:  # not Linux: no way to tell, so no
        return False
    return any(flag in flags.split() for flag in CPU_BF16_FLAGS)


def bfloat16_is_native(device: torch.device) -> bool:
    """Whether `device` does bfloat16 arithmetic in hardware: CUDA GPUs from Ampere on, CPUs with AVX512-BF16
    or AMX (elsewhere bfloat16 is emulated and slower than float32)."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and os.environ.get(CPU_BF16_ENV) != "0" and cpu_has_native_bf16()


def network_dtype(precision: str, device: torch.device) -> torch.dtype:
    """The dtype VGG19 runs in for a `precision` setting on `device`: "auto" and "bfloat16" are bfloat16 where it
    is native and float32 elsewhere, where it is emulated tens of times slower than float32 (BF16_FALLBACK_NOTE).
    float16 is not offered: VGG19's Caffe-scale activations come within a few times of its largest value, and the
    loss's gradients fall below its smallest, without loss scaling."""
    if precision == "float32":
        return torch.float32
    return torch.bfloat16 if bfloat16_is_native(device) else torch.float32


BF16_FALLBACK_NOTE = (
    "bfloat16 is not native on this CPU (emulated, it would take tens of times longer): running in float32"
)


def autocast(device: torch.device, dtype: torch.dtype) -> contextlib.AbstractContextManager:
    """The network's forward pass in `dtype` (nothing changes for float32)."""
    if dtype == torch.float32:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=dtype)


@contextlib.contextmanager
def cudnn_benchmark(device: torch.device) -> Iterator[None]:
    """cuDNN tries its kernels once per input shape and keeps the fastest: a run repeats each shape many times."""
    if device.type != "cuda":
        yield
        return
    before = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = True
    try:
        yield
    finally:
        torch.backends.cudnn.benchmark = before


def is_out_of_memory(error: BaseException) -> bool:
    """A GPU's out-of-memory error, or the CPU allocator's refusal of a large tensor."""
    return isinstance(error, torch.OutOfMemoryError) or "can't allocate memory" in str(error)


def out_of_memory(device: torch.device, size: int) -> StyleCoreError:
    """Free what the failed run left cached and say what size to try instead (memory grows with the pixels)."""
    if device.type == "cuda":
        torch.cuda.empty_cache()
    smaller = max(64, int(size * 0.7) // 32 * 32)  # about half the pixels
    return StyleCoreError(f"the {device.type.upper()} ran out of memory at {size} px: try {smaller} px or less")
