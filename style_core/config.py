"""Every setting of a run in one dataclass that validates itself and round-trips through JSON, plus the
named presets.

Each field carries its `Setting` (label, one-line help, range or choices, tier) as dataclass metadata:
validation, the CLI's flags, the page's controls and docs/USAGE.md's settings table are all made from it.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .device import PRECISIONS
from .errors import ConfigError
from .losses import STYLE_LOSSES
from .vgg import LAYER_NAMES, PADDINGS, POOLING, WEIGHT_SOURCES

PAPERS_BETA_OVER_ALPHA = 1e3  # alpha/beta 1e-3: the paper's balanced pictures, and the default's
STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
FEATURE_LAYERS = tuple(name for name in LAYER_NAMES if not name.startswith("pool"))
# Per-layer style weights named in the write-ups (Gatys et al. use equal weights), and the default's.
LAYER_WEIGHT_PRESETS: dict[str, tuple[float, ...]] = {
    "relu4_1 heavier": (1.0, 1.0, 1.0, 4.0, 1.0),
    "equal": (1.0, 1.0, 1.0, 1.0, 1.0),
    "deeper heavier": (0.5, 1.0, 1.5, 3.0, 4.0),
    "earlier heavier": (1.0, 0.8, 0.5, 0.3, 0.1),
}
INITS = ("feedforward", "content", "noise", "style")
OPTIMIZERS = ("lbfgs", "adam")
COLOR_MODES = ("off", "luminance", "match")
MIN_SIZE, MAX_SIZE = 64, 4096
# styles: the settings beside the style images; regions: beside the painted masks
TIERS = ("everyday", "advanced", "styles", "regions")


@dataclass(frozen=True)
class Setting:
    """What a person needs to know about one StyleConfig field; everything that shows a setting reads it.

    `low`/`high` bound what the engine accepts; `page_high` is the public page's lower cap (CPU time), which
    its controls and its API enforce. `step` makes the page show a slider instead of a number box.
    """

    label: str
    help: str
    tier: str = "advanced"
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None
    page_high: float | None = None


def setting(default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING, **metadata: Any) -> Any:
    """A dataclass field with its Setting attached."""
    return field(default=default, default_factory=factory, metadata={"setting": Setting(**metadata)})


def format_style_layers(layers: dict[str, float]) -> str:
    """`{"relu1_1": 1.0, "relu3_1": 0.5}` -> "relu1_1:1, relu3_1:0.5" (exact: parse gives the same dict back)."""
    return ", ".join(f"{name}:{_exact(weight)}" for name, weight in layers.items())


def parse_style_layers(text: str) -> dict[str, float]:
    """ "relu1_1:1, relu3_1" -> {"relu1_1": 1.0, "relu3_1": 1.0}; a layer without a weight gets 1."""
    layers = {}
    for part in _parts(text):
        name, _, weight = part.partition(":")
        try:
            layers[name.strip()] = float(weight) if weight.strip() else 1.0
        except ValueError:
            raise ConfigError(f"style layer weight {weight.strip()!r} for {name.strip()} is not a number") from None
    return layers


def format_numbers(values: list[float] | None) -> str:
    return "" if values is None else ", ".join(_exact(value) for value in values)


def parse_numbers(text: str) -> list[float] | None:
    """ "0.7, 0.3" -> [0.7, 0.3]; an empty text -> None."""
    try:
        values = [float(part) for part in _parts(text)]
    except ValueError:
        raise ConfigError(f"expected numbers separated by commas, not {text!r}") from None
    return values or None


def parse_names(text: str) -> list[str]:
    return _parts(text)


def _parts(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(",") if part.strip()]


def _exact(value: float) -> str:
    """The shortest text that reads back as exactly `value` (1.0 -> "1")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def named_style_layers(name: str) -> dict[str, float]:
    """A named per-layer style weighting as style_layers (`LAYER_WEIGHT_PRESETS`)."""
    return dict(zip(STYLE_LAYERS, LAYER_WEIGHT_PRESETS[name]))


