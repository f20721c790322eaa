"""The optimisation: coarse-to-fine over scales, L-BFGS or Adam, several styles blended.

`stylize` is a generator: it yields a Progress after every optimiser step (with a preview image every
few seconds) and a last Progress holding the final image. Closing it (`gen.close()`, or a Stop button
that does so) ends the work at the next step.
"""

from __future__ import annotations

import functools
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from . import feedforward, tiles
from .adam import Adam
from .config import StyleConfig
from .cost import FEEDFORWARD_MAX_SIDE
from .device import (
    BF16_FALLBACK_NOTE,
    autocast,
    cudnn_benchmark,
    is_out_of_memory,
    network_dtype,
    out_of_memory,
    pick_device,
)
from .errors import ConfigError, ImageError, StyleCoreError
from .images import (
    MIN_SIDE,
    ImageSource,
    fingerprint_image,
    load_image,
    load_note,
    luminance_transfer,
    match_color_statistics,
    resize_long_side,
    resize_tensor,
    to_pil,
    to_tensor,
)
from .lbfgs import LBFGS
from .losses import ContentLoss, FrameLoss, GuidedStyleLoss, StyleLoss, StyleLossW2, TVLoss, feature_moments
from .masks import at_layer, load_masks, mask_tensor, unpainted
from .vgg import CANVAS_MARGIN, VGG19Features, mirror_out

# Our per-layer losses are relative errors (see losses.py), far from the paper's content/style balance; this
# scale makes the paper's alpha/beta 1e-3 (its Figure 2) keep the photo as recognisable as neural-style's
# published Figure 2 outputs do, measured as their relu4_2 content error (bench/quality.py look).
STYLE_TERM_SCALE = 3.5e-3
FRAME_BAND = 1 / 32  # the frame term's band, as a fraction of the long side
# Not in the paper, which has one scale: the finest of several scales weighs the content this many times more.
# The coarse scales have set the large strokes by then; at full size the style term would otherwise spend the
# last steps drawing fine texture over the photo's edges, and the photo fades (bench/quality.py look).
FINEST_SCALE_CONTENT_FACTOR = 2.0
# The share of the photo's own detail a finer scale's start gets back (transfer.grown). Less brings the fine
# strokes nearer the painting on neural-style's Figure 2 pairs, but moves eight other pairs further from the photo
# and no nearer the painting (docs/EXPERIMENTS.md, "The photo's detail at each scale's start").
PHOTO_DETAIL = 1.0


@dataclass
class Progress:
    """One step of a run. `image` is set only on the last event, when `done` is True."""

    scale: int  # 1-based index of the current scale
    scales: int
    size: tuple[int, int]  # (width, height) being optimised
    step: int  # steps done in this scale
    total_step: int  # steps done over all scales
    total_steps: int  # the most steps the run can take (scales may stop early)
    losses: dict[str, float]
    elapsed: float  # seconds since the run started
    eta: float  # estimated seconds left (the most steps, later scales costed by their pixel count)
    preview: Image.Image | None = None
    image: Image.Image | None = None
    done: bool = False
    config: StyleConfig | None = field(default=None, repr=False)
    note: str | None = None  # a line the user should read, e.g. which start a run fell back to
    # The picture the run has reached, made when called (a stopped run keeps it); valid while the run is alive.
    current: Callable[[], Image.Image] | None = field(default=None, repr=False)


def working_size(image: Image.Image | tuple[int, int], long_side: int) -> tuple[int, int]:
    """(width, height) of `image` (or of a picture of that size) scaled so its long side is `long_side`."""
    width, height = image if isinstance(image, tuple) else image.size
    scale = long_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def output_size(image: Image.Image | tuple[int, int], long_side: int, label: str = "content image") -> tuple[int, int]:
    """working_size of an image or a (width, height), or ImageError with one line when a long, thin picture
    would come out under MIN_SIDE."""
    given = image if isinstance(image, tuple) else image.size
    width, height = working_size(given, long_side)
    if min(width, height) < MIN_SIDE:
        needed = math.ceil((MIN_SIDE - 0.5) * max(given) / min(given))  # the short side is rounded
        while min(working_size(given, needed)) < MIN_SIDE:
            needed += 1
        raise ImageError(
            f"{label}: {given[0]}x{given[1]} is too long and thin for {long_side} px output ({width}x{height}); "
            f"each side needs at least {MIN_SIDE} px: crop it, or make the output at least {needed} px"
        )
    return width, height


