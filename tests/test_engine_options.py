"""The engine's options: the network's precision, edge padding, the frame term and the Wasserstein-2 style loss."""

import numpy as np
import pytest
import torch

from style_core import ConfigError, StyleConfig, stylize, stylize_image
from style_core.device import BF16_FALLBACK_NOTE, bfloat16_is_native
from style_core.images import border_score, load_image, resize_long_side
from style_core.losses import StyleLossW2, feature_moments, gram_matrix
from style_core.vgg import VGG19Features


def _run(content, style, config, device="cpu"):
    return list(stylize(content, style, config, device=device, preview_every=0))


def test_a_bfloat16_run_falls_and_stays_close_to_float32(content_path, style_path, tiny, device):
    if not bfloat16_is_native(torch.device(device)):
        pytest.skip("bfloat16 is emulated here, so runs use float32 (the next test)")
    config = tiny.replace(iterations=10, precision="bfloat16")
    events = _run(content_path, style_path, config, device)
    totals = [e.losses["total"] for e in events if not e.done and e.step > 0]
    assert all(np.isfinite(totals)) and totals[-1] < 0.7 * totals[0]
    assert events[-1].image.size == stylize_image(content_path, style_path, tiny, device=device).size
    # Early on the two precisions take the same path (later the chaotic optimisation lets strokes drift apart).
    early = config.replace(iterations=5)
    low = np.asarray(stylize_image(content_path, style_path, early, device=device), np.float64)
    exact = np.asarray(stylize_image(content_path, style_path, early.replace(precision="float32"), device=device))
    assert 10 * np.log10(255**2 / np.mean((low - exact) ** 2)) > 30  # PSNR between the two runs' images


def test_bfloat16_asked_for_where_it_is_emulated_runs_in_float32_and_says_so(content_path, style_path, monkeypatch):
    monkeypatch.setenv("STYLE_CORE_CPU_BF16", "0")  # a CPU without bfloat16, such as a free Space's
    config = StyleConfig(size=64, scales=1, iterations=2, init="content")
    events = _run(content_path, style_path, config.replace(precision="bfloat16"))
    assert [e.note for e in events if e.note] == [BF16_FALLBACK_NOTE]
    exact = stylize_image(content_path, style_path, config.replace(precision="float32"))
    assert np.array_equal(np.asarray(events[-1].image), np.asarray(exact))


@pytest.mark.parametrize(
    "changes", [{"padding": "zeros"}, {"padding": "replicate"}, {"padding": "mirror"}, {"style_loss": "w2"}]
)
def test_each_padding_and_style_loss_runs(content_path, style_path, tiny, device, changes):
    events = _run(content_path, style_path, tiny.replace(**changes), device)
    assert events[-1].image.size[0] == 64
    steps = [e for e in events if not e.done and e.step > 0]
    assert steps[-1].losses["total"] < steps[0].losses["total"]


@pytest.mark.parametrize(
    "changes",
    [
        {"padding": "reflect", "init": "content"},
        {"size": 96, "pooling": "avg", "style_scale": 0.25},
    ],
)
def test_the_w2_loss_finishes_where_a_deep_layer_sees_only_a_few_pixels(content_path, style_path, tiny, changes):
    """A painting 32 px or less reaches relu5_1 as 2x2 pixels: its covariance is nearly singular, where float32's
    eigenvalue routine raised a LinAlgError (the first case) or gave NaN (the second) on chelsea.png."""
    deep = {"iterations": 2, "style_layers": {"relu5_1": 1.0}, "style_loss": "w2", "style_scale": 0.5}
    config = tiny.replace(**{**deep, **changes})
    events = _run(content_path, style_path, config)
    assert events[-1].done and all(np.isfinite(e.losses["total"]) for e in events if not e.done and e.step > 0)


@pytest.mark.parametrize("padding", ["zeros", "reflect", "replicate", "mirror"])
def test_edges_look_like_the_middle_to_the_network_unless_padded_with_zeros(padding):
    """The border artefact's cause: with zero padding an edge is special, so a flat image's features differ
    there and the result grows a frame. Within the mirror margin's reach (relu1_1, relu2_1) they do not."""
    model = VGG19Features(["relu1_1", "relu2_1"], padding=padding)
    with torch.no_grad():
        features = model(torch.full((1, 3, 40, 56), 0.6))
    assert features["relu1_1"].shape[-2:] == (40, 56) and features["relu2_1"].shape[-2:] == (20, 28)
    spread = max(float(f.amax((2, 3)).sub(f.amin((2, 3))).max()) for f in features.values())
    assert (spread > 1) if padding == "zeros" else (spread < 1e-3)


def test_the_frame_guard_stops_zero_padding_from_growing_a_frame(content_path, style_path):
    """Zero padding (the paper's) grows a frame; the frame term holds the edge rows' colour level with the
    rows inside. Scored like the benchmark's border excess, with strips scaled to the 128 px image."""
    config = StyleConfig(size=128, scales=1, iterations=20, padding="zeros")
    photo = border_score(resize_long_side(load_image(content_path), 128), outer=1, inner=4)
    unguarded = border_score(stylize_image(content_path, style_path, config.replace(frame_weight=0)), 1, 4) - photo
    guarded = border_score(stylize_image(content_path, style_path, config), 1, 4) - photo
    assert unguarded > 8 and guarded < unguarded / 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"precision": "fp8"}, "precision must be one of auto, float32, bfloat16, not 'fp8'"),
        ({"padding": "circular"}, "padding must be one of zeros, reflect, replicate, mirror, canvas, not 'circular'"),
        ({"style_loss": "w1"}, "style_loss must be one of gram, w2, not 'w1'"),
        ({"frame_weight": -1}, "frame_weight must be at least 0, not -1"),
    ],
)
def test_bad_values_get_one_clear_line(changes, message):
    with pytest.raises(ConfigError, match=f"^{message}$"):
        StyleConfig(**changes)


def test_second_moment_over_channels_is_the_gram_matrix_and_a_mask_of_ones_changes_nothing():
    features = torch.randn(1, 8, 5, 7)
    mean, second = feature_moments(features)
    torch.testing.assert_close(second / 8, gram_matrix(features))
    torch.testing.assert_close(mean, features.mean((0, 2, 3)))
    masked = feature_moments(features, torch.ones(1, 1, 5, 7))
    torch.testing.assert_close(masked[1], second)


def test_w2_loss_is_zero_at_its_target_positive_elsewhere_with_finite_gradients():
    target = torch.randn(1, 16, 12, 12) * 3 + 1
    loss = StyleLossW2(*feature_moments(target))
    assert float(loss(target)) < 1e-3
    other = (torch.randn(1, 16, 12, 12) * 0.5).requires_grad_(True)
    value = loss(other)
    value.backward()
    assert float(value.detach()) > 0.1 and torch.isfinite(other.grad).all()
    shifted = loss(target + 2)  # the same covariance, another mean: the mean term sees it
    assert float(shifted) > 0.1