def style_layers_name(layers: dict[str, float]) -> str | None:
    """The name of the per-layer weighting `layers` is (`LAYER_WEIGHT_PRESETS`), or None for any other."""
    return next((name for name in LAYER_WEIGHT_PRESETS if named_style_layers(name) == layers), None)


def _default_style_layers() -> dict[str, float]:
    return named_style_layers("equal")  # the paper's


@dataclass
class StyleConfig:
    """One stylization's settings. Losses follow Gatys et al.: alpha * content + beta * strength * style + tv.

    content_weight / style_weight are the paper's alpha / beta; strength multiplies beta so a user can push
    the style without thinking in powers of ten.
    """

    content_layers: list[str] = setting(
        factory=lambda: ["relu4_2"], label="Content layers", choices=FEATURE_LAYERS,
        help="VGG19 layers whose activations the result must match (relu4_2 is the paper's conv4_2: Caffe's "
        "ReLU runs in place); deeper layers keep the layout but not the details",
    )  # fmt: skip
    style_layers: dict[str, float] = setting(
        factory=_default_style_layers, label="Style layers and weights",
        help="layers whose Gram matrices the result must match, each with a weight, e.g. relu1_1:1, relu3_1:0.5; "
        "deeper layers carry larger shapes, earlier ones fine texture and colour",
    )  # fmt: skip
    content_weight: float = setting(
        1.0, label="Content weight (alpha)", low=0, help="the paper's alpha; alpha/beta 1e-3 is balanced, 1e-4 strong"
    )
    style_weight: float = setting(
        1e3, label="Style weight (beta)", low=0, help="the paper's beta; 1e3 with alpha 1 is the paper's balance"
    )
    strength: float = setting(
        1.0, label="Style strength", tier="everyday", low=0, high=100, step=0.1, page_high=10,
        help="multiplies beta: 1 is the paper's balance, 10 mostly painting, 0.1 mostly photo",
    )  # fmt: skip
    tv_weight: float = setting(
        1.0, label="Smoothness (TV weight)", low=0,
        help="total variation on pixels in [0, 1]: evens out speckle; 1 hardly shows, 100 softens the strokes; 0 = off",
    )  # fmt: skip
    frame_weight: float = setting(
        100.0, label="Frame guard", low=0,
        help="holds the mean colour of each side's outer rows, relative to the photo, level with the rows inside "
        "them, so the result grows no frame or tinted edge; 0 = off (the paper)",
    )  # fmt: skip
    style_loss: str = setting(
        "gram", label="Style loss", choices=STYLE_LOSSES,
        help="gram (the paper's Gram matrices) or w2 (Wasserstein-2: feature means and covariances, slower)",
    )  # fmt: skip
    pooling: str = setting("max", label="Pooling", choices=POOLING, help="max or avg (the paper used avg)")
    padding: str = setting(
        "canvas", label="Edge padding", choices=PADDINGS,
        help="how VGG19 sees past the image's edge: zeros (the paper's) grows a frame; canvas optimises a "
        "larger canvas (the photo mirrored out) and crops it, so the result's edges are inside it; mirror "
        "gives the image a mirrored margin whose features are cropped away; reflect or replicate pad every "
        "convolution",
    )  # fmt: skip
    weights: str = setting(
        "bundled", label="VGG19 weights", choices=WEIGHT_SOURCES,
        help="bundled (the paper's Caffe VGG19, offline) or torchvision (548 MB download, a different look)",
    )  # fmt: skip
    precision: str = setting(
        "auto", label="Precision", choices=PRECISIONS,
        help="the network's number format: bfloat16 is faster where the CPU or GPU has it natively, which is what "
        "auto picks; elsewhere both run in float32 (emulated bfloat16 is tens of times slower); losses stay float32",
    )  # fmt: skip
    init: str = setting(
        "feedforward", label="Start from", choices=INITS,
        help="feedforward (the photo redrawn in a fraction of a second by a network trained for any painting: "
        "its palette and strokes from the start), content, noise (freer, more painterly) or style",
    )  # fmt: skip
    optimizer: str = setting(
        "lbfgs", label="Optimiser", choices=OPTIMIZERS,
        help="lbfgs converges in fewer steps; adam (with learning_rate) uses less memory",
    )  # fmt: skip
    learning_rate: float = setting(
        0.02, label="Adam learning rate", low=1e-6, high=10, help="Adam's step on pixels in [0, 1]; Adam only"
    )
    lbfgs_history: int = setting(50, label="L-BFGS history", low=1, high=1000, help="L-BFGS curvature history length")
    iterations: int = setting(
        36, label="Iterations", tier="everyday", low=1, high=100_000, step=1, page_high=500,
        help="steps at the coarsest scale (the only one when scales is 1); each finer scale runs fewer",
    )  # fmt: skip
    # Five scales from a quarter of the size: a step at 128 px costs a sixteenth of one at 512, so the painting's
    # large strokes form where they are cheap, and the controls change them there (bench/quality.py).
    scales: int = setting(
        5, label="Scales (coarse to fine)", low=1, high=8, step=1,
        help="start small and grow: faster, and larger brush strokes; sizes shrink by scale_factor from size",
    )  # fmt: skip
    # Each jump is small (1.41x), so a finer scale starts near its optimum (see transfer.grown).
    scale_factor: float = setting(2**0.5, label="Scale factor", low=1.05, high=4, help="size ratio between scales")
    # Each finer scale runs this fraction of the previous scale's steps: the look forms at the coarse,
    # cheap scales and a warm-started finer scale only sharpens it. With 36 iterations the two finest scales keep
    # the 7 and 4 steps that hold the photo and the fine strokes; the coarse scales' extra steps moved little
    # (bench/quality.py's look table in docs/BENCHMARKS.md).
    fine_steps_ratio: float = setting(
        0.58, label="Fine steps ratio", low=0.01, high=1,
        help="each finer scale runs this fraction of the previous scale's steps",
    )  # fmt: skip
    min_change: float = setting(
        0.0, label="Early stop threshold", low=0, high=255,
        help="stop a scale when pixels move less than this per step (mean over 5 steps, 0-255); 0 = off",
    )  # fmt: skip
    size: int = setting(
        512, label="Output size (long side, px)", tier="everyday", low=MIN_SIZE, high=MAX_SIZE, step=1,
        page_high=1024, help="output long side in px: larger is sharper and slower (time grows with the pixels)",
    )  # fmt: skip
    style_scale: float = setting(
        1.0, label="Style scale", low=0.1, high=4,
        help="style image size relative to the output; smaller gives bigger brush strokes",
    )  # fmt: skip
    # Not in the paper: past this size a scale is refined in overlapping tiles (tiles.py), so a print size fits in
    # a few GB; the style targets stay the whole painting's.
    tile_size: int = setting(
        1024, label="Tile size (px)", low=0, high=MAX_SIZE,
        help="scales larger than a picture this long are refined tile by tile, in bounded memory; 0 = never tile",
    )  # fmt: skip
    style_blend: list[float] | None = setting(
        None, label="Style blend weights", tier="styles",
        help="one weight per style image, e.g. 0.7, 0.3; empty blends them equally",
    )  # fmt: skip
    mask_feather: float = setting(
        8.0, label="Region edge softness (px)", tier="regions", low=0, high=64,
        help="with painted regions: blur each mask by this many output pixels so regions meet without a seam",
    )  # fmt: skip
    unmasked_style: float = setting(
        0.0, label="Style outside the regions", tier="regions", low=0, high=1,
        help="with painted regions: 0 keeps the photo where nothing is painted, up to 1 styles it like the rest",
    )  # fmt: skip
    color: str = setting(
        "off", label="Colour preservation", tier="everyday", choices=COLOR_MODES,
        help="off; luminance keeps the photo's colours and tones; match recolours the style to the photo first",
    )  # fmt: skip
    seed: int = setting(
        0, label="Seed", tier="everyday", low=0, high=2**63 - 1,
        help="the same seed and settings give the same image on the same machine",
    )  # fmt: skip

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        for spec in dataclasses.fields(self):
            if spec.type in ("int", "float", "str"):
                _check_scalar(spec.name, getattr(self, spec.name), spec.type, spec.metadata["setting"])
        if not isinstance(self.content_layers, list) or not all(isinstance(n, str) for n in self.content_layers):
            raise ConfigError(f"content_layers must be a list of layer names, not {self.content_layers!r}")
        if not isinstance(self.style_layers, dict):
            raise ConfigError(f"style_layers must map layer names to weights, not {self.style_layers!r}")
        if self.style_blend is not None and not isinstance(self.style_blend, list):
            raise ConfigError(f"style_blend must be a list of weights or null, not {self.style_blend!r}")
        if not self.content_layers and self.content_weight > 0:
            raise ConfigError("content_layers is empty: name at least one layer or set content_weight to 0")
        if not self.style_layers:
            raise ConfigError("style_layers is empty: name at least one layer")
        for name in list(self.content_layers) + list(self.style_layers):
            if name not in LAYER_NAMES:
                raise ConfigError(
                    f"unknown VGG19 layer {name!r}; use conv1_1 .. conv5_4, relu1_1 .. relu5_4 or pool1 .. pool5"
                )
        for name, weight in self.style_layers.items():
            _check_number(f"style layer weight for {name}", weight, low=0)
        if sum(self.style_layers.values()) <= 0:
            raise ConfigError("the style layer weights add up to 0: give at least one layer a positive weight")
        if self.style_blend is not None:
            for weight in self.style_blend:
                _check_number("style blend weight", weight, low=0)
            if not self.style_blend or sum(self.style_blend) <= 0:
                raise ConfigError("style_blend weights add up to 0: give at least one style a positive weight")

    def style_balance(self) -> float:
        """How much more style than the paper's balance these weights ask for: beta * strength / alpha against
        the default's; 10 at strength 10 or beta 1e4, 0.1 at alpha 10."""
        style = self.style_weight * self.strength
        if not self.content_weight:
            return math.inf if style else 1.0
        return style / self.content_weight / PAPERS_BETA_OVER_ALPHA

    def scale_sizes(self) -> list[int]:
        """Long sides of the coarse-to-fine scales, smallest first, ending at `size`."""
        sizes = [max(MIN_SIZE, round(self.size / self.scale_factor**k)) for k in reversed(range(self.scales))]
        return list(dict.fromkeys(sizes))  # scales that would fall below MIN_SIZE collapse into one

    def scale_iterations(self) -> list[int]:
        """The most steps at each scale, coarsest first."""
        return [max(1, round(self.iterations * self.fine_steps_ratio**k)) for k in range(len(self.scale_sizes()))]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StyleConfig:
        if not isinstance(data, dict):
            raise ConfigError("settings must be a JSON object")
        unknown = sorted(set(data) - set(SETTINGS))
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}; the settings are {', '.join(SETTINGS)}")
        try:
            return cls(**data)
        except TypeError as error:
            raise ConfigError(f"bad settings: {error}") from None

    @classmethod
    def from_json(cls, text: str) -> StyleConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(f"settings are not valid JSON: {error}") from None
        return cls.from_dict(data)

    def replace(self, **changes: Any) -> StyleConfig:
        """A deep copy with some settings changed (validated)."""
        return StyleConfig.from_dict({**self.to_dict(), **changes})


