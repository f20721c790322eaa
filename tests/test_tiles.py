"""Print sizes in tiles: the tiles cover the picture, the painting's targets summed over tiles equal the whole
picture's, a tiled run matches an untiled one without seams, and a finished result can be taken larger."""

import pytest
import torch
from PIL import Image

from style_core import StyleConfig
from style_core.config import print_settings
from style_core.images import to_tensor
from style_core.losses import feature_moments
from style_core.pipeline import Result, run
from style_core.tiles import Tile, blend_weight, needs_tiles, overlap, plan_tiles, seam_score, tile_side, tiled_moments
from style_core.transfer import canvas_margin, prepare, scale_tiles, stylize, stylize_image


@pytest.mark.parametrize(("height", "width", "tile_size"), [(683, 1024, 512), (1365, 2048, 1024), (300, 90, 128)])
def test_tiles_cover_the_picture_and_overlap_their_neighbours(height, width, tile_size):
    side = tile_side(tile_size)
    tiles = plan_tiles(height, width, tile_size)
    covered = torch.zeros(height, width)
    for tile in tiles:
        assert tile.height <= side and tile.width <= side
        covered[tile.slices] += 1
    assert covered.min() >= 1
    lefts = sorted({tile.left for tile in tiles})
    assert all(b - a <= side - overlap(side) for a, b in zip(lefts, lefts[1:]))
    assert not needs_tiles(tile_size, tile_size) and needs_tiles(tile_size + 1, tile_size) and not needs_tiles(9999, 0)


def test_a_tile_is_blended_in_across_its_overlap_with_earlier_tiles_only():
    side = tile_side(512)
    ramp = overlap(side)
    first, inner = (
        blend_weight(Tile(0, 0, side, side), side)[0, 0],
        blend_weight(Tile(300, 300, side, side), side)[0, 0],
    )
    assert (first == 1).all()  # nothing earlier to blend with: its right and bottom are overwritten by later tiles
    assert inner[0, 0] < 0.01 and inner[ramp:, ramp:].eq(1).all() and inner[-1, -1] == 1
    assert (inner[ramp, 1:] >= inner[ramp, :-1]).all()  # rising across the left overlap


def test_a_paintings_moments_summed_over_tiles_are_the_whole_pictures(content_path):
    run = prepare(content_path, content_path, StyleConfig(size=128, precision="float32"))
    image = torch.rand(1, 3, 288, 400, generator=torch.Generator().manual_seed(0))
    layers = list(run.config.style_layers)
    whole = {name: feature_moments(value) for name, value in run.features(image).items() if name in layers}
    tiled = tiled_moments(run.features, image, layers, 256)
    for name in layers:
        for got, expected in zip(tiled[name], whole[name]):
            assert (got - expected).norm() / expected.norm() < 0.02, name


def test_a_tiled_run_matches_the_whole_run_without_seams_and_counts_every_tile_step(content_path, style_path):
    config = StyleConfig(size=160, scales=1, iterations=3, precision="float32", seed=3)
    whole = stylize_image(content_path, style_path, config)
    tiled_config = config.replace(tile_size=96)
    events = list(stylize(content_path, style_path, tiled_config))
    tiled, tiles = events[-1].image, scale_tiles(prepare(content_path, style_path, tiled_config), 160)
    assert len(tiles) >= 4 and events[-2].total_step == events[-2].total_steps == 3 * len(tiles)
    margin = canvas_margin(tiled_config, 160)
    lines = [Tile(t.top - margin, t.left - margin, t.height, t.width) for t in tiles if min(t.top, t.left) >= margin]
    side = tile_side(96)
    seams, baseline = seam_score(to_tensor(tiled), lines, side), seam_score(to_tensor(whole), lines, side)
    assert seams < 1.15 * baseline, (seams, baseline)
    difference = (to_tensor(tiled) - to_tensor(whole)).abs().mean().item() * 255
    assert difference < 20, difference  # the same picture, not pixel for pixel


def test_a_finished_result_taken_to_a_larger_size_starts_from_it(content_path, style_path, tmp_path):
    small = StyleConfig(size=96, iterations=3)
    first = stylize_image(content_path, style_path, small)
    first.save(tmp_path / "result.png")
    larger = print_settings(small, 192)
    assert (larger.size, larger.scales) == (192, 1) and larger.iterations < small.iterations * 2
    events = list(run(content_path, [style_path], larger, start=tmp_path / "result.png"))
    start = events[0].preview
    assert events[0].step == 0 and start.size == events[-1].image.size and max(start.size) == 192
    shrunk = to_tensor(start.resize(first.size, Image.Resampling.LANCZOS))
    assert (shrunk - to_tensor(first)).abs().mean() < 8 / 255  # the start is the result, enlarged
    result = events[-1]
    assert isinstance(result, Result) and result.notes["start"]
