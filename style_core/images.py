"""Loading and sanitising images, PIL <-> tensor, colour helpers, PNG settings metadata."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import warnings
from pathlib import Path
from typing import IO, Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageCms, ImageOps, PngImagePlugin, UnidentifiedImageError

from .errors import ConfigError, ImageError
from .files import written_whole

MAX_PIXELS = 50_000_000  # larger images are refused (decompression-bomb guard): 50 MP covers any camera photo
MAX_FILE_BYTES = 100 * 1024 * 1024
MIN_SIDE = 16
SETTINGS_KEY = "style_core:settings"
NOTES_KEY = "style_core:notes"
LOAD_NOTE_KEY = "style_core:load_note"  # in a loaded image's .info: a line the user should read (see load_note)

ImageSource = str | os.PathLike | bytes | IO[bytes] | Image.Image
# The file-type boxes that open a HEIC/HEIF file, which Pillow does not read (AVIF, the same container, it does).
HEIC_BRANDS = {b"ftyp" + brand for brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")}


def load_image(source: ImageSource, name: str | None = None) -> Image.Image:
    """Open anything PIL reads as an 8-bit sRGB image: an embedded colour profile converted to sRGB, EXIF
    orientation applied, alpha flattened on white, greyscale / palette / CMYK / 16-bit / float converted.
    Raises ImageError with a one-line reason; a profile that cannot be used leaves a `load_note`."""
    label = name or (os.fspath(source) if isinstance(source, (str, os.PathLike)) else "image")
    if isinstance(source, Image.Image):
        image = source
    else:
        image = _open(source, label)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"{label}: {width}x{height} is {width * height / 1e6:.0f} MP, over the {MAX_PIXELS // 1_000_000} MP limit"
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(f"{label}: {width}x{height} is too small; each side needs at least {MIN_SIDE} px")
    try:
        image.load()
        image = ImageOps.exif_transpose(image) or image
        return _to_srgb(image, label)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(f"{label}: cannot decode the image, it is truncated or corrupt ({error})") from None


def _open(source: str | os.PathLike | bytes | IO[bytes], label: str) -> Image.Image:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"{label}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImageError(f"{label}: the file is over {MAX_FILE_BYTES // 2**20} MB")
        source = path.read_bytes()
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{label}: the image is too large (over {MAX_PIXELS // 1_000_000} MP)") from None
    except UnidentifiedImageError:
        source.seek(4)
        if source.read(8) in HEIC_BRANDS:
            raise ImageError(f"{label}: a HEIC photo (as iPhones save them) cannot be read: save it as JPEG") from None
        raise ImageError(f"{label}: not an image, or a format that cannot be read") from None
    except OSError as error:
        raise ImageError(f"{label}: cannot read the image, it is truncated or corrupt ({error})") from None


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = values.max() if values.size else 0
        if image.mode == "F" and top <= 1.0:
            values = values * 255.0
        elif top > 255:  # 16-bit samples
            values = values / 257.0
        image = Image.fromarray(np.clip(np.round(values), 0, 255).astype(np.uint8), "L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def load_note(image: Image.Image) -> str | None:
    """What load_image had to say about an image it read anyway (a colour profile it could not use), or None."""
    return image.info.get(LOAD_NOTE_KEY)


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, label: str) -> Image.Image:
    """8-bit RGB in sRGB: through the image's ICC profile where it has one (phones save Display P3, cameras
    Adobe RGB; read as sRGB they look washed out), as the numbers stand otherwise."""
    icc = image.info.get("icc_profile")
    if not icc:
        return _to_rgb(image)
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
        # CMYK and greyscale go through the profile as they are; everything else as RGB (alpha flattened).
        source = image if (space, image.mode) in (("CMYK", "CMYK"), ("GRAY", "L")) else _to_rgb(image)
        if space != {"CMYK": "CMYK", "L": "GRAY"}.get(source.mode, "RGB"):
            raise ImageCms.PyCMSError(f"a {space} profile on a {image.mode} image")
        intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
        return ImageCms.profileToProfile(source, profile, _srgb(), renderingIntent=intent, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
        image = _to_rgb(image)
        image.info[LOAD_NOTE_KEY] = f"{label}: its colour profile cannot be used ({error}); read as sRGB"
        return image


def fingerprint_image(image: Image.Image) -> str:
    """A short hash of an image's pixels and size: equal images, equal fingerprints, wherever they came from."""
    digest = hashlib.blake2b(image.tobytes(), digest_size=16)
    digest.update(f"{image.mode}{image.size}".encode())
    return digest.hexdigest()


