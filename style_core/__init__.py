"""style_core: Gatys-style neural style transfer (VGG19, content/Gram/TV losses, L-BFGS or Adam,
coarse-to-fine) and a Zero-Shot Noise2Noise denoiser. No web framework in here."""

from .config import PRESETS, SETTINGS, StyleConfig, describe, preset
from .errors import ConfigError, ImageError, StyleCoreError, WeightsError
from .images import load_image, read_png_settings, save_png
from .transfer import Progress, stylize, stylize_image

__all__ = [
    "PRESETS",
    "SETTINGS",
    "ConfigError",
    "ImageError",
    "Progress",
    "StyleConfig",
    "StyleCoreError",
    "WeightsError",
    "describe",
    "load_image",
    "preset",
    "read_png_settings",
    "save_png",
    "stylize",
    "stylize_image",
]
