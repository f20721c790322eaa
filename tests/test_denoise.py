import dataclasses

import numpy as np
import pytest
import torch
from PIL import Image

from style_core import ConfigError, ImageError
from style_core.denoise import (
    DenoiseConfig,
    add_gaussian_noise,
    add_poisson_noise,
    denoise,
    denoise_image,
    denoise_tensor,
    pair_downsample,
    preview_count,
    psnr,
)
from style_core.images import load_image, to_tensor

QUICK = DenoiseConfig(mode="fast", steps=150, crop=32)


@pytest.fixture(scope="module")
def clean_crop(content_path) -> torch.Tensor:
    image = load_image(content_path)
    left, top = image.width // 2 - 48, image.height // 2 - 48
    return to_tensor(image.crop((left, top, left + 96, top + 96)))


def test_pair_downsampler_averages_the_two_diagonals():
    image = torch.arange(16.0).reshape(1, 1, 4, 4)
    first, second = pair_downsample(image)
    assert first.shape == second.shape == (1, 1, 2, 2)
    # Block [[0, 1], [4, 5]]: anti-diagonal (1 + 4) / 2, diagonal (0 + 5) / 2.
    torch.testing.assert_close(first, torch.tensor([[[[2.5, 4.5], [10.5, 12.5]]]]))
    torch.testing.assert_close(second, torch.tensor([[[[2.5, 4.5], [10.5, 12.5]]]]))
    colour = torch.rand(1, 3, 6, 8)
    a, b = pair_downsample(colour)
    torch.testing.assert_close(a[0, 2, 1, 1], (colour[0, 2, 2, 3] + colour[0, 2, 3, 2]) / 2)
    torch.testing.assert_close(b[0, 2, 1, 1], (colour[0, 2, 2, 2] + colour[0, 2, 3, 3]) / 2)


@pytest.mark.parametrize("precision, consistency_loss", [("bfloat16", False), ("float32", True)])
def test_denoising_raises_psnr_clearly(clean_crop, precision, consistency_loss, device):
    noisy = add_gaussian_noise(clean_crop, sigma=25, seed=1).to(device)
    config = dataclasses.replace(QUICK, precision=precision, consistency_loss=consistency_loss)
    events = list(denoise_tensor(noisy, config))
    result = events[-1].image
    assert events[-1].done and result.shape == noisy.shape
    assert psnr(clean_crop, result.cpu()) > psnr(clean_crop, noisy.cpu()) + 3


def test_previews_show_the_image_as_denoised_so_far(clean_crop):
    noisy = add_gaussian_noise(clean_crop, sigma=25, seed=1)
    previews = [e for e in denoise_tensor(noisy, QUICK, preview_every=50) if e.image is not None and not e.done]
    assert [e.step for e in previews] == [50, 100, 150]
    assert all(e.image.shape == noisy.shape for e in previews)
    assert psnr(clean_crop, previews[-1].image) > psnr(clean_crop, noisy) + 3


def test_a_large_image_is_denoised_band_by_band_as_if_whole_with_fewer_previews(clean_crop, monkeypatch):
    noisy = add_gaussian_noise(clean_crop, sigma=25, seed=1)
    whole = list(denoise_tensor(noisy, QUICK))[-1].image
    monkeypatch.setattr("style_core.denoise.APPLY_BAND_PIXELS", 96 * 7)  # 14 bands of 7 rows, the last of 5
    torch.testing.assert_close(list(denoise_tensor(noisy, QUICK))[-1].image, whole, rtol=0, atol=1e-6)
    # Each preview is a pass over the whole image: five up to a megapixel, then fewer, none for a camera's 24 MP.
    assert [preview_count(pixels) for pixels in (96 * 96, 10**6, 2 * 10**6, 4 * 10**6, 24 * 10**6)] == [5, 5, 2, 1, 0]


def test_poisson_noise_is_unbiased_and_scales_with_lambda(clean_crop):
    noisy = add_poisson_noise(clean_crop, lam=50, seed=0)
    assert abs(float(noisy.mean() - clean_crop.mean())) < 0.01
    assert psnr(clean_crop, add_poisson_noise(clean_crop, lam=200)) > psnr(clean_crop, noisy)


def test_gaussian_noise_has_the_asked_sigma_and_clips_unless_told_not_to():
    grey = torch.full((1, 3, 64, 64), 0.5)
    assert float((add_gaussian_noise(grey, sigma=25, clip=False) - grey).std()) == pytest.approx(25 / 255, rel=0.05)
    dark = torch.zeros(1, 3, 64, 64)
    assert float(add_gaussian_noise(dark, sigma=25).min()) == 0.0
    assert float(add_gaussian_noise(dark, sigma=25, clip=False).min()) < 0.0


def test_odd_sizes_greyscale_and_seeds(clean_crop):
    odd = add_gaussian_noise(clean_crop[..., :45, :37], sigma=25)
    grey_pixels = (odd.mean(1, keepdim=True).expand(-1, 3, -1, -1) * 255).round().byte()[0].permute(1, 2, 0).numpy()
    grey = Image.fromarray(grey_pixels[..., 0], "L")
    config = DenoiseConfig(steps=20, crop=32, seed=4)
    first = denoise_image(grey, config)
    assert first.size == (37, 45) and first.mode == "RGB"
    assert np.array_equal(np.asarray(first), np.asarray(denoise_image(grey, config)))
    other = denoise_image(grey, DenoiseConfig(steps=20, crop=32, seed=5))
    assert not np.array_equal(np.asarray(first), np.asarray(other))


def test_closing_stops_and_progress_is_reported(clean_crop):
    run = denoise(Image.fromarray((clean_crop[0].permute(1, 2, 0).numpy() * 255).astype(np.uint8)), QUICK)
    first = next(run)
    assert (first.step, first.total_steps) == (1, 150) and first.loss > 0
    run.close()
    with pytest.raises(StopIteration):
        next(run)


def test_bad_input_and_settings_are_refused(tmp_path):
    junk = tmp_path / "junk.png"
    junk.write_text("no")
    with pytest.raises(ImageError, match="image to denoise: not an image"):
        next(denoise(junk))
    with pytest.raises(ConfigError, match="denoise mode"):
        DenoiseConfig(mode="slow")
    with pytest.raises(ConfigError, match="steps"):
        DenoiseConfig(steps=0)
    with pytest.raises(ConfigError, match="precision"):
        DenoiseConfig(precision="float8")
    with pytest.raises(ConfigError, match="consistency_loss"):
        DenoiseConfig(consistency_loss="yes")


def test_paper_mode_is_the_published_recipe():
    paper = DenoiseConfig(mode="paper")
    assert (paper.steps, paper.learning_rate, paper.halve_every, paper.crop) == (3000, 1e-3, 1000, None)
    assert (paper.precision, paper.consistency_loss) == ("float32", True)
