import time

import numpy as np
import pytest
import torch
from PIL import Image

from style_core import ConfigError, ImageError, StyleConfig, stylize, stylize_image, transfer
from style_core.images import load_image, resize_long_side, rgb_to_yuv, to_tensor
from style_core.losses import gram_matrix
from style_core.vgg import LAYER_NAMES, VGG19Features


def _run(content, styles, config, device="cpu"):
    return list(stylize(content, styles, config, device=device, preview_every=0))


def _steps(events):
    """The optimiser's steps: not the feed-forward start's preview (step 0), nor the final event."""
    return [e for e in events if not e.done and e.step > 0]


def _psnr(a: Image.Image, b: Image.Image) -> float:
    diff = np.asarray(a, np.float64) / 255 - np.asarray(b, np.float64) / 255
    return 10 * np.log10(1 / np.mean(diff**2))


def test_total_loss_falls_and_the_run_ends_with_an_image(content_path, style_path, tiny, device):
    events = _run(content_path, style_path, tiny.replace(iterations=8), device)
    totals = [e.losses["total"] for e in _steps(events)]
    assert totals[-1] < 0.7 * totals[0]
    assert events[-1].done and events[-1].image is not None
    assert all(e.preview is not None for e in events)  # preview_every=0: every step
    assert {"content", "style", "tv", "total"} <= set(events[0].losses)


def test_the_first_step_of_every_scale_lowers_the_loss(content_path, style_path):
    # torch's L-BFGS alone sizes its first step to move a pixel by about 1/(pixel count): the loss after
    # it equals the loss before, and each scale loses a step.
    config = StyleConfig(size=128, scales=2, scale_factor=2.0, iterations=3, fine_steps_ratio=1.0)
    events = [e for e in _run(content_path, style_path, config) if not e.done]
    for scale in (1, 2):
        first, second = (e.losses["total"] for e in events if e.scale == scale and e.step in (1, 2))
        assert second < 0.95 * first


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_the_network_only_sees_pixel_values_a_picture_can_hold(style_path, optimizer, monkeypatch):
    # Unclipped, L-BFGS lowers the loss with values outside 0-1 that the shown picture loses.
    seen: list[tuple[float, float]] = []
    measure = transfer.Objective.__call__

    def recording(self, image):
        seen.append((float(image.detach().min()), float(image.detach().max())))
        return measure(self, image)

    monkeypatch.setattr(transfer.Objective, "__call__", recording)
    black_to_white = np.tile(np.linspace(0, 255, 64).astype(np.uint8)[None, :, None], (64, 1, 3))
    config = StyleConfig(size=64, scales=1, iterations=10, optimizer=optimizer, learning_rate=0.1)
    _run(Image.fromarray(black_to_white), style_path, config)
    assert len(seen) == 10
    assert min(low for low, _ in seen) >= 0 and max(high for _, high in seen) <= 1


def test_content_only_run_reconstructs_the_content(content_path, style_path):
    only = ["relu1_1"]  # content and (unweighted) style there: the network stops at relu1_1
    config = StyleConfig(size=64, scales=1, iterations=80, init="noise", style_weight=0, tv_weight=0,
                         content_layers=only, style_layers=dict.fromkeys(only, 1.0))  # fmt: skip
    result = stylize_image(content_path, style_path, config)
    content = resize_long_side(load_image(content_path), 64)
    noise_start = Image.fromarray(np.random.default_rng(0).integers(0, 256, (*content.size[::-1], 3), dtype=np.uint8))
    assert _psnr(result, content) > 20
    assert _psnr(result, content) > _psnr(noise_start, content) + 10


