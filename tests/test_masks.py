"""Painted regions (guided Gram matrices, Gatys et al. 2017): each style stays in its region."""

import numpy as np
import pytest
import torch
from PIL import Image

from style_core import ConfigError, ImageError, StyleConfig, load_image, stylize_image
from style_core.images import resize_long_side, to_tensor
from style_core.losses import StyleLoss, gram_matrix
from style_core.vgg import VGG19Features

SETTINGS = StyleConfig(size=96, scales=1, iterations=25, mask_feather=2.0)


def region_mask(path, size, box):
    """A white box (left, top, right, bottom as fractions) on black, saved as a PNG."""
    width, height = size
    mask = np.zeros((height, width), np.uint8)
    left, top, right, bottom = box
    mask[int(top * height) : int(bottom * height), int(left * width) : int(right * width)] = 255
    Image.fromarray(mask).save(path)
    return path


def psnr(a, b):
    return float(-10 * torch.log10(torch.mean((a - b) ** 2)))


def style_error(image_t, style_path, layer="relu3_1"):
    model = VGG19Features([layer])
    with torch.no_grad():
        target = gram_matrix(model(to_tensor(resize_long_side(load_image(style_path), 96)))[layer])
        return float(StyleLoss(target)(model(image_t)[layer]))


def test_outside_the_painted_square_the_photo_stays(tmp_path, content_path, style_path):
    mask = region_mask(tmp_path / "square.png", (200, 100), (0.3, 0.25, 0.7, 0.75))
    result = to_tensor(stylize_image(content_path, [style_path], SETTINGS, masks=[mask]))
    content = to_tensor(resize_long_side(load_image(content_path), 96))
    height, width = result.shape[-2:]
    inside = (slice(None), slice(None), slice(height * 3 // 8, height * 5 // 8), slice(width * 3 // 8, width * 5 // 8))
    outside = (slice(None), slice(None), slice(None), slice(0, width // 5))
    assert psnr(result[outside], content[outside]) > psnr(result[inside], content[inside]) + 6
    unstyled = to_tensor(stylize_image(content_path, [style_path], SETTINGS.replace(strength=0.0)))
    assert style_error(result, style_path) < style_error(unstyled, style_path)  # the square moved to the style


def test_two_styles_in_two_halves_each_match_their_own(tmp_path, content_path, style_path, second_style_path):
    left = region_mask(tmp_path / "left.png", (100, 100), (0, 0, 0.5, 1))
    right = region_mask(tmp_path / "right.png", (100, 100), (0.5, 0, 1, 1))
    result = to_tensor(stylize_image(content_path, [style_path, second_style_path], SETTINGS, masks=[left, right]))
    half = result.shape[-1] // 2
    left_half, right_half = result[..., : half - 4], result[..., half + 4 :]
    assert style_error(left_half, style_path) < style_error(left_half, second_style_path)
    assert style_error(right_half, second_style_path) < style_error(right_half, style_path)


def test_an_all_white_mask_is_the_same_run_as_no_mask(tmp_path, content_path, style_path):
    white = tmp_path / "white.png"
    Image.new("L", (30, 20), 255).save(white)
    plain = stylize_image(content_path, [style_path], SETTINGS.replace(iterations=5))
    masked = stylize_image(content_path, [style_path], SETTINGS.replace(iterations=5), masks=[white])
    assert plain.tobytes() == masked.tobytes()


def test_bad_masks_get_one_clear_line(tmp_path, content_path, style_path, second_style_path):
    not_an_image = tmp_path / "mask.png"
    not_an_image.write_text("brush strokes")
    with pytest.raises(ImageError, match="mask 1: not an image"):
        stylize_image(content_path, [style_path], SETTINGS, masks=[not_an_image])
    black = tmp_path / "black.png"
    Image.new("L", (32, 32), 0).save(black)
    with pytest.raises(ConfigError, match="every mask is black"):
        stylize_image(content_path, [style_path, second_style_path], SETTINGS, masks=[black, black])
    with pytest.raises(ConfigError, match="1 masks given for 2 style images"):
        stylize_image(content_path, [style_path, second_style_path], SETTINGS, masks=[black])