# Field name -> its Setting, in the dataclass's order: the one table every front end reads.
SETTINGS: dict[str, Setting] = {spec.name: spec.metadata["setting"] for spec in dataclasses.fields(StyleConfig)}


def _check_scalar(name: str, value: Any, kind: str, spec: Setting) -> None:
    if spec.choices:
        if value not in spec.choices:
            raise ConfigError(f"{name} must be one of {', '.join(spec.choices)}, not {value!r}")
    elif kind == "int":
        _check_int(name, value, int(spec.low), int(spec.high))
    elif kind == "float":
        _check_number(name, value, spec.low, math.inf if spec.high is None else spec.high)


def _check_number(name: str, value: Any, low: float, high: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(
            f"{name} must be at least {low:g}"
            + (f" and at most {high:g}" if high != math.inf else "")
            + f", not {value}"
        )


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")


def controls_table() -> str:
    """docs/USAGE.md's table of settings, made from SETTINGS (`python -m style_core settings` prints it)."""
    defaults = StyleConfig()
    rows = ["| setting | meaning | values | default |", "|---|---|---|---|"]
    for name, spec in SETTINGS.items():
        if spec.choices and name != "content_layers":
            values = " / ".join(spec.choices)
        elif spec.low is not None:
            bounded = spec.high is not None and spec.high < 1e9
            values = f"{spec.low:g} to {spec.high:g}" if bounded else f"at least {spec.low:g}"
            if spec.page_high is not None:
                values += f" (the page: up to {spec.page_high:g})"
        else:
            values = "VGG19 layer names" if "layers" in name else "numbers"
        default = getattr(defaults, name)
        shown = format_style_layers(default) if name == "style_layers" else json.dumps(default)
        rows.append(f"| `{name}` | {spec.label}: {spec.help} | {values} | `{shown}` |")
    return "\n".join(rows)


def describe(config: StyleConfig) -> str:
    """A one-line caption of the settings a user most often changes."""
    ratio = (
        config.content_weight / (config.style_weight * config.strength)
        if config.style_weight * config.strength
        else float("inf")
    )
    sizes = "/".join(str(s) for s in config.scale_sizes())
    parts = [
        f"alpha/beta {ratio:.0e}",
        f"{sizes} px",
        "/".join(str(n) for n in config.scale_iterations()) + " steps",
        f"{config.optimizer}",
        f"{config.pooling} pool",
        f"init {config.init}",
    ]
    if config.color != "off":
        parts.append(f"colour {config.color}")
    if config.tv_weight:
        parts.append(f"tv {config.tv_weight:g}")
    return ", ".join(parts)


PRESETS: dict[str, StyleConfig] = {
    # Gatys et al. 2015/2016: average pooling, white-noise start, alpha/beta = 1e-3, one scale, L-BFGS.
    "gatys2015": StyleConfig(
        style_layers=named_style_layers("equal"),
        pooling="avg",
        padding="zeros",
        init="noise",
        style_weight=1e3,
        tv_weight=0.0,
        frame_weight=0.0,
        scales=1,
        iterations=500,
    ),
    "balanced": StyleConfig(),
    "strong_style": StyleConfig(style_weight=1e4),  # alpha/beta = 1e-4
    "keep_colors": StyleConfig(color="luminance"),
    # Speed: the feed-forward picture at 256 px with a few steps at that size only.
    "fast_preview": StyleConfig(size=256, scales=1, iterations=4),
    # Twice the steps at every scale, more of them at the fine scales: the painting's texture matched further
    # at full size, for about three times the default's time.
    "thorough": StyleConfig(iterations=96, fine_steps_ratio=0.65),
}
DEFAULT_PRESET = "balanced"
# What each preset is for, in a user's words: the page's preset menu and `python -m style_core presets` show it.
PRESET_HELP: dict[str, str] = {
    "gatys2015": "the 2015 paper's settings (noise start, one scale of 500 steps)",
    "balanced": "the default, the painting's strokes over a photo that stays recognisable",
    "strong_style": "ten times the style weight: more painting, less photo",
    "keep_colors": "the photo's own colours and tones",
    "fast_preview": "a few seconds at 256 px",
    "thorough": "about three times slower: the painting's fine strokes matched further, the photo clearer",
}


def preset(name: str) -> StyleConfig:
    """A fresh copy of a named preset."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name].replace()


PRINT_SIZE = 2048
PRINT_STEPS = 4


def print_settings(config: StyleConfig, size: int = PRINT_SIZE) -> StyleConfig:
    """A finished result's settings for taking it to `size` px, given to stylize as its `start`: one scale at that
    size, a few steps that redraw the enlarged picture's blur in the painting's strokes at the print's resolution."""
    return config.replace(size=size, scales=1, iterations=PRINT_STEPS, min_change=0.0)
