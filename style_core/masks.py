"""Region masks for spatial control (Gatys et al. 2017, "Controlling Perceptual Factors"): one mask per
style image says where that style goes; where no mask reaches, the photo is kept.

A mask is any image (white = this style's region, values 0-1 in between), resized to the content and
feathered so regions meet without a seam. At each VGG19 layer the mask is area-averaged down to the
layer's size: the paper's simple "downsampled guidance channels". Its other option, keeping only neurons
whose receptive field lies wholly inside a region, erodes small regions away at deep layers and leaves an
unstyled band along every border.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageFilter

from .errors import ConfigError
from .images import ImageSource, load_image


def load_masks(
    masks: Sequence[ImageSource | None] | None, styles: int, size: tuple[int, int], feather: float
) -> list[np.ndarray] | None:
    """One float mask (height x width, 0-1) per style at `size` (width, height), feathered by `feather` px;
    None means no spatial
    control: no masks given, or every mask white everywhere (the same run as without masks)."""
    if masks is None or len(masks) == 0:
        return None
    if len(masks) != styles:
        raise ConfigError(f"{len(masks)} masks given for {styles} style images: give one mask per style")
    greys = [_load(mask, i, size) for i, mask in enumerate(masks)]
    if all(grey.getextrema()[0] == 255 for grey in greys):
        return None
    if all(grey.getextrema()[1] == 0 for grey in greys):
        raise ConfigError("every mask is black, so no style would go anywhere: paint at least one region white")
    if feather > 0:
        greys = [grey.filter(ImageFilter.GaussianBlur(feather)) for grey in greys]
    return [np.asarray(grey, dtype=np.float32) / 255.0 for grey in greys]


def _load(mask: ImageSource | None, index: int, size: tuple[int, int]) -> Image.Image:
    if mask is None:
        return Image.new("L", size, 255)
    return load_image(mask, f"mask {index + 1}").convert("L").resize(size, Image.Resampling.BILINEAR)


def unpainted(masks: list[torch.Tensor]) -> torch.Tensor:
    """Where no mask reaches (0-1), from masks of one size."""
    return (1 - torch.stack(masks).sum(0)).clamp(0, 1)


def mask_tensor(array: np.ndarray, height: int, width: int, device: torch.device) -> torch.Tensor:
    """1x1xHxW at one scale's size."""
    tensor = torch.from_numpy(array)[None, None].to(device)
    return F.interpolate(tensor, size=(height, width), mode="area") if tensor.shape[-2:] != (height, width) else tensor


def at_layer(mask: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
    """The mask area-averaged down to a feature map's size (the paper's downsampled guidance channel)."""
    return F.adaptive_avg_pool2d(mask, features.shape[-2:])


def fingerprint(mask: ImageSource | None) -> str | None:
    """A short sha256 of a mask (its file, or a painted image's pixels), recorded in the result so a rerun
    can be checked against it."""
    if isinstance(mask, Image.Image):
        return hashlib.sha256(mask.tobytes()).hexdigest()[:16]
    if isinstance(mask, bytes):
        return hashlib.sha256(mask).hexdigest()[:16]
    if isinstance(mask, (str, os.PathLike)):
        return hashlib.sha256(Path(mask).read_bytes()).hexdigest()[:16]
    return None
