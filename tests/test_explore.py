"""Layer reconstructions reproduce the paper's Figure 1 findings, not just run."""

import time
from pathlib import Path

import pytest
import torch
from PIL import Image

from style_core import ConfigError, ImageError, load_image
from style_core.explore import Cell, ExploreConfig, explore, plan_cells
from style_core.images import resize_long_side, to_tensor
from style_core.losses import StyleLoss, gram_matrix
from style_core.vgg import VGG19Features

ROOT = Path(__file__).resolve().parent.parent


def finished_cells(image, style, config):
    return {(e.cell.row, e.cell.column): e.image for e in explore(image, style, config) if e.image is not None}


def psnr(a, b):
    return float(-10 * torch.log10(torch.mean((to_tensor(a) - to_tensor(b)) ** 2)))


def test_the_default_figure_is_the_papers():
    cells = plan_cells(ExploreConfig())
    assert [c.label for c in cells if c.row == "content"] == ["conv1_2", "conv2_2", "conv3_2", "conv4_2", "conv5_2"]
    assert [c.label for c in cells if c.row == "style"][-1] == "conv1_1..conv5_1"


def test_deeper_content_layers_lose_the_detail(content_path):
    config = ExploreConfig(kind="content", content_layers=["relu1_2", "relu5_2"], size=96, steps=40)
    cells = finished_cells(content_path, None, config)
    original = resize_long_side(load_image(content_path), 96)
    shallow, deep = psnr(original, cells[("content", 0)]), psnr(original, cells[("content", 1)])
    assert shallow > deep + 5, (shallow, deep)


def test_deeper_style_sets_match_the_deeper_grams_better(style_path):
    config = ExploreConfig(kind="style", style_layers=["relu1_1", "relu2_1", "relu3_1"], size=96, steps=40)
    cells = finished_cells(None, style_path, config)
    model = VGG19Features(["relu3_1"], "avg")
    target = gram_matrix(model(to_tensor(resize_long_side(load_image(style_path), 96)))["relu3_1"])
    loss = StyleLoss(target)
    with torch.no_grad():
        errors = [float(loss(model(to_tensor(cells[("style", k)]))["relu3_1"])) for k in (0, 2)]
    assert errors[1] < errors[0] / 3, errors


def test_every_style_cell_rebuilds_the_paintings_colours():
    """Each style cell ends in the painting's palette: none climbs away from its target (with the image clamped
    after every step, cells ended as cyan or grey washes, their mean colour 45-95 of 255 off)."""
    painting = load_image(ROOT / "examples" / "styles" / "vangogh_starry_night.jpg")
    target = to_tensor(painting).mean(dim=(0, 2, 3)) * 255
    cells = finished_cells(None, painting, ExploreConfig(kind="style", size=64, steps=20))
    for (_, column), picture in cells.items():
        mean = to_tensor(picture).mean(dim=(0, 2, 3)) * 255
        assert float((mean - target).abs().max()) < 30, (column, mean.tolist(), target.tolist())


def test_a_seed_reproduces_a_cell_and_another_seed_does_not(content_path):
    config = ExploreConfig(kind="content", content_layers=["relu2_2"], size=48, steps=5)
    first, again = (finished_cells(content_path, None, config)[("content", 0)] for _ in range(2))
    other = finished_cells(content_path, None, ExploreConfig(**{**config.to_dict(), "seed": 1}))[("content", 0)]
    assert first.tobytes() == again.tobytes() != other.tobytes()


def test_closing_the_generator_stops_promptly(content_path):
    run = explore(content_path, None, ExploreConfig(kind="content", size=128, steps=5000))
    next(run)
    started = time.perf_counter()
    run.close()
    assert time.perf_counter() - started < 1.0
    with pytest.raises(StopIteration):
        next(run)


def test_bad_input_gets_the_same_clear_errors_as_stylize(tmp_path, style_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    with pytest.raises(ImageError, match="content image: not an image"):
        next(explore(broken, style_path, ExploreConfig()))
    panorama = Image.new("RGB", (4000, 60), "steelblue")
    with pytest.raises(ImageError, match="content image: 4000x60 is too long and thin for 192 px output"):
        next(explore(panorama, style_path, ExploreConfig()))
    with pytest.raises(ConfigError, match="the content row needs an image"):
        next(explore(None, style_path, ExploreConfig(kind="both")))
    with pytest.raises(ConfigError, match="kind must be one of"):
        ExploreConfig(kind="texture")
    with pytest.raises(ConfigError, match="size must be"):
        ExploreConfig(size=5000)
    assert Cell("style", 0, ["relu1_1"]).label == "conv1_1"
