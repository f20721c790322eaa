"""Painted regions on the Stylize tab: the content photo in an editor, one brush colour per style."""

from __future__ import annotations

from typing import Any

import gradio as gr
import numpy as np
from PIL import Image

# Brush colour -> what a stroke of it means. Unpainted pixels keep the photo once anything is painted.
BRUSHES = {"#e8412c": "style 1", "#2c6be8": "second style", "#2ce85a": "keep the photo"}
LEGEND = (
    "Paint on the photo where each style goes: **red** = the style image, **blue** = the second style "
    "(Blend a second style), **green** or unpainted = keep the photo. Leave it empty for the usual whole-picture run."
)


def make_editor() -> gr.ImageEditor:
    return gr.ImageEditor(
        label="Paint regions", type="numpy", image_mode="RGBA", height=360, layers=False, sources=(),
        brush=gr.Brush(colors=list(BRUSHES), default_color=next(iter(BRUSHES)), color_mode="fixed"),
        transforms=(), elem_id="regions",
    )  # fmt: skip


def masks_from_editor(value: dict | None, styles: int) -> list[Image.Image] | None:
    """One white-on-black mask per style from the painted strokes; None when nothing is painted."""
    strokes = _strokes(value)
    if strokes is None:
        return None
    alpha = strokes[..., 3] > 0
    palette = np.array([[int(code[i : i + 2], 16) for i in (1, 3, 5)] for code in BRUSHES], dtype=np.float32)
    distance = ((strokes[..., None, :3].astype(np.float32) - palette) ** 2).sum(-1)
    brush = np.where(alpha, distance.argmin(-1), -1)  # index into BRUSHES per pixel, -1 = unpainted
    if styles < 2 and (brush == 1).any():
        raise gr.Error(
            "A blue region is painted for a second style, but there is no second style image: add one or erase it."
        )
    return [Image.fromarray(((brush == index) * 255).astype(np.uint8), "L") for index in range(styles)]


def _strokes(value: dict | None) -> np.ndarray | None:
    """The painted layer (RGBA) when any stroke exists."""
    if not value or not value.get("layers"):
        return None
    layer: Any = value["layers"][0]
    layer = np.asarray(layer)
    if layer.ndim != 3 or layer.shape[-1] != 4 or not (layer[..., 3] > 0).any():
        return None
    return layer
