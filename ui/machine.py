"""This machine's speed, measured when the app starts, and what the page makes of it: the default output size
(a default run takes about TARGET_SECONDS), the time a run is expected to take, shown before it starts, and
the Compare grid's cell size."""

from __future__ import annotations

import os
from dataclasses import dataclass

import gradio as gr
import torch
from PIL import ExifTags, Image

from style_core import StyleConfig, preset
from style_core.config import DEFAULT_PRESET
from style_core.cost import denoise_units, measure_unit, run_units, size_for_seconds
from style_core.denoise import preview_count
from style_core.device import network_dtype, pick_device
from style_core.explore import ExploreConfig, figure_units, plan_cells
from style_core.grid import cell_size_for_seconds, plan_of_size, plan_units

TARGET_SECONDS = 30.0  # what a default run should take on whatever machine serves the page
TYPICAL_ASPECT = 0.75  # a 4:3 photo, until one is uploaded
MEASURE_SIZE = 384  # a quarter of a second to a few seconds on a CPU; the unit scales it to 512x512
# Until measured (tests, or a page built without app.py): a 2-core CPU without bfloat16, the slowest kind the
# page is served on (a free Space), so nothing is promised that such a CPU cannot keep.
ASSUMED_UNIT_SECONDS = 4.8
# A browser on the server's own machine (`python app.py` opened on localhost) draws the live previews on the
# cores the run needs: the run takes longer by about this many cores' worth of its time, shared over the cores
# (docs/BENCHMARKS.md, "The page fits the machine"). A browser elsewhere (a Space, a LAN) costs the run nothing.
LOCAL_BROWSER_CORES = 0.3
# A comparison grid costs such a browser more: each finished cell sends the whole grid so far, decoded and drawn
# again (fitted to the Compare tab in Chromium, 2026-12-07: docs/BENCHMARKS.md, "The page fits the machine").
LOCAL_BROWSER_GRID_CORES = 0.75
# Such a browser also receives and draws each finished video frame: this many float32 units a frame on top, whatever
# the frame's size (fitted to the Video tab in Chromium, 2026-12-07: docs/BENCHMARKS.md, "Video").
LOCAL_BROWSER_FRAME_UNITS = 0.04
# The Denoise tab's own work around the denoiser, per megapixel, in float32 units: reading the image, writing the
# result as PNG, and the before and the result as shown (fitted to the tab in Chromium at 1-24 MP, 2026-12-07).
DENOISE_PAGE_UNITS = 0.15
# How an expected-time line follows its controls: at once, outside the queue, and always from the last change (a
# preset sets many controls while the line is being worked out; Gradio's default would drop those changes).
LINE_UPDATE = {"api_visibility": "private", "queue": False, "show_progress": "hidden", "trigger_mode": "always_last"}