def test_style_only_run_moves_the_grams_toward_the_style(content_path, style_path):
    config = StyleConfig(size=64, scales=1, iterations=30, init="noise", content_weight=0, tv_weight=0)
    model = VGG19Features(list(config.style_layers))
    style = to_tensor(resize_long_side(load_image(style_path), 64))

    def gram_error(image: torch.Tensor) -> float:
        with torch.no_grad():
            ours, target = model(image), model(style)
        return sum(
            float((gram_matrix(ours[n]) - gram_matrix(target[n])).pow(2).sum() / gram_matrix(target[n]).pow(2).sum())
            for n in config.style_layers
        )

    events = _run(content_path, style_path, config)
    start, end = to_tensor(events[0].preview), to_tensor(events[-1].image)
    assert gram_error(end) < 0.3 * gram_error(start)


@pytest.mark.parametrize("size", [64, 100])
def test_output_keeps_the_contents_aspect_at_the_requested_size(content_path, style_path, size):
    width, height = load_image(content_path).size
    result = stylize_image(content_path, style_path, StyleConfig(size=size, scales=2, iterations=2))
    assert max(result.size) == size
    assert result.width / result.height == pytest.approx(width / height, abs=0.03)


def test_a_seed_reproduces_the_image(content_path, style_path, tiny, device):
    config = tiny.replace(init="noise", seed=3)
    first = np.asarray(stylize_image(content_path, style_path, config, device=device))
    again = np.asarray(stylize_image(content_path, style_path, config, device=device))
    other = np.asarray(stylize_image(content_path, style_path, config.replace(seed=4), device=device))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_closing_the_generator_stops_within_a_step(content_path, style_path):
    run = stylize(content_path, style_path, StyleConfig(size=96, scales=1, iterations=1000))
    first = next(run)
    step_seconds = first.elapsed
    started = time.perf_counter()
    run.close()
    assert time.perf_counter() - started < max(0.5, step_seconds)
    with pytest.raises(StopIteration):
        next(run)


def test_several_styles_blend_and_weights_must_match(content_path, style_path, second_style_path, tiny, device):
    both = [style_path, second_style_path]
    pure = np.asarray(stylize_image(content_path, both, tiny.replace(style_blend=[1, 0]), device=device))
    alone = np.asarray(stylize_image(content_path, style_path, tiny, device=device))
    mixed = np.asarray(stylize_image(content_path, both, tiny.replace(style_blend=[0.5, 0.5]), device=device))
    assert np.array_equal(pure, alone)
    assert not np.array_equal(mixed, alone)
    with pytest.raises(ConfigError, match="2 style blend weights given for 1 style image: give one weight"):
        next(stylize(content_path, [style_path], tiny.replace(style_blend=[0.5, 0.5])))


def test_luminance_mode_keeps_the_contents_colours(content_path, style_path, tiny, device):
    result = stylize_image(content_path, style_path, tiny.replace(color="luminance", strength=10), device=device)
    content = to_tensor(load_image(content_path).resize(result.size, Image.Resampling.LANCZOS))
    chroma_error = (rgb_to_yuv(to_tensor(result))[:, 1:] - rgb_to_yuv(content)[:, 1:]).abs().mean()
    assert chroma_error < 0.02


@pytest.mark.parametrize(
    "changes",
    [
        {"optimizer": "adam", "learning_rate": 0.05},
        {"init": "style"},
        {"init": "noise"},
        {"color": "match"},
        {"pooling": "avg"},
        {"scales": 2, "size": 96},
    ],
)
def test_other_controls_run(content_path, style_path, tiny, changes, device):
    events = _run(content_path, style_path, tiny.replace(**changes), device)
    assert events[-1].image.size[0] == tiny.replace(**changes).size
    assert _steps(events)[-1].losses["total"] < _steps(events)[0].losses["total"]


def test_styles_of_any_size_and_mode_work(content_path, tmp_path, tiny):
    grey_small_style = tmp_path / "grey.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (20, 300), dtype=np.uint8), "L").save(grey_small_style)
    assert stylize_image(content_path, grey_small_style, tiny).size[0] == 64


