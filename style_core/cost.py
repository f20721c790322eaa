"""What a run costs, in units of one VGG19 forward and backward pass at 512x512 px: the page's time
estimates and size choice, the GPU reservation and the benchmarks all read it from here.

A step at one scale is a forward and backward pass over that scale's pixels plus the losses; a scale's set-up
is a forward pass over the photo and one over the painting (the targets). Cost grows with the pixels.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

from . import tiles
from .config import StyleConfig
from .device import autocast, bfloat16_is_native, network_dtype, pick_device
from .vgg import CANVAS_MARGIN, LAYER_NAMES, VGG19Features, network_share

FEEDFORWARD_MAX_SIDE = 1024  # the network paints at most this long a side; a larger output is enlarged from it

UNIT_SIZE = 512
NETWORK_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1")  # the default losses' layers
# A step's cost (the network's forward and backward pass, Gram matrices, losses, L-BFGS) per 512x512 of pixels,
# what any step costs beyond its pixels (small scales are dominated by it), and a forward pass per 512x512
# (each scale's photo and painting targets), each in units; fitted scale by scale to the default schedule's
# float32 runs (2026-12-06; predicted against measured in docs/BENCHMARKS.md).
STEP_SHARE = 0.93
STEP_OVERHEAD_UNITS = 0.007
FORWARD_SHARE = 0.45
FEEDFORWARD_SHARE = 0.25  # the feed-forward start, per 512x512 of the output (the network paints at full size)
RUN_SETUP_UNITS = 0.6  # loading the images and building the network, whatever the size
# The denoiser's fast mode (denoise.FAST): a fixed number of steps on small crops, so about the same for any
# image size; in float32 units, by the precision its convolutions run in (bench/machine.py's denoise column
# on three kinds of CPU, 2026-12-01 to 2026-12-07).
DENOISE_UNITS = {"bfloat16": 3.0, "float32": 4.0}
# Applying the fitted denoiser to a whole image (a preview, the result), per megapixel: it runs in float32
# (0.46-0.52 s a megapixel against a 2.3 s unit, 2026-12-07).
DENOISE_APPLY_UNITS = 0.21
# A pixel costs more in an image larger than 512x512 (the feature maps outgrow the caches): past that, cost grows
# as pixels**1.15, fitted to default runs at 512 and 1024 px (bench/machine.py, 2026-12-01).
PIXEL_EXPONENT = 1.15


def measure_unit(
    device: str | torch.device | None = None, precision: str = "float32", size: int = UNIT_SIZE, repeats: int = 2,
    untimed: int = 1,
) -> float:  # fmt: skip
    """Seconds of one VGG19 forward and backward pass (to relu5_1, gradient to the image) at size x size,
    scaled by the pixels to 512x512; the fastest of `repeats` after `untimed` passes (a process's first pass at
    a size is slower)."""
    device = pick_device(device)
    dtype = network_dtype(precision, device)
    model = VGG19Features(NETWORK_LAYERS).to(device, memory_format=torch.channels_last)
    image = torch.rand(1, 3, size, size, device=device).contiguous(memory_format=torch.channels_last)
    image.requires_grad_(True)
    times = timed_passes(model, image, dtype, untimed + repeats)
    return min(times[untimed:]) * (UNIT_SIZE / size) ** 2


def timed_passes(network: Callable, image: torch.Tensor, dtype: torch.dtype, count: int) -> list[float]:
    """Seconds of each of `count` forward and backward passes of `network` (its features to `image`)."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with autocast(image.device, dtype):
            features = network(image)
        sum(value.float().pow(2).mean() for value in features.values()).backward()
        if image.device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return times


def pixels_share(long_side: int, aspect: float, config: StyleConfig) -> float:
    """A scale's pixels (its canvas, with canvas padding) as a share of 512x512; `aspect` is short / long side."""
    margin = 2 * round(CANVAS_MARGIN * long_side) if config.padding == "canvas" else 0
    return (long_side + margin) * (long_side * aspect + margin) / UNIT_SIZE**2


def _parts(long_side: int, aspect: float, config: StyleConfig) -> list[float]:
    """The pixel shares a scale's steps run on: its canvas, or each of its tiles (tiles.py)."""
    margin = 2 * round(CANVAS_MARGIN * long_side) if config.padding == "canvas" else 0
    height, width = round(long_side * aspect) + margin, long_side + margin
    if not tiles.needs_tiles(long_side, config.tile_size):
        return [pixels_share(long_side, aspect, config)]
    return [tile.height * tile.width / UNIT_SIZE**2 for tile in tiles.plan_tiles(height, width, config.tile_size)]


def run_units(config: StyleConfig, aspect: float = 0.75, styles: int = 1, warm: bool = False) -> float:
    """The most a run with `config` costs, in units (every scale runs all its steps), for a photo whose short
    side is `aspect` times its long side. `warm`: a run right after one with the same painting and sizes (a
    video's next frame), whose network is built and whose painting's targets are kept (STYLE_MOMENTS)."""
    units = 0.0 if warm else RUN_SETUP_UNITS
    if config.init == "feedforward":
        painted = min(config.size, FEEDFORWARD_MAX_SIDE)
        units += FEEDFORWARD_SHARE * painted**2 * aspect / UNIT_SIZE**2
    # The network runs only as deep as the losses' deepest layer (the paper's Figure 3 rows stop early).
    depth = network_share(max([*config.content_layers, *config.style_layers], key=LAYER_NAMES.index))
    step_share, forward_share = STEP_SHARE * depth, FORWARD_SHARE * depth
    for long_side, steps in zip(config.scale_sizes(), config.scale_iterations()):
        style_share = (long_side * config.style_scale) ** 2 * aspect / UNIT_SIZE**2
        units += 0.0 if warm else forward_share * styles * pixels_cost(style_share)
        for part in _parts(long_side, aspect, config):
            units += steps * (step_share * pixels_cost(part) + STEP_OVERHEAD_UNITS) + forward_share * pixels_cost(part)
    return units


def denoise_units(device: torch.device, pixels: int = 0, applies: int = 1) -> float:
    """The fast denoiser's cost in float32 units on `device`: its fitting, on small crops whatever the image's size
    (bfloat16 where it is native, as the denoiser runs), and `applies` passes over an image of `pixels`."""
    fitting = DENOISE_UNITS["bfloat16" if bfloat16_is_native(device) else "float32"]
    return fitting + applies * pixels / 1e6 * DENOISE_APPLY_UNITS


def pixels_cost(share: float) -> float:
    """A pixel share's cost: in proportion up to 512x512, growing faster past it (PIXEL_EXPONENT)."""
    return share if share <= 1 else share**PIXEL_EXPONENT


def size_for_seconds(
    config: StyleConfig, seconds: float, unit_seconds: float, aspect: float = 0.75, low: int = 192, high: int = 1024
) -> int:
    """The largest output size, in steps of 32 px from `low` to `high`, whose run with `config` takes at most
    `seconds` on a machine whose unit takes `unit_seconds` (`low` when even that takes longer)."""
    fitting = [
        s for s in range(low, high + 1, 32) if run_units(config.replace(size=s), aspect) * unit_seconds <= seconds
    ]
    return max(fitting, default=low)
