"""The GPU reservation on a ZeroGPU Space: each heavy call borrows a GPU for as long as its job needs."""

from __future__ import annotations

import math
from collections.abc import Callable

from style_core import StyleConfig, StyleCoreError
from style_core.cost import run_units
from style_core.explore import ExploreConfig, plan_cells
from style_core.grid import plan_grid, quick
from style_core.video import PAGE_MAX_FRAMES, PAGE_MAX_SECONDS, video_units

from .examples import PAINTINGS
from .machine import Machine

# ZeroGPU reserves a GPU for the duration a call asks for and serves short reservations first, so each
# heavy call asks for what its job needs. Not yet measured on a GPU: a generous guess at the seconds of one
# unit (style_core.cost), and start-up covers moving the network to the GPU.
GPU_SECONDS_PER_UNIT = 0.2
GPU_START_UP_S = 15
GPU_RESERVE_S = (20, 240)  # the least and the most a call reserves
DENOISE_GPU_S = 30  # the fast denoiser: a fixed number of steps on small crops, then a pass over the image


def gpu(seconds: Callable[..., float]) -> Callable[[Callable], Callable]:
    """On a ZeroGPU Space: borrow a GPU for each call, for `seconds(*the call's arguments)`; elsewhere (no
    `spaces` package, or not on ZeroGPU, where spaces.GPU itself does nothing) the function is unchanged."""
    try:
        import spaces
    except ImportError:
        return lambda function: function
    return spaces.GPU(duration=lambda *args, **kwargs: reservation(seconds(*args, **kwargs)))


def reservation(seconds: float) -> int:
    low, high = GPU_RESERVE_S
    return int(min(high, max(low, GPU_START_UP_S + seconds)))


def gpu_seconds(config: StyleConfig | None, runs: int = 1) -> float:
    """The GPU time of `runs` runs with `config` (style_core.cost's units at a guessed GPU rate)."""
    if config is None:  # settings the job will refuse at once
        return 0.0
    return runs * run_units(config) * GPU_SECONDS_PER_UNIT


def config_or_none(make: Callable[[], StyleConfig]) -> StyleConfig | None:
    try:
        return make()
    except StyleCoreError:
        return None


def grid_gpu_seconds(machine: Machine, kind: str, config: StyleConfig | None) -> float:
    """The GPU time a comparison grid reserves: its most cells at the size this machine gives them."""
    if config is None:
        return 0.0
    styles = [""] * (1 + len(PAINTINGS) if kind == "styles" else 1)
    cell = machine.grid_cell_size(kind, config, len(styles))
    plan = plan_grid(kind, quick(config, cell), styles, styles)
    return sum(gpu_seconds(run_config) for _, _, run_config, _ in plan.runs)


def layers_gpu_seconds(size: float, steps: float) -> float:
    """Every cell of the fullest figure is `steps` steps at `size` through the whole network: an upper bound (the
    page's line uses style_core.explore.figure_units)."""
    try:
        return len(plan_cells(ExploreConfig(kind="both"))) * int(steps) * (int(size) / 512) ** 2 * GPU_SECONDS_PER_UNIT
    except (TypeError, ValueError):  # values the job refuses at once
        return 0.0


def video_gpu_seconds(config: StyleConfig | None, fps: float) -> float:
    """The GPU time a video call reserves: a third of the most frames at `fps`, each costed as a fresh run
    (per-frame work outside the network weighs more on a GPU, and is not measured there)."""
    if config is None:
        return 0.0
    most_frames = min(PAGE_MAX_FRAMES, math.ceil(PAGE_MAX_SECONDS * fps))
    return video_units(config, max(1, most_frames // 3), warm=False) * GPU_SECONDS_PER_UNIT
