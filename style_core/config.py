"""Every setting of a run in one dataclass that validates itself and round-trips through JSON,
plus the named presets.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .vgg import LAYER_NAMES, POOLING, WEIGHT_SOURCES

STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
# Per-layer style weights named in the write-ups (Gatys et al. use equal weights).
LAYER_WEIGHT_PRESETS: dict[str, tuple[float, ...]] = {
    "equal": (1.0, 1.0, 1.0, 1.0, 1.0),
    "deeper heavier": (0.5, 1.0, 1.5, 3.0, 4.0),
    "earlier heavier": (1.0, 0.8, 0.5, 0.3, 0.1),
}
INITS = ("content", "noise", "style")
OPTIMIZERS = ("lbfgs", "adam")
COLOR_MODES = ("off", "luminance", "match")
MIN_SIZE, MAX_SIZE = 64, 4096


def _equal_style_layers() -> dict[str, float]:
    return dict.fromkeys(STYLE_LAYERS, 1.0)


@dataclass
class StyleConfig:
    """One stylisation's settings. Losses follow Gatys et al.: alpha * content + beta * strength * style + tv.

    content_weight / style_weight are the paper's alpha / beta (the app shows alpha/beta as one ratio);
    strength multiplies beta so a user can push the style without thinking in powers of ten.
    """

    content_layers: list[str] = field(default_factory=lambda: ["relu4_2"])
    style_layers: dict[str, float] = field(default_factory=_equal_style_layers)
    content_weight: float = 1.0
    style_weight: float = 1e3  # alpha/beta = 1e-3, the paper's balanced setting
    strength: float = 1.0
    tv_weight: float = 1.0  # on pixels in [0, 1]; 30 visibly smooths, 0 turns it off
    pooling: str = "max"
    weights: str = "bundled"
    init: str = "content"
    optimizer: str = "lbfgs"
    learning_rate: float = 0.02  # Adam only, on pixels in [0, 1]
    lbfgs_history: int = 50
    iterations: int = 80  # steps at the coarsest scale (the only scale when scales=1)
    scales: int = 3  # coarse-to-fine: sizes shrink by scale_factor from `size`
    scale_factor: float = 2**0.5
    # Each finer scale runs this fraction of the previous scale's steps: the look forms at the coarse,
    # cheap scales and a warm-started finer scale only sharpens it (bench/speed.py measures the trade).
    fine_steps_ratio: float = 0.5
    min_change: float = 0.0  # stop a scale once pixels move less than this per step (mean |dpixel| over 5 steps, 0-255)
    size: int = 512  # long side of the output
    style_scale: float = 1.0  # style image long side = style_scale * working long side
    style_blend: list[float] | None = None  # one weight per style image; None blends them equally
    color: str = "off"
    seed: int = 0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
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
        for name in ("content_weight", "style_weight", "tv_weight"):
            _check_number(name, getattr(self, name), low=0)
        _check_number("strength", self.strength, low=0, high=1e4)
        _check_number("learning_rate", self.learning_rate, low=0, high=10, open_low=True)
        _check_choice("pooling", self.pooling, POOLING)
        _check_choice("weights", self.weights, WEIGHT_SOURCES)
        _check_choice("init", self.init, INITS)
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_choice("color", self.color, COLOR_MODES)
        _check_int("iterations", self.iterations, 1, 100_000)
        _check_int("scales", self.scales, 1, 8)
        _check_int("lbfgs_history", self.lbfgs_history, 1, 1000)
        _check_int("size", self.size, MIN_SIZE, MAX_SIZE)
        _check_int("seed", self.seed, 0, 2**63 - 1)
        _check_number("scale_factor", self.scale_factor, low=1.05, high=4)
        _check_number("min_change", self.min_change, low=0, high=255)
        _check_number("fine_steps_ratio", self.fine_steps_ratio, low=0.01, high=1)
        _check_number("style_scale", self.style_scale, low=0.1, high=4)
        if self.style_blend is not None:
            for weight in self.style_blend:
                _check_number("style blend weight", weight, low=0)
            if not self.style_blend or sum(self.style_blend) <= 0:
                raise ConfigError("style_blend weights add up to 0: give at least one style a positive weight")

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
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}")
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


def _check_number(name: str, value: Any, low: float, high: float = math.inf, open_low: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a number, not {value!r}")
    if value < low or (open_low and value == low) or value > high:
        bound = f"above {low}" if open_low else f"at least {low}"
        raise ConfigError(
            f"{name} must be {bound}" + (f" and at most {high}" if high != math.inf else "") + f", not {value}"
        )


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


PRESETS: dict[str, StyleConfig] = {
    # Gatys et al. 2015/2016: average pooling, white-noise start, alpha/beta = 1e-3, one scale, L-BFGS.
    "gatys2015": StyleConfig(pooling="avg", init="noise", style_weight=1e3, tv_weight=0.0, scales=1, iterations=500),
    "balanced": StyleConfig(),
    "strong_style": StyleConfig(style_weight=1e4),  # alpha/beta = 1e-4
    "keep_colors": StyleConfig(color="luminance"),
    "fast_preview": StyleConfig(size=256, scales=2, iterations=40),
}
DEFAULT_PRESET = "balanced"


def preset(name: str) -> StyleConfig:
    """A fresh copy of a named preset."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name].replace()
