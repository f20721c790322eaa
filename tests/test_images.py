import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageCms

from style_core import ImageError, load_image
from style_core.errors import ConfigError
from style_core.images import (
    load_note,
    luminance_transfer,
    match_color_statistics,
    read_png_settings,
    rgb_to_yuv,
    save_png,
    to_pil,
    to_tensor,
)


def _png(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kwargs.pop("format", "PNG"), **kwargs)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGBA", (40, 30), (255, 0, 0, 128)),
        Image.new("LA", (40, 30), (100, 50)),
        Image.new("L", (40, 30), 100),
        Image.new("1", (40, 30), 1),
        Image.new("P", (40, 30), 3),
        Image.new("CMYK", (40, 30), (0, 255, 0, 0)),
        Image.new("I;16", (40, 30), 40000),
        Image.new("I", (40, 30), 65535),
        Image.new("F", (40, 30), 0.5),
    ],
    ids=lambda image: image.mode,
)
def test_any_colour_mode_becomes_8_bit_rgb(image):
    loaded = load_image(_png(image, format="TIFF"))
    assert loaded.mode == "RGB" and loaded.size == (40, 30)


def test_alpha_is_flattened_on_white_and_16_bit_keeps_its_brightness():
    transparent = load_image(_png(Image.new("RGBA", (20, 20), (0, 0, 0, 0))))
    assert transparent.getpixel((5, 5)) == (255, 255, 255)
    sixteen = load_image(_png(Image.new("I;16", (20, 20), 32896)))
    assert sixteen.getpixel((5, 5)) == (128, 128, 128)


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    upright = load_image(_png(Image.new("RGB", (60, 20), "red"), format="JPEG", exif=exif.tobytes()))
    assert upright.size == (20, 60)


def test_missing_corrupt_truncated_and_non_image_files_are_refused(tmp_path, content_path):
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "absent.png")
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    with pytest.raises(ImageError, match="not an image"):
        load_image(text)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(content_path.read_bytes()[:5000])
    with pytest.raises(ImageError, match="truncated or corrupt"):
        load_image(truncated)


def test_a_heic_photo_says_what_it_is_and_what_to_do(tmp_path):
    heic = tmp_path / "IMG_0001.HEIC"  # an iPhone photo's opening: its file-type box, brand heic (the rest cut)
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200))
    with pytest.raises(ImageError, match=r"^photo: a HEIC photo \(as iPhones save them\) cannot be read: save it as"):
        load_image(heic, "photo")


def test_decompression_bombs_and_tiny_images_are_refused():
    bomb = _png(Image.new("1", (9000, 9000)))  # 81 MP that compresses to a few kB
    assert len(bomb) < 100_000
    with pytest.raises(ImageError, match="MP"):
        load_image(bomb)
    with pytest.raises(ImageError, match="too small"):
        load_image(_png(Image.new("RGB", (8, 200))))


def test_tensor_round_trip_is_lossless():
    array = np.random.default_rng(0).integers(0, 256, (12, 17, 3), dtype=np.uint8)
    image = Image.fromarray(array, "RGB")
    tensor = to_tensor(image)
    assert tensor.shape == (1, 3, 12, 17) and 0 <= tensor.min() and tensor.max() <= 1
    assert np.array_equal(np.asarray(to_pil(tensor)), array)


def test_luminance_transfer_keeps_the_contents_colours_and_tones_under_the_stylized_strokes():
    generator = torch.Generator().manual_seed(0)
    # A bright, contrasty stylized picture over a dark, softer photo (a pale painting on a dusk photo).
    stylized = torch.rand(1, 3, 32, 32, generator=generator) * 0.4 + 0.5
    content = torch.rand(1, 3, 32, 32, generator=generator) * 0.2 + torch.tensor([0.05, 0.1, 0.3]).view(1, 3, 1, 1)
    mixed = rgb_to_yuv(luminance_transfer(stylized, content))
    content_yuv, stylized_luminance = rgb_to_yuv(content), rgb_to_yuv(stylized)[:, 0]
    # The photo's colour and its light: mean and spread of the luminance, up to pixels clipped into [0, 1].
    assert (mixed[:, 1:] - content_yuv[:, 1:]).abs().mean() < 0.02
    assert abs(mixed[:, 0].mean() - content_yuv[:, 0].mean()) < 0.01
    assert abs(mixed[:, 0].std() - content_yuv[:, 0].std()) < 0.01
    # The strokes are the stylized picture's: its luminance pattern, not the photo's.
    assert torch.corrcoef(torch.stack([mixed[:, 0].flatten(), stylized_luminance.flatten()]))[0, 1] > 0.99
    # A plain photo keeps some of the strokes rather than flattening them away.
    on_plain = rgb_to_yuv(luminance_transfer(stylized, torch.full_like(content, 0.4)))[:, 0]
    assert on_plain.std() > 0.2 * stylized_luminance.std()