def test_bad_files_give_a_clear_error_before_any_work(tmp_path, content_path, style_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    with pytest.raises(ImageError, match="^content image: not an image"):
        next(stylize(broken, style_path))
    with pytest.raises(ImageError, match="^style image 2: no such file"):
        next(stylize(content_path, [style_path, tmp_path / "missing.jpg"]))
    with pytest.raises(ImageError, match="^style image: not an image"):  # the one painting: not numbered
        next(stylize(content_path, broken))


def test_a_panorama_too_thin_for_the_output_size_gets_one_line(style_path):
    panorama = Image.new("RGB", (4000, 60), "steelblue")
    line = r"^content image: 4000x60 is too long and thin for 512 px output \(512x8\).*at least 1034 px$"
    with pytest.raises(ImageError, match=line):
        next(stylize(panorama, style_path, StyleConfig(size=512)))
    assert next(stylize(panorama, style_path, StyleConfig(size=1034, iterations=1))) is not None  # the size it names
    with pytest.raises(ImageError, match="too long and thin"):
        next(stylize(panorama, style_path, StyleConfig(size=1033)))


def test_a_paintings_targets_are_computed_once_and_reused_by_the_next_run(content_path, style_path, monkeypatch):
    from style_core.vgg import VGG19Features

    transfer.STYLE_MOMENTS.entries.clear()
    shapes: list[tuple[int, ...]] = []
    forward = VGG19Features.forward
    monkeypatch.setattr(
        VGG19Features,
        "forward",
        lambda self, image, layers=None: shapes.append(image.shape) or forward(self, image, layers),
    )
    config = StyleConfig(size=96, scales=2, scale_factor=1.5, iterations=2, init="content")
    first = stylize_image(content_path, style_path, config)
    first_passes, shapes[:] = len(shapes), []
    second = stylize_image(content_path, style_path, config)
    assert len(shapes) == first_passes - 2  # the painting's pass at each of the two scales is skipped
    assert np.array_equal(np.asarray(first), np.asarray(second))  # with the same result
    stylize_image(content_path, style_path, config.replace(style_scale=0.5))  # another size: computed afresh
    assert len(shapes) == 2 * first_passes - 2


def test_the_photos_own_pass_goes_no_deeper_than_its_losses(content_path, style_path, monkeypatch):
    """Each scale's pass over the photo (its content targets) stops at the content layer, a quarter of the
    network short of relu5_1, unless a painted region's mask needs the style layers' sizes."""
    from style_core.vgg import VGG19Features

    deepest: list[str] = []
    forward = VGG19Features.forward

    def counted(self, image, layers=None):
        features = forward(self, image, layers)
        deepest.append(max(features, key=LAYER_NAMES.index))
        return features

    monkeypatch.setattr(VGG19Features, "forward", counted)
    config = StyleConfig(size=64, scales=1, iterations=1, init="content", style_scale=0.9)  # a painting not cached
    stylize_image(content_path, style_path, config)
    assert sorted(deepest) == ["relu4_2", "relu5_1", "relu5_1"]  # the photo's, the painting's, the one step's
    deepest.clear()
    mask = Image.new("L", (64, 64), 0)
    mask.paste(255, (0, 0, 32, 64))  # the left half
    stylize_image(content_path, style_path, config.replace(style_scale=0.8), masks=[mask])
    assert deepest == ["relu5_1"] * 3


def test_the_finest_scale_keeps_more_of_the_photo(content_path, style_path, monkeypatch):
    config = StyleConfig(size=96, scales=2, iterations=8, init="content", seed=0)
    assert [transfer.content_weight_factor(config, i) for i in (1, 2)] == [1.0, transfer.FINEST_SCALE_CONTENT_FACTOR]
    assert transfer.content_weight_factor(config.replace(scales=1), 1) == 1.0  # one scale: the weight as set
    content, style = load_image(content_path), load_image(style_path)
    kept = _steps(_run(content, [style], config))[-1].losses["content"]
    monkeypatch.setattr(transfer, "FINEST_SCALE_CONTENT_FACTOR", 1.0)
    plain = _steps(_run(content, [style], config))[-1].losses["content"]
    assert kept < 0.9 * plain