@dataclass(frozen=True)
class Machine:
    """Seconds of one VGG19 forward and backward pass at 512x512 (style_core.cost's unit), per network dtype."""

    unit_seconds: dict[str, float]
    measured: bool = True

    def unit_for(self, config: StyleConfig) -> float:
        dtype = str(network_dtype(config.precision, pick_device()))
        return self.unit_seconds.get(dtype, max(self.unit_seconds.values()))

    @property
    def float32_unit(self) -> float:
        """The unit in float32, which the Layers figure and the denoiser's costs are counted in."""
        return self.unit_seconds.get(str(torch.float32), max(self.unit_seconds.values()))

    def seconds(self, config: StyleConfig, aspect: float = TYPICAL_ASPECT, runs: int = 1) -> float:
        return runs * run_units(config, aspect) * self.unit_for(config)

    def default_config(self) -> StyleConfig:
        """The page's starting settings: the default preset at the size whose run takes about TARGET_SECONDS."""
        config = preset(DEFAULT_PRESET)
        return config.replace(size=size_for_seconds(config, TARGET_SECONDS, self.unit_for(config), TYPICAL_ASPECT))

    def grid_cell_size(
        self, kind: str, config: StyleConfig, styles: int, aspect: float = TYPICAL_ASPECT, browser_here: bool = False
    ) -> int:
        """A comparison grid's cell size here: the largest whose grid takes about TARGET_SECONDS, with the page
        open in a browser on this same machine if `browser_here`."""
        unit = with_local_browser(self.unit_for(config), browser_here, LOCAL_BROWSER_GRID_CORES)
        return cell_size_for_seconds(kind, config, styles, TARGET_SECONDS, unit, aspect)

    def grid_expected(
        self, kind: str, config: StyleConfig, styles: int, aspect: float = TYPICAL_ASPECT, browser_here: bool = False
    ) -> str:
        """The Compare tab's line: the grid's cell size here and how long its cells take."""
        size = self.grid_cell_size(kind, config, styles, aspect, browser_here)
        plan = plan_of_size(kind, config, styles, size)
        seconds = with_local_browser(
            plan_units(plan, aspect) * self.unit_for(config), browser_here, LOCAL_BROWSER_GRID_CORES
        )
        cells = len(plan.runs)
        return self._ready(seconds, f"for {cells} cell{'s' * (cells != 1)} at {size} px")

    def expected(
        self, config: StyleConfig, aspect: float = TYPICAL_ASPECT, clean_up: bool = False, browser_here: bool = False
    ) -> str:
        """The line beside Run: how long these settings take here, with the page open in a browser on this same
        machine if `browser_here` (see browser_on_this_machine)."""
        seconds = with_local_browser(self.seconds(config, aspect), browser_here)
        if not clean_up:
            return self._ready(seconds, f"at {config.size} px")
        pixels = round(config.size * config.size * aspect)
        clean_up_seconds = with_local_browser(self.denoise_seconds(pixels), browser_here)
        line = self._ready(seconds + clean_up_seconds, f"at {config.size} px")
        return f"{line}, the clean-up {duration(clean_up_seconds)} of it"

    def denoise_seconds(self, pixels: int, previews: int = 0) -> float:
        """The denoiser's time here on an image of `pixels`, showing `previews` on the way (the last is the result)."""
        return denoise_units(pick_device(), pixels, max(1, previews)) * self.float32_unit

    def denoise_expected(self, browser_here: bool = False, size: tuple[int, int] | None = None) -> str:
        """The Denoise tab's line for an image of `size` (width, height; None: before one is given), with the page
        open in a browser on this machine if `browser_here`."""
        width, height = size or (1000, 1000)
        pixels = width * height
        page_seconds = DENOISE_PAGE_UNITS * pixels / 1e6 * self.float32_unit
        seconds = with_local_browser(self.denoise_seconds(pixels, preview_count(pixels)) + page_seconds, browser_here)
        if size is None:
            return self._ready(seconds, "for a 1 megapixel image") + "; a larger image takes longer"
        return self._ready(seconds, f"for this {width}x{height} image")

    def figure_expected(self, config: ExploreConfig, photo: float, painting: float, browser_here: bool) -> str:
        """The Layers tab's line: how long the figure takes here (it runs in float32 whatever the precision), for
        the photo's and the painting's shapes (short side over long side)."""
        units = figure_units(config, photo, painting)
        seconds = with_local_browser(units * self.float32_unit, browser_here)
        return self._ready(seconds, f"for {len(plan_cells(config))} cells at {config.size} px")

    def _ready(self, seconds: float, what: str = "") -> str:
        guess = "" if self.measured else " (not measured: the time of a 2-core CPU without bfloat16)"
        return f"Ready: about {duration(seconds)}{f' {what}' if what else ''} on this machine{guess}"


def with_local_browser(seconds: float, browser_here: bool, cores: float = LOCAL_BROWSER_CORES) -> float:
    """A job's `seconds`, with the page open in a browser on the server's own machine if `browser_here` (taking
    `cores` of its cores' time)."""
    return seconds * (1 + cores / (os.cpu_count() or 1)) if browser_here else seconds


def browser_on_this_machine(request: gr.Request | None) -> bool:
    """Whether the page was opened on the server's own machine: a browser on localhost, with no proxy between
    (a Space's visitors come through one, a LAN's from other addresses)."""
    client = getattr(request, "client", None)
    if client is None or request.headers.get("x-forwarded-for"):
        return False
    return client.host in ("127.0.0.1", "::1")


def duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def measure() -> Machine:
    """Time the unit in each network dtype the page's runs may use (auto, and float32 where they differ)."""
    device = pick_device()
    units = {}
    for precision in ("auto", "float32"):
        dtype = str(network_dtype(precision, device))
        if dtype not in units:
            # On a CPU a second dtype's first pass at the size is no slower than its later ones (about a second
            # of the server's start saved); a GPU's is (cuDNN picks its kernels).
            untimed = 0 if units and device.type == "cpu" else 1
            units[dtype] = measure_unit(device, precision, size=MEASURE_SIZE, repeats=1, untimed=untimed)
    return Machine(units)


UNMEASURED = Machine({str(torch.float32): ASSUMED_UNIT_SECONDS}, measured=False)


def photo_aspect(path: str | None) -> float:
    """Short side over long side of the photo at `path` (its header only); a 4:3 photo when there is none."""
    size = image_size(path)
    return min(size) / max(size) if size and min(size) > 0 else TYPICAL_ASPECT


def image_size(path: str | None) -> tuple[int, int] | None:
    """(width, height) of the image at `path`, from its header only; None when there is none or it is unreadable."""
    if not path:  # no image yet: Pillow's open(None) raises AttributeError, not an error about the file
        return None
    try:
        with Image.open(path) as image:
            width, height = image.size
            # EXIF orientations 5-8 turn the stored picture a quarter: a phone's upright portrait, stored lying.
            turned = image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)
            return (height, width) if turned else (width, height)
    except (OSError, TypeError, ValueError):
        return None
