"""Zero-Shot Noise2Noise (Mansour & Heckel, CVPR 2023): a tiny network fitted to the one noisy image.

The pair downsampler splits the image into two half-size images whose noise is independent; the network
learns to predict the noise of one from the other (residual loss) while staying consistent between the
full image and its halves (consistency loss). Then denoised = y - f(y) on the whole image.

Modes: "paper" is the published recipe (whole image, 3000 Adam steps, lr 1e-3 halved every 1000);
"fast" trains on random crops with the residual loss only and a shorter schedule, for CPUs (see docs/BENCHMARKS.md).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from .adam import Adam
from .device import bfloat16_is_native, pick_device
from .errors import ConfigError
from .images import ImageSource, load_image, to_pil, to_tensor

MODES = ("fast", "paper")
PRECISIONS = ("float32", "bfloat16")
# The trained network applied to the whole image in bands of rows of about this many pixels: its feature maps
# would need about 1 GB per 2 megapixels at once (10 GB for a 24 MP camera photo).
APPLY_BAND_PIXELS = 1 << 20
APPLY_HALO = 2  # rows: two 3x3 convolutions see two rows either side
# Each preview is such a pass over the whole image: about five a run up to a megapixel, fewer past it (a 24 MP
# photo's five would take several times the fitting itself).
PREVIEW_PIXELS = 5_000_000


def preview_count(pixels: int) -> int:
    """How many whole-image previews a run on an image of `pixels` can afford; the last is the result."""
    return min(5, PREVIEW_PIXELS // max(1, pixels))


@dataclass
class DenoiseConfig:
    """Settings of one denoising run; unset fields take the mode's values."""

    mode: str = "fast"
    steps: int | None = None  # paper: 3000
    learning_rate: float | None = None  # paper: 1e-3
    halve_every: int | None = None  # paper: 1000 (the learning rate halves every so many steps)
    crop: int | None = None  # train on random crops of this size; None = the whole image (paper)
    crops_per_step: int | None = None  # paper: 1 (the whole image)
    consistency_loss: bool | None = None  # paper: True
    precision: str | None = None  # paper: float32; bfloat16 falls back to float32 where the device lacks it
    seed: int = 0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"denoise mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        defaults = FAST if self.mode == "fast" else PAPER
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        for name in ("steps", "halve_every", "crops_per_step"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
                raise ConfigError(f"{name} must be a whole number from 1 to 1000000, not {value!r}")
        if not isinstance(self.consistency_loss, bool):
            raise ConfigError(f"consistency_loss must be true or false, not {self.consistency_loss!r}")
        if self.precision not in PRECISIONS:
            raise ConfigError(f"precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")
        if self.crop is not None and (not isinstance(self.crop, int) or not 16 <= self.crop <= 4096):
            raise ConfigError(f"crop must be a whole number from 16 to 4096, not {self.crop!r}")
        if not isinstance(self.learning_rate, (int, float)) or not 0 < self.learning_rate <= 1:
            raise ConfigError(f"learning_rate must be in (0, 1], not {self.learning_rate!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(f"seed must be a whole number >= 0, not {self.seed!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


PAPER: dict[str, Any] = {
    "steps": 3000,
    "learning_rate": 1e-3,
    "halve_every": 1000,
    "crop": None,
    "crops_per_step": 1,
    "consistency_loss": True,
    "precision": "float32",
}
# Departs from the paper for speed (docs/BENCHMARKS.md): eight random 32 px crops per step instead of the
# whole image (the network sees only 5x5 pixels, so small crops teach it what whole images do), no consistency
# loss (it needs a pass over the full-size crop, two thirds of a step's work, and in this short run the
# freed time buys more than the term gives: +0.7 dB mean on Kodak24 at about equal time), bfloat16 convolutions
# (1.3-1.9x faster on CPUs with AVX-512), and a higher learning rate with more frequent halving for the
# shorter run. The step cost no longer grows with the image: only the passes over the whole image do.
FAST: dict[str, Any] = {
    "steps": 1500,
    "learning_rate": 4e-3,
    "halve_every": 500,
    "crop": 32,
    "crops_per_step": 8,
    "consistency_loss": False,
    "precision": "bfloat16",
}


class DenoiseNet(nn.Module):
    """Conv3x3(C->48) LeakyReLU Conv3x3(48->48) LeakyReLU Conv1x1(48->C); predicts the noise."""

    def __init__(self, channels: int = 3, width: int = 48):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, width, 3, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(width, width, 3, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(width, channels, 1),
        )

    def forward(self, noisy: torch.Tensor) -> torch.Tensor:
        return self.body(noisy)


def pair_downsample(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Two half-size images from the two diagonals of each 2x2 block (averaged), per channel."""
    channels = image.shape[1]
    first = torch.tensor([[0.0, 0.5], [0.5, 0.0]], dtype=image.dtype, device=image.device)
    second = torch.tensor([[0.5, 0.0], [0.0, 0.5]], dtype=image.dtype, device=image.device)
    first = first.expand(channels, 1, 2, 2)
    second = second.expand(channels, 1, 2, 2)
    return F.conv2d(image, first, stride=2, groups=channels), F.conv2d(image, second, stride=2, groups=channels)


def zs_n2n_loss(net: DenoiseNet, noisy: torch.Tensor, with_consistency: bool = True) -> torch.Tensor:
    """Residual + consistency loss of the paper (both as mean squared errors); with_consistency=False leaves out
    the second term and with it the pass over the full-size image, two thirds of a step's work."""
    noisy1, noisy2 = pair_downsample(noisy)
    halves = torch.cat([noisy1, noisy2])  # one batch through the network: half the calls, the same result
    denoised1, denoised2 = (halves - net(halves)).chunk(2)
    residual = 0.5 * (F.mse_loss(noisy1, denoised2) + F.mse_loss(noisy2, denoised1))
    if not with_consistency:
        return residual
    full1, full2 = pair_downsample(noisy - net(noisy))
    consistency = 0.5 * (F.mse_loss(denoised1, full1) + F.mse_loss(denoised2, full2))
    return residual + consistency


@dataclass
class DenoiseProgress:
    step: int
    total_steps: int
    loss: float
    elapsed: float
    image: Image.Image | None = None
    done: bool = False


def denoise(
    image: ImageSource,
    config: DenoiseConfig | None = None,
    *,
    device: str | torch.device | None = None,
    preview_every: int = 0,
) -> Iterator[DenoiseProgress]:
    """Fit ZS-N2N to `image` and yield progress; the last event holds the denoised image, and every
    `preview_every` steps (0 = never) an event carries the image as denoised so far.
    Greyscale images (all channels equal) are denoised as one channel."""
    config = config or DenoiseConfig()
    picture = load_image(image, "image to denoise")
    device = pick_device(device)
    noisy = to_tensor(picture, device)
    grey = bool(torch.equal(noisy[:, 0], noisy[:, 1]) and torch.equal(noisy[:, 1], noisy[:, 2]))
    if grey:
        noisy = noisy[:, :1]
    for event in denoise_tensor(noisy, config, preview_every=preview_every):
        if event.image is not None:
            event.image = to_pil(event.image.expand(-1, 3, -1, -1) if grey else event.image)
        yield event


def denoise_tensor(noisy: torch.Tensor, config: DenoiseConfig, *, preview_every: int = 0) -> Iterator[DenoiseProgress]:
    """The same on a 1xCxHxW tensor in [0, 1]; events' `image` is a tensor."""
    generator = torch.Generator().manual_seed(config.seed)
    torch.manual_seed(config.seed)
    height, width = noisy.shape[-2:]
    # The pair downsampler halves each side: pad odd sizes by repeating the edge so no pixel is dropped.
    padded = F.pad(noisy, (0, width % 2, 0, height % 2), mode="replicate")
    # channels_last: the 48-channel convolutions run 1.3-1.5x faster on CPU (docs/BENCHMARKS.md).
    padded = padded.contiguous(memory_format=torch.channels_last)
    net = DenoiseNet(noisy.shape[1]).to(noisy.device, memory_format=torch.channels_last)
    optimizer = Adam(net.parameters(), lr=config.learning_rate)
    low_precision = config.precision == "bfloat16" and bfloat16_is_native(noisy.device)
    start = time.perf_counter()
    for step in range(1, config.steps + 1):
        batch = _random_crops(padded, config.crop, config.crops_per_step, generator) if config.crop else padded
        # Autocast runs the convolutions in bfloat16 and keeps the losses and the weights in float32.
        with torch.autocast(noisy.device.type, dtype=torch.bfloat16, enabled=low_precision):
            loss = zs_n2n_loss(net, batch, config.consistency_loss)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.lr = config.learning_rate * 0.5 ** ((step - 1) // config.halve_every)
        optimizer.step()
        preview = _apply(net, padded, height, width) if preview_every and step % preview_every == 0 else None
        yield DenoiseProgress(step, config.steps, float(loss.detach()), time.perf_counter() - start, preview)
    clean = preview if preview is not None else _apply(net, padded, height, width)  # no second pass
    yield DenoiseProgress(config.steps, config.steps, float("nan"), time.perf_counter() - start, clean, done=True)


@torch.no_grad()
def _apply(net: DenoiseNet, padded: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """denoised = y - f(y), cropped back to the input's size. Band by band of rows, each with its neighbours'
    APPLY_HALO rows (the network sees no further), so the result is the whole image's at once while the
    48-channel feature maps stay those of APPLY_BAND_PIXELS, however large the image."""
    rows = max(1, APPLY_BAND_PIXELS // padded.shape[-1])
    out = torch.empty_like(padded)
    for top in range(0, padded.shape[-2], rows):
        start, end = max(0, top - APPLY_HALO), min(padded.shape[-2], top + rows + APPLY_HALO)
        band = padded[..., start:end, :]
        out[..., top : top + rows, :] = (band - net(band))[..., top - start : top - start + rows, :]
    return out.clamp(0, 1)[..., :height, :width].contiguous()


def denoise_image(image: ImageSource, config: DenoiseConfig | None = None, **kwargs: Any) -> Image.Image:
    """Run `denoise` to the end and return the image."""
    for event in denoise(image, config, **kwargs):
        if event.done:
            return event.image
    raise RuntimeError("denoising ended without an image")


def _random_crops(image: torch.Tensor, size: int, count: int, generator: torch.Generator) -> torch.Tensor:
    """`count` random even-sized crops (the pair downsampler needs even sides), stacked as a batch."""
    height, width = image.shape[-2:]
    size_h, size_w = min(size, height) // 2 * 2, min(size, width) // 2 * 2
    tops = torch.randint(0, height - size_h + 1, (count,), generator=generator).tolist()
    lefts = torch.randint(0, width - size_w + 1, (count,), generator=generator).tolist()
    return torch.cat([image[..., top : top + size_h, left : left + size_w] for top, left in zip(tops, lefts)])


def add_gaussian_noise(image: torch.Tensor, sigma: float, seed: int = 0, clip: bool = True) -> torch.Tensor:
    """clamp(x + N(0, (sigma/255)^2), 0, 1), sigma in 0-255 units; clip=False leaves values outside [0, 1]
    (the unclipped protocol some published benchmarks use)."""
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(image.shape, generator=generator).to(image) * (sigma / 255.0)
    return (image + noise).clamp(0, 1) if clip else image + noise


def add_poisson_noise(image: torch.Tensor, lam: float, seed: int = 0) -> torch.Tensor:
    """Poisson(lam * x) / lam."""
    generator = torch.Generator().manual_seed(seed)
    return torch.poisson(image.cpu() * lam, generator=generator).to(image) / lam


def psnr(reference: torch.Tensor, estimate: torch.Tensor) -> float:
    """10 log10(1 / MSE) for images in [0, 1]."""
    mse = F.mse_loss(estimate.double(), reference.double()).item()
    return float("inf") if mse == 0 else 10 * torch.log10(torch.tensor(1.0 / mse)).item()