def resize_long_side(image: Image.Image, long_side: int) -> Image.Image:
    """Resize keeping the aspect ratio so the longer side is `long_side` px (each side at least 1 px)."""
    width, height = image.size
    scale = long_side / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image if new_size == image.size else image.resize(new_size, Image.Resampling.LANCZOS)


def to_tensor(image: Image.Image, device: torch.device | str = "cpu") -> torch.Tensor:
    """RGB PIL image -> 1x3xHxW float tensor in [0, 1]."""
    array = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).contiguous().to(device)


def to_pil(tensor: torch.Tensor) -> Image.Image:
    """1x3xHxW (or 3xHxW) tensor in [0, 1] -> RGB PIL image (clamped, rounded)."""
    array = tensor.detach().squeeze(0).clamp(0, 1).mul(255).round().byte().permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(array, "RGB")


def resize_tensor(image: torch.Tensor, height: int, width: int) -> torch.Tensor:
    if image.shape[-2:] == (height, width):
        return image
    return F.interpolate(image, size=(height, width), mode="bicubic", align_corners=False, antialias=True)


# Colour helpers. YUV (BT.601) separates luminance from colour for "keep the content's colours".
_RGB_TO_YUV = torch.tensor([[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436], [0.615, -0.51499, -0.10001]])


def rgb_to_yuv(image: torch.Tensor) -> torch.Tensor:
    return torch.einsum("ij,bjhw->bihw", _RGB_TO_YUV.to(image), image)


def yuv_to_rgb(image: torch.Tensor) -> torch.Tensor:
    return torch.einsum("ij,bjhw->bihw", torch.linalg.inv(_RGB_TO_YUV).to(image), image)


# The result's strokes are neither stretched into noise (a nearly flat result) nor flattened away (a plain photo)
# by more than this factor.
LUMINANCE_MAX_GAIN = 4.0