def test_luminance_transfer_with_painted_regions_leaves_the_kept_photos_light_alone():
    generator = torch.Generator().manual_seed(1)
    content = torch.rand(1, 3, 16, 32, generator=generator) * 0.3
    # The left half painted (bright strokes), the right half the photo kept, as a regions run leaves it.
    stylized = content.clone()
    stylized[..., :16] = torch.rand(1, 3, 16, 16, generator=generator) * 0.4 + 0.6
    where = torch.zeros(1, 1, 16, 32)
    where[..., :16] = 1
    mixed = rgb_to_yuv(luminance_transfer(stylized, content, where))[:, 0]
    photo = rgb_to_yuv(content)[:, 0]
    torch.testing.assert_close(mixed[..., 16:], photo[..., 16:], atol=1e-4, rtol=0)  # the kept half: the photo
    assert abs(mixed[..., :16].mean() - photo[..., :16].mean()) < 0.01  # the painted half: the photo's light there


def test_colour_statistics_matching_copies_mean_and_covariance():
    source = torch.rand(1, 3, 32, 32) * torch.tensor([0.2, 0.5, 0.3]).view(1, 3, 1, 1)
    reference = torch.rand(1, 3, 32, 32) * 0.6 + 0.2
    mapped = match_color_statistics(source, reference)
    torch.testing.assert_close(mapped.mean((0, 2, 3)), reference.mean((0, 2, 3)), atol=0.01, rtol=0)
    mapped_cov = torch.cov(mapped.reshape(3, -1))
    torch.testing.assert_close(mapped_cov, torch.cov(reference.reshape(3, -1)), atol=2e-3, rtol=0)


def test_png_carries_settings(tmp_path):
    path = tmp_path / "result.png"
    save_png(Image.new("RGB", (20, 20)), path, {"size": 256}, {"denoise": True})
    assert read_png_settings(path) == {"size": 256}
    plain = tmp_path / "plain.png"
    Image.new("RGB", (20, 20)).save(plain)
    with pytest.raises(ConfigError, match="carries no style_core settings"):
        read_png_settings(plain)
    text = tmp_path / "deep" / "notes.txt"
    text.parent.mkdir()
    text.write_text("not a picture")
    with pytest.raises(ImageError, match=r"^notes.txt: not an image"):  # its name, not the page's temporary path
        read_png_settings(text)


PROFILES = Path("/usr/share/color/icc/colord")  # Debian's colord-data (.ci/run installs it)


@pytest.mark.parametrize("profile", ["ProPhotoRGB", "AdobeRGB1998"])
def test_a_photo_in_a_wide_gamut_profile_loads_with_its_real_colours(content_path, profile):
    if not (PROFILES / f"{profile}.icc").is_file():
        pytest.skip("Debian's colour profiles are not installed (apt-get install colord-data)")
    photo = Image.open(content_path).convert("RGB")
    wide = ImageCms.ImageCmsProfile(str(PROFILES / f"{profile}.icc"))
    intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
    converted = ImageCms.profileToProfile(photo, ImageCms.createProfile("sRGB"), wide, intent, outputMode="RGB")
    data = _png(converted, icc_profile=wide.tobytes())  # what a camera or an editor saves

    def error(image: Image.Image) -> float:
        return float(np.abs(np.asarray(image, np.float64) - np.asarray(photo, np.float64)).mean())

    assert error(Image.open(io.BytesIO(data)).convert("RGB")) > 3  # read as sRGB: visibly washed out
    assert error(load_image(data)) < 2


def test_a_broken_colour_profile_loads_as_srgb_with_a_note():
    photo = Image.new("RGB", (40, 30), (200, 100, 50))
    image = load_image(_png(photo, format="JPEG", quality=100, icc_profile=b"not a profile" * 20), "holiday.jpg")
    assert image.mode == "RGB" and np.abs(np.asarray(image, int) - (200, 100, 50)).max() <= 2
    assert load_note(image).startswith("holiday.jpg: its colour profile cannot be used")
    assert load_note(load_image(_png(photo))) is None


def test_results_are_tagged_srgb_and_written_whole(tmp_path, monkeypatch):
    path = tmp_path / "result.png"
    save_png(Image.new("RGB", (20, 20)), path)
    profile = ImageCms.ImageCmsProfile(io.BytesIO(Image.open(path).info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_png(Image.new("RGB", (20, 20), "red"), path)
    assert Image.open(path).getpixel((0, 0)) == (0, 0, 0)  # the earlier file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["result.png"]  # nothing half-written left behind
