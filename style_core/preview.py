"""The instant preview: the feed-forward network's picture of the photo in the painting(s), at the output size,
in well under a second on a CPU. It is what the page shows while the painting or the settings change, before
Run, and the sheet of one photo in many paintings.

The style balance (strength, beta and alpha) moves along the network's own interpolation between the photo's
style vector and the painting's (Ghiasi et al. 2017, section 4.3), so the preview follows the strength slider;
colour preservation is applied as the full run applies it. The full run starts from this picture and refines it
with the painting's own textures.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from PIL import Image

from . import feedforward
from .config import StyleConfig
from .cost import FEEDFORWARD_MAX_SIDE
from .images import (
    ImageSource,
    load_image,
    luminance_transfer,
    resize_long_side,
    resize_tensor,
    to_pil,
    to_tensor,
)
from .transfer import output_size, style_label


def instant_preview(
    content: ImageSource, styles: Sequence[ImageSource], config: StyleConfig, device: str | torch.device = "cpu"
) -> Image.Image:
    """The photo redrawn by the feed-forward network with `styles` (blended by config.style_blend), at
    config.size, with the style balance and config.color applied."""
    photo = load_image(content, "content image")
    paintings = [load_image(style, style_label(n, len(styles))) for n, style in enumerate(styles)]
    width, height = output_size(photo, config.size)
    # Past FEEDFORWARD_MAX_SIDE the network paints at that size and is enlarged, as the full run's start is.
    small = to_tensor(resize_long_side(photo, min(config.size, FEEDFORWARD_MAX_SIDE)), device)
    vector = feedforward.with_balance(
        _blended_vector(paintings, config, small),
        lambda: feedforward.image_vector(photo, device),
        config.style_balance(),
    )
    picture = resize_tensor(feedforward.stylize(small, vector), height, width).clamp(0, 1)
    if config.color == "luminance":
        picture = luminance_transfer(picture, to_tensor(photo.resize((width, height)), device))
    return to_pil(picture)


def _blended_vector(paintings: list[Image.Image], config: StyleConfig, photo: torch.Tensor) -> torch.Tensor:
    given = config.style_blend
    blend = given if len(given or ()) == len(paintings) else [1.0] * len(paintings)  # weights for other paintings
    match_colours = config.color == "match"
    return feedforward.blended_vector(
        paintings, blend, lambda painting: feedforward.painting_vector(painting, photo, match_colours)
    )