def luminance_transfer(
    stylized: torch.Tensor, content: torch.Tensor, where: torch.Tensor | None = None
) -> torch.Tensor:
    """The stylized image's luminance, shifted and scaled to the content's mean and spread, with the content's
    colour (U, V) channels: the painting's strokes in the photo's colours and tones. `where` (optional,
    1x1xHxW, 0-1): where the painting went; elsewhere the luminance stays the result's (the photo, kept).

    Gatys et al. 2016 ("Preserving Color in Neural Artistic Style Transfer") match the painting's luminance to
    the photo's before a luminance-only run; matching the result's afterwards keeps one run for both colour
    modes, and a bright painting no longer bleaches a dark photo."""
    content = resize_tensor(content, *stylized.shape[-2:])
    luminance, content_yuv = rgb_to_yuv(stylized)[:, :1], rgb_to_yuv(content)
    weight = torch.ones_like(luminance) if where is None else resize_tensor(where, *stylized.shape[-2:]).clamp(0, 1)
    total = weight.sum().clamp_min(1e-6)

    def mean_and_spread(channel: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean = (channel * weight).sum() / total
        return mean, (((channel - mean) ** 2 * weight).sum() / total).sqrt()

    (mean, spread), (content_mean, content_spread) = mean_and_spread(luminance), mean_and_spread(content_yuv[:, :1])
    gain = (content_spread / spread.clamp_min(1e-6)).clamp(1 / LUMINANCE_MAX_GAIN, LUMINANCE_MAX_GAIN)
    matched = (luminance - mean) * gain + content_mean
    luminance = luminance + weight * (matched - luminance)
    return yuv_to_rgb(torch.cat([luminance, content_yuv[:, 1:]], dim=1)).clamp(0, 1)


def with_photo_colours(picture: Image.Image, photo: Image.Image) -> Image.Image:
    """A finished picture as colour "luminance" shows it: its luminance with the photo's colours, the photo
    resized to the picture as the engine resizes it (Lanczos)."""
    photo_t = to_tensor(photo.resize(picture.size, Image.Resampling.LANCZOS))
    return to_pil(luminance_transfer(to_tensor(picture), photo_t))


def match_color_statistics(source: torch.Tensor, reference: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Linearly map `source`'s colours so their mean and covariance equal `reference`'s
    (Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer", colour histogram matching)."""

    def stats(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pixels = image.reshape(3, -1).double()
        mean = pixels.mean(1, keepdim=True)
        centred = pixels - mean
        identity = torch.eye(3, dtype=torch.float64, device=image.device)  # on the image's device: CUDA too
        cov = centred @ centred.T / pixels.shape[1] + eps * identity
        return mean, cov

    def sqrt_and_inv_sqrt(cov: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        values, vectors = torch.linalg.eigh(cov)
        values = values.clamp_min(eps)
        return vectors @ torch.diag(values.sqrt()) @ vectors.T, vectors @ torch.diag(values.rsqrt()) @ vectors.T

    source_mean, source_cov = stats(source)
    reference_mean, reference_cov = stats(reference)
    reference_sqrt, _ = sqrt_and_inv_sqrt(reference_cov)
    _, source_inv_sqrt = sqrt_and_inv_sqrt(source_cov)
    pixels = source.reshape(3, -1).double()
    mapped = reference_sqrt @ source_inv_sqrt @ (pixels - source_mean) + reference_mean
    return mapped.reshape(source.shape).to(source.dtype).clamp(0, 1)


def border_score(image: Image.Image, outer: int = 4, inner: int = 16) -> float:
    """How strongly an image is framed (0-255): on its worst side, the mean colour step between the outer
    `outer` px strip and the strip from `outer` to `inner` px inside (channels averaged). A result's score
    minus its photo's, at the same size, is the frame the stylization added."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.float64)
    sides = (pixels, pixels[::-1], pixels.transpose(1, 0, 2), pixels.transpose(1, 0, 2)[::-1])
    steps = [np.abs(side[:outer].mean((0, 1)) - side[outer:inner].mean((0, 1))).mean() for side in sides]
    return float(max(steps))


# PNG metadata: the full settings travel inside the result, so dropping it back in reproduces the run.
def save_png(
    image: Image.Image,
    path: str | os.PathLike | IO[bytes],
    settings: dict[str, Any] | None = None,
    notes: dict[str, Any] | None = None,
) -> None:
    """Write a PNG carrying `settings` (a StyleConfig dict) and free-form `notes` (e.g. denoising)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "style_core")
    if settings is not None:
        info.add_text(SETTINGS_KEY, json.dumps(settings))
    if notes is not None:
        info.add_text(NOTES_KEY, json.dumps(notes))
    options = {"format": "PNG", "pnginfo": info, "icc_profile": _srgb().tobytes()}  # the colours it holds
    if isinstance(path, (str, os.PathLike)):
        with written_whole(path) as partial:
            image.save(partial, **options)
    else:
        image.save(path, **options)


def read_png_settings(source: ImageSource) -> dict[str, Any]:
    """The settings dict a style_core PNG carries; ConfigError if it carries none."""
    # A file by its name alone: the page's uploads sit in long temporary paths.
    label = Path(source).name if isinstance(source, (str, os.PathLike)) else "settings PNG"
    image = source if isinstance(source, Image.Image) else _open(source, label)
    text = image.info.get(SETTINGS_KEY) or getattr(image, "text", {}).get(SETTINGS_KEY)
    if not text:
        raise ConfigError("this image carries no style_core settings (only PNGs saved by style_core do)")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ConfigError("the settings inside this PNG are damaged") from None