def at_output_size(image: Image.Image, long_side: int, label: str = "content image") -> Image.Image:
    """`image` resized to output_size (one line for a picture too long and thin for it)."""
    return image.resize(output_size(image, long_side, label), Image.Resampling.LANCZOS)


@dataclass
class TemporalHold:
    """Ruder et al.'s temporal term for video (style_core.video): the result held to `target`, the previous
    frame's result warped by the optical flow, where `reliable` (1x1xHxW, 0-1) says the flow can be trusted."""

    target: torch.Tensor  # 1x3xHxW in [0, 1], any size: resized to each scale's
    reliable: torch.Tensor
    weight: float

    def at(self, height: int, width: int, margin: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Target and reliability at a scale's size, on its canvas (the margin not held)."""
        target = mirror_out(resize_tensor(self.target, height, width), margin)
        reliable = torch.nn.functional.pad(resize_tensor(self.reliable, height, width), [margin] * 4)
        return target, reliable


@dataclass
class Run:
    """What every scale of one run shares: the settings, the images, the network and its precision."""

    config: StyleConfig
    content: Image.Image
    styles: list[Image.Image]
    blend: list[float]
    masks: list | None
    device: torch.device
    dtype: torch.dtype  # the network's; losses and the image stay float32
    model: VGG19Features
    generator: torch.Generator
    hold: TemporalHold | None = None

    def features(self, image: torch.Tensor, layers: Iterable[str] | None = None) -> dict[str, torch.Tensor]:
        """VGG19 features in float32 (the network itself may run in bfloat16), of `layers` (default: all)."""
        with autocast(self.device, self.dtype):
            features = self.model(image.contiguous(memory_format=torch.channels_last), layers)
        return {name: value.float() for name, value in features.items()}

    @functools.cached_property
    def content_full(self) -> torch.Tensor:
        return self.content_at(self.config.size)

    def size_at(self, long_side: int) -> tuple[int, int]:
        return working_size(self.content, long_side)

    def content_at(self, long_side: int) -> torch.Tensor:
        resized = self.content.resize(self.size_at(long_side), Image.Resampling.LANCZOS)
        return to_tensor(resized, self.device)


def prepare(
    content: ImageSource,
    styles: ImageSource | Sequence[ImageSource],
    config: StyleConfig,
    masks: Sequence[ImageSource | None] | None = None,
    device: str | torch.device | None = None,
) -> Run:
    """Load and check the inputs (one clear error each), build the network."""
    config.validate()
    content_image = load_image(content, "content image")
    style_list = list(styles) if isinstance(styles, (list, tuple)) else [styles]
    if not style_list:
        raise ConfigError("give at least one style image")
    style_images = [load_image(style, style_label(i, len(style_list))) for i, style in enumerate(style_list)]
    blend = blend_weights(config, len(style_images))
    width, height = output_size(content_image, config.size)
    region_masks = load_masks(masks, len(style_images), (width, height), config.mask_feather)
    device = pick_device(device)
    torch.manual_seed(config.seed)
    layers = list(config.content_layers) + list(config.style_layers)
    model = VGG19Features(layers, config.pooling, config.weights, config.padding)
    # channels_last lets oneDNN (CPU) and cuDNN pick faster convolution kernels.
    model = model.to(device, memory_format=torch.channels_last)
    return Run(
        config, content_image, style_images, list(blend), region_masks, device,
        network_dtype(config.precision, device), model, torch.Generator().manual_seed(config.seed),
    )  # fmt: skip


def style_label(index: int, count: int) -> str:
    """How an error names style image `index` of `count`: numbered only where there are several."""
    return "style image" if count == 1 else f"style image {index + 1}"


def blend_weights(config: StyleConfig, styles: int) -> list[float]:
    """Each style image's blend weight: the settings' style_blend, one per image, or all alike when it is empty."""
    blend = config.style_blend or [1.0] * styles
    if len(blend) != styles:
        images = f"{styles} style image{'s' * (styles != 1)}"
        raise ConfigError(f"{len(blend)} style blend weights given for {images}: give one weight per style image")
    return list(blend)


def stylize(
    content: ImageSource,
    styles: ImageSource | Sequence[ImageSource],
    config: StyleConfig | None = None,
    *,
    masks: Sequence[ImageSource | None] | None = None,
    device: str | torch.device | None = None,
    preview_every: float = 3.0,
    start: ImageSource | None = None,
    hold: TemporalHold | None = None,
) -> Iterator[Progress]:
    """Stylize `content` with one or more `styles`; yields Progress events, the last one with the image.

    `masks` (optional, one per style; None = everywhere): where each style goes, white = its region; where
    no mask reaches the photo is kept (lightly stylized with `config.unmasked_style`). `start` (optional): a
    picture to refine instead of the start `config.init` makes, e.g. a finished result taken to a print size.
    `hold` (optional): a video frame's temporal term (TemporalHold)."""
    run = prepare(content, styles, config or StyleConfig(), masks, device)
    run.hold = hold
    start_image = None if start is None else load_image(start, "start image")
    clock = Clock(run, preview_every)
    first_size = run.size_at(run.config.scale_sizes()[0])
    for picture in [run.content, *run.styles]:
        if load_note(picture):
            yield clock.progress(1, first_size, 0, note=load_note(picture))
    if run.config.precision == "bfloat16" and run.dtype != torch.bfloat16:
        yield clock.progress(1, first_size, 0, note=BF16_FALLBACK_NOTE)
    image: torch.Tensor | None = None
    ran_out = False
    try:
        with cudnn_benchmark(run.device):
            if start_image is not None:
                image = yield from _given_start(run, clock, start_image)
            else:
                image = yield from _first_pass(run, clock)
            for scale_index, long_side in enumerate(run.config.scale_sizes(), start=1):
                image = yield from _optimise_scale(run, clock, scale_index, long_side, image)
    except (torch.OutOfMemoryError, RuntimeError) as error:
        if not is_out_of_memory(error):
            raise
        ran_out = True  # raised below, once the traceback's tensors are gone and the memory can be freed
    if ran_out:
        raise out_of_memory(run.device, run.config.size)
    final = to_pil(finish(run, image))
    yield clock.progress(len(clock.sizes), final.size, 0, image=final)


class Clock:
    """Step counts, elapsed time, the time left and when to send a preview, over all scales."""

    def __init__(self, run: Run, preview_every: float):
        self.run, self.preview_every = run, preview_every
        self.sizes = run.config.scale_sizes()
        self.tiles = [len(scale_tiles(run, size)) or 1 for size in self.sizes]
        self.steps = [steps * count for steps, count in zip(run.config.scale_iterations(), self.tiles)]
        self.pixels = [math.prod(run.size_at(size)) / count for size, count in zip(self.sizes, self.tiles)]  # per step
        self.total_steps = sum(self.steps)
        self.total_step = 0
        self.start = time.perf_counter()
        self.scale_start = self.first_step_end = self.start
        self.last_preview = -float("inf")
        self.losses: dict[str, float] = {}
        self.eta = 0.0

    def begin_scale(self) -> None:
        self.scale_start = time.perf_counter()
        self.first_step_end = self.scale_start

    def step_done(self, scale_index: int, step: int, losses: dict[str, float]) -> bool:
        """Count a step (`step` counted over the scale's tiles); True when it is time for a preview."""
        self.total_step += 1
        self.losses = losses
        now = time.perf_counter()
        # A step's time as measured after the first (which also holds the scale's set-up), times the steps left
        # here plus later scales' steps in units of this scale's (cost grows with the pixels).
        if step == 1:
            self.first_step_end = now
        step_seconds = (now - self.first_step_end) / (step - 1) if step > 1 else now - self.scale_start
        pixels = self.pixels
        later = sum(n * p / pixels[scale_index - 1] for n, p in zip(self.steps[scale_index:], pixels[scale_index:]))
        self.eta = step_seconds * (self.steps[scale_index - 1] - step + later)
        if step == 1 or now - self.last_preview >= self.preview_every:
            self.last_preview = now
            return True
        return False

    def progress(
        self, scale_index: int, size: tuple[int, int], step: int, preview=None, image=None, note=None, current=None
    ) -> Progress:
        return Progress(
            scale=scale_index, scales=len(self.sizes), size=size, step=step, total_step=self.total_step,
            total_steps=self.total_steps, losses=dict(self.losses), elapsed=time.perf_counter() - self.start,
            eta=0.0 if image is not None else self.eta, preview=preview if image is None else image, image=image,
            done=image is not None, config=self.run.config, note=note,
            current=current or (lambda shown=image or preview: shown),
        )  # fmt: skip


def _optimise_scale(
    run: Run, clock: Clock, scale_index: int, long_side: int, image: torch.Tensor | None
) -> Iterator[Progress]:
    """Optimise at one scale (in tiles where it is too large to hold at once), starting from `image` (the last
    scale's result, or the initial image); yields a Progress per step and returns the image."""
    config = run.config
    content_t = run.content_at(long_side)
    margin = canvas_margin(config, long_side)
    canvas_t = mirror_out(content_t, margin)
    with torch.no_grad():
        regions = _regions(run, long_side, content_t, margin)
    if image is None:
        image = _initial_image(config, canvas_t, run.styles[0], run.generator)
    else:
        image = mirror_out(grown(image.detach(), content_t), margin)
    tile_plan = scale_tiles(run, long_side)
    hold = run.hold.at(*content_t.shape[-2:], margin) if run.hold else None
    steps = config.scale_iterations()[scale_index - 1]
    refine = functools.partial(_refine, run, clock, scale_index, run.size_at(long_side), steps)
    content_factor = content_weight_factor(config, scale_index)
    clock.begin_scale()
    if tile_plan:
        image = yield from _refine_in_tiles(
            refine, run, tile_plan, canvas_t, regions, image, margin, hold, content_factor
        )
    else:
        with torch.no_grad():
            objective = Objective(run, canvas_t, regions, margin, hold=hold, content_factor=content_factor)
        image = yield from refine(objective, image, lambda current: _crop(current, margin))
    return _crop(image, margin)


def content_weight_factor(config: StyleConfig, scale_index: int) -> float:
    """What the content weight is multiplied by at scale `scale_index` (1 = the coarsest)."""
    scales = len(config.scale_sizes())
    return FINEST_SCALE_CONTENT_FACTOR if scales > 1 and scale_index == scales else 1.0


def grown(image: torch.Tensor, content: torch.Tensor) -> torch.Tensor:
    """A smaller scale's picture enlarged to `content`'s size, plus PHOTO_DETAIL of the photo's detail the smaller
    scale could not hold (a Laplacian pyramid level of the photo). Not in the paper: an enlarged picture is blurred,
    and the few steps a finer scale runs would spend themselves restoring the photo's edges instead of painting."""
    height, width = content.shape[-2:]
    if image.shape[-2:] == (height, width):
        return image.clamp(0, 1)
    detail = content - resize_tensor(resize_tensor(content, *image.shape[-2:]), height, width)
    return (resize_tensor(image, height, width) + PHOTO_DETAIL * detail).clamp(0, 1)


def canvas_margin(config: StyleConfig, long_side: int) -> int:
    return round(CANVAS_MARGIN * long_side) if config.padding == "canvas" else 0


def scale_tiles(run: Run, long_side: int) -> list[tiles.Tile]:
    """The tiles one scale's canvas is refined in; none when it is refined whole."""
    if not tiles.needs_tiles(long_side, run.config.tile_size):
        return []
    width, height = run.size_at(long_side)
    margin = canvas_margin(run.config, long_side)
    height, width = height + 2 * margin, width + 2 * margin
    return tiles.plan_tiles(height, width, run.config.tile_size)


def _refine(
    run: Run, clock: Clock, scale_index: int, size: tuple[int, int], steps: int, objective: Objective,
    image: torch.Tensor, whole: Callable[[torch.Tensor], torch.Tensor], tile_index: int = 0,
) -> Iterator[Progress]:  # fmt: skip
    """Up to `steps` optimiser steps on `image` (the canvas, or one tile of it); `whole` makes the picture a
    preview shows from it. Yields a Progress per step; returns the image."""
    image = image.detach().contiguous().requires_grad_(True)
    optimizer = _make_optimizer(run.config, image)
    stop_rule = StopRule(run.config.min_change, image)
    for step in range(1, steps + 1):
        losses = _step(optimizer, objective, image)
        with torch.no_grad():
            # The picture is shown clipped to 0-1. Left unclipped, L-BFGS lowers the loss with values no
            # picture holds, which clipping then undoes at every scale's start.
            image.clamp_(0, 1)
        if not torch.isfinite(image).all() or not all(map(math.isfinite, losses.values())):
            raise StyleCoreError(
                "the optimisation diverged (the loss became NaN or infinite): lower the learning rate or the weights"
            )
        show = clock.step_done(scale_index, tile_index * steps + step, losses)

        def current() -> Image.Image:  # at the output size, as the next scales would start from it
            return to_pil(finish(run, grown(whole(image.detach()), run.content_full)))

        step_done = tile_index * steps + step
        yield clock.progress(scale_index, size, step_done, preview=current() if show else None, current=current)
        if stop_rule.settled(image):
            clock.total_steps -= steps - step  # the bar's total shrinks to what will really run
            break
    return image.detach()


def _refine_in_tiles(
    refine: Callable, run: Run, tile_plan: list[tiles.Tile], canvas_t: torch.Tensor, regions: list[Region],
    image: torch.Tensor, margin: int, hold: tuple[torch.Tensor, torch.Tensor] | None = None,
    content_factor: float = 1.0,
) -> Iterator[Progress]:  # fmt: skip
    """Refine the canvas one tile after another, each against the whole painting's targets, each written back
    blended into what the earlier tiles left; returns the canvas."""
    image = image.detach().clone()
    side = tiles.tile_side(run.config.tile_size)
    for index, tile in enumerate(tile_plan):
        rows, columns = tile.slices
        here = [Region(r.targets, None if r.mask is None else tile.crop(r.mask), r.weight) for r in regions]
        with torch.no_grad():  # not in the paper: no frame term, as a tile's edges are not the picture's
            held = tuple(tile.crop(part) for part in hold) if hold else None
            objective = Objective(run, tile.crop(canvas_t), here, frame=False, hold=held, content_factor=content_factor)

        def whole(part: torch.Tensor, rows=rows, columns=columns) -> torch.Tensor:
            shown = image.clone()
            shown[..., rows, columns] = part
            return _crop(shown, margin)

        refined = yield from refine(objective, tile.crop(image), whole, tile_index=index)
        weight = tiles.blend_weight(tile, side).to(image)
        image[..., rows, columns] = image[..., rows, columns] * (1 - weight) + refined * weight
    return image


LOSS_TERMS = ("content", "style", "tv", "frame", "total")


def _first_pass(run: Run, clock: Clock) -> Iterator[Progress]:
    """With init "feedforward": the photo redrawn by the feed-forward network at the output size, shown at once
    as the first preview (an event at step 0); returns it shrunk to the first scale's size as the start (its
    palette and the painting's shapes, its fine strokes averaged away). Where the network cannot run, an event
    at step 0 with a note says so, and None is returned (the content start)."""
    config = run.config
    if config.init != "feedforward":
        return None
    first = config.scale_sizes()[0]
    clock.losses = dict.fromkeys(LOSS_TERMS, math.nan)  # nothing measured before the first step
    reason = feedforward.unavailable()
    if reason is not None:
        note = f"{reason}; starting from the content image instead"
        yield clock.progress(1, run.size_at(first), 0, note=note)
        return None
    # Past FEEDFORWARD_MAX_SIDE the network paints at that size and its picture is enlarged: its memory stays
    # bounded, and its strokes keep their size relative to the picture (they are a fixed number of pixels).
    painted = _feedforward_start(run, run.content_at(min(config.size, FEEDFORWARD_MAX_SIDE)))
    full = resize_tensor(painted, *run.content_full.shape[-2:]).clamp(0, 1)
    if config.frame_weight:  # the network's picture may be lighter or darker along an edge: level it at once
        full = FrameLoss(run.content_full, 0, frame_band(run.content_full)).level(full)
    yield clock.progress(1, run.size_at(first), 0, preview=to_pil(finish(run, full)))
    return resize_tensor(full, *run.content_at(first).shape[-2:]).clamp(0, 1)


def _given_start(run: Run, clock: Clock, start: Image.Image) -> Iterator[Progress]:
    """A given picture, enlarged to the first scale's size, shown at once (an event at step 0); returns it.
    With a temporal hold, where its flow is unreliable (newly uncovered, or on a motion boundary) the given
    picture shows what moved away: the ordinary start (the feed-forward picture) is taken there instead."""
    width, height = run.size_at(run.config.scale_sizes()[0])
    image = to_tensor(start.resize((width, height), Image.Resampling.LANCZOS), run.device)
    if run.hold is not None:
        fresh = yield from _first_pass(run, clock)
        fresh = run.content_at(run.config.scale_sizes()[0]) if fresh is None else fresh
        reliable = resize_tensor(run.hold.reliable, height, width).clamp(0, 1)
        image = reliable * image + (1 - reliable) * fresh
    clock.losses = dict.fromkeys(LOSS_TERMS, math.nan)
    yield clock.progress(1, (width, height), 0, preview=to_pil(image))
    return image


def _feedforward_start(run: Run, content_t: torch.Tensor) -> torch.Tensor:
    """The feed-forward picture with the blended styles at the style balance; with painted regions, each
    style's picture in its region and the photo where no region reaches."""
    match_colours = run.config.color == "match"

    def vector_of(painting: Image.Image) -> torch.Tensor:
        return feedforward.painting_vector(painting, content_t, match_colours)

    photo_vector = functools.partial(feedforward.image_vector, run.content, run.device)

    def painted(vector: torch.Tensor) -> torch.Tensor:  # alpha/beta moves the start as it moves the preview
        return feedforward.stylize(
            content_t, feedforward.with_balance(vector, photo_vector, run.config.style_balance())
        )

    if run.masks is None:
        return painted(feedforward.blended_vector(run.styles, run.blend, vector_of))
    start, rest = torch.zeros_like(content_t), torch.ones_like(content_t[:, :1])
    for style, mask in zip(run.styles, run.masks):
        weight = mask_tensor(mask, *content_t.shape[-2:], run.device)
        start += weight * painted(vector_of(style))
        rest = rest - weight
    return (start + rest.clamp(0, 1) * content_t).clamp(0, 1)


def _crop(image: torch.Tensor, margin: int) -> torch.Tensor:
    return image[..., margin : image.shape[-2] - margin, margin : image.shape[-1] - margin] if margin else image


class StopRule:
    """A scale ends early when pixels move less than `min_change` (0-255) per step, averaged over 5 steps."""

    def __init__(self, min_change: float, image: torch.Tensor):
        self.min_change = min_change
        self.previous = image.detach().clone() if min_change > 0 else None
        self.changes: list[float] = []

    def settled(self, image: torch.Tensor) -> bool:
        if self.previous is None:
            return False
        self.changes = [*self.changes[-4:], (image.detach() - self.previous).abs().mean().item() * 255]
        self.previous = image.detach().clone()
        return len(self.changes) == 5 and sum(self.changes) / 5 < self.min_change


def finish(run: Run, image: torch.Tensor) -> torch.Tensor:
    """The image as shown: clamped, and with the photo's colours when colour is "luminance"."""
    result = image.detach().clamp(0, 1)
    if run.config.color != "luminance":
        return result
    return luminance_transfer(result, run.content_full, _styled_area(run, *result.shape[-2:]))


def _styled_area(run: Run, height: int, width: int) -> torch.Tensor | None:
    """Where painted regions put a painting (0-1), the rest as lightly as `unmasked_style` says; None: everywhere."""
    if run.masks is None:
        return None
    rest = unpainted([mask_tensor(mask, height, width, run.device) for mask in run.masks])
    return 1 - rest * (1 - run.config.unmasked_style)


def stylize_image(
    content: ImageSource,
    styles: ImageSource | Sequence[ImageSource],
    config: StyleConfig | None = None,
    **kwargs,
) -> Image.Image:
    """Run `stylize` to the end and return the final image."""
    for event in stylize(content, styles, config, **kwargs):
        if event.done:
            return event.image
    raise StyleCoreError("the run ended without an image")


def warm_up(device: str | torch.device | None = None) -> None:
    """A two-step run on a tiny image: loads the weights and lets oneDNN or cuDNN build their kernels, so a
    server's first real run shows its first preview as soon as later runs do."""
    pixels = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    image = Image.fromarray(pixels, "RGB")
    stylize_image(image, image, StyleConfig(size=64, scales=1, iterations=2), device=device)


def frame_band(content: torch.Tensor, margin: int = 0) -> int:
    """The frame term's band in px (FrameLoss fits it to the image)."""
    return round(FRAME_BAND * (max(content.shape[-2:]) - 2 * margin))


class Objective:
    """The loss at one scale: alpha * content_factor * content + beta * strength * style + tv + frame, with fixed
    targets (content_factor: `content_weight_factor`). The image is the canvas: the result with `margin` px
    around it (canvas padding)."""

    def __init__(
        self, run: Run, content: torch.Tensor, regions: list[Region], margin: int = 0, frame: bool = True,
        hold: tuple[torch.Tensor, torch.Tensor] | None = None, content_factor: float = 1.0,
    ):  # fmt: skip
        self.run, self.config = run, run.config
        self.content_weight = run.config.content_weight * content_factor
        band = frame_band(content, margin)
        self.frame_loss = FrameLoss(content, margin, band) if self.config.frame_weight and frame else None
        # The photo's pass goes only as deep as its losses need: the content layers, and the style layers only
        # where a painted region's mask must be shrunk to their maps.
        masked = any(region.mask is not None for region in regions)
        content_features = run.features(
            content, [*self.config.content_layers, *(self.config.style_layers if masked else ())]
        )
        self.content_losses = {name: ContentLoss(content_features[name]) for name in self.config.content_layers}
        # Per style layer, each region's (weight, loss); an unmasked run is one region covering everything.
        self.style_losses = {
            name: [
                (region.weight, _style_loss(run.config, region, name, content_features.get(name))) for region in regions
            ]
            for name in run.config.style_layers
        }
        self.tv_loss = TVLoss()
        self.hold = hold

    def __call__(self, image: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
        config = self.config
        features = self.run.features(image)
        zero = image.new_zeros(())
        content = sum((loss(features[name]) for name, loss in self.content_losses.items()), zero)
        content = content / max(1, len(self.content_losses))
        style = sum(
            config.style_layers[name] * sum(weight * loss(features[name]) for weight, loss in losses)
            for name, losses in self.style_losses.items()
        )
        style = style / sum(config.style_layers.values())
        tv = self.tv_loss(image)
        frame = self.frame_loss(image) if self.frame_loss else zero
        total = (
            self.content_weight * content
            + STYLE_TERM_SCALE * config.style_weight * config.strength * style
            + config.tv_weight * tv
            + config.frame_weight * frame  # not in the paper: the canvas alone leaves some edges' rows off-colour
        )
        terms = {"content": content, "style": style, "tv": tv, "frame": frame}
        if self.hold:  # Ruder et al. 2016: (x - warped previous frame)^2 where the flow is reliable
            target, reliable = self.hold
            terms["temporal"] = (reliable * (image - target).pow(2)).mean()
            total = total + self.run.hold.weight * terms["temporal"]
        terms["total"] = total
        return total, {name: float(value.detach()) for name, value in terms.items()}


@dataclass
class Region:
    """Where one style target applies: `mask` 1x1xHxW at the scale's size (None = everywhere); `targets` holds
    each style layer's (mean, second moment) of the style's features."""

    targets: dict[str, tuple[torch.Tensor, torch.Tensor]]
    mask: torch.Tensor | None = None
    weight: float = 1.0


def _style_loss(config: StyleConfig, region: Region, layer: str, features: torch.Tensor | None) -> torch.nn.Module:
    """The loss of one style layer in one region; `features` (the photo's at that layer) are needed only to shrink
    a region's mask to their size."""
    mean, second_moment = region.targets[layer]
    mask = None if region.mask is None else at_layer(region.mask, features)
    if config.style_loss == "w2":
        return StyleLossW2(mean, second_moment, mask)
    gram = second_moment / second_moment.shape[-1]  # the raw second moment over C is exactly gram_matrix
    return StyleLoss(gram) if mask is None else GuidedStyleLoss(gram, mask)


def _regions(run: Run, long_side: int, content_t: torch.Tensor, margin: int = 0) -> list[Region]:
    """The style targets of one scale: the blended styles everywhere, or each style in its own mask plus,
    where `unmasked_style` > 0, the blend lightly over the region no mask reaches."""
    targets = functools.partial(_style_targets, run, long_side=long_side, content_t=content_t)
    if run.masks is None:
        return [Region(targets(run.styles, run.blend))]
    tensors = [mirror_out(mask_tensor(mask, *content_t.shape[-2:], run.device), margin) for mask in run.masks]
    regions = [Region(targets([style], [1.0]), mask) for style, mask in zip(run.styles, tensors)]
    if run.config.unmasked_style > 0:
        regions.append(Region(targets(run.styles, run.blend), unpainted(tensors), run.config.unmasked_style))
    return regions


def _make_optimizer(config: StyleConfig, image: torch.Tensor) -> LBFGS | Adam:
    if config.optimizer == "lbfgs":
        return LBFGS(image, config.lbfgs_history)
    return Adam([image], lr=config.learning_rate)


def _step(optimizer: LBFGS | Adam, objective: Objective, image: torch.Tensor) -> dict[str, float]:
    """One optimiser step; returns the loss terms measured at the image it started from."""
    losses: dict[str, float] = {}

    def closure() -> torch.Tensor:
        optimizer.zero_grad(set_to_none=True)
        total, terms = objective(image)
        total.backward()
        losses.update(terms)
        return total

    optimizer.step(closure)
    return losses


def _style_targets(
    run: Run, style_images: list[Image.Image], blend: Sequence[float], *, long_side: int, content_t: torch.Tensor
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Per style layer, the blend-weighted mean of each style image's feature (mean, second moment): the
    moments of the mixture of the styles' features, whose second moment / C is the blend of their Grams."""
    config = run.config
    targets: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    style_long_side = max(MIN_SIDE, round(long_side * config.style_scale))
    for style_image, weight in zip(style_images, blend):
        if weight == 0:
            continue
        share = weight / sum(blend)
        for name, (mean, second) in _style_moments(run, style_image, style_long_side, content_t).items():
            mean, second = share * mean, share * second
            if name in targets:
                mean, second = targets[name][0] + mean, targets[name][1] + second
            targets[name] = (mean, second)
    return targets


class StyleMomentCache:
    """A painting's feature moments at one size are the same in every run that uses them with the same network:
    the most recently used are kept, so a rerun (or the next cell of a grid) skips the painting's forward pass
    at every scale."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.entries: OrderedDict[tuple, dict[str, tuple[torch.Tensor, torch.Tensor]]] = OrderedDict()

    def get(self, key: tuple, compute: Callable[[], dict]) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        if key in self.entries:
            self.entries.move_to_end(key)
            return self.entries[key]
        value = self.entries[key] = compute()
        while len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
        return value


STYLE_MOMENTS = StyleMomentCache(capacity=24)  # a few MB each: every example painting at a few sizes


def _style_moments(
    run: Run, style_image: Image.Image, long_side: int, content_t: torch.Tensor
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Per style layer, the (mean, raw second moment) of one painting's features at `long_side`."""
    config = run.config

    def compute() -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        style_t = to_tensor(resize_long_side(style_image, long_side), run.device)
        if config.color == "match":
            style_t = match_color_statistics(style_t, content_t)
        if tiles.needs_tiles(max(style_t.shape[-2:]), config.tile_size):
            return tiles.tiled_moments(run.features, style_t, list(config.style_layers), config.tile_size)
        features = run.features(style_t)
        return {name: feature_moments(features[name]) for name in config.style_layers}

    if config.color == "match":  # recoloured to this photo: nothing another run could reuse
        return compute()
    network = (tuple(config.style_layers), config.pooling, config.weights, config.padding, run.dtype, run.device)
    return STYLE_MOMENTS.get((fingerprint_image(style_image), long_side, network), compute)


def _initial_image(
    config: StyleConfig, content_t: torch.Tensor, style_image: Image.Image, generator: torch.Generator
) -> torch.Tensor:
    if config.init in ("content", "feedforward"):  # feedforward arrives here only when it cannot run
        return content_t.clone()
    if config.init == "noise":
        return torch.rand(content_t.shape, generator=generator).to(content_t.device)
    height, width = content_t.shape[-2:]
    return to_tensor(style_image.resize((width, height), Image.Resampling.LANCZOS), content_t.device)
