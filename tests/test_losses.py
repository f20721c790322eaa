import torch

from style_core.losses import ContentLoss, FrameLoss, StyleLoss, TVLoss, gram_matrix


def test_gram_ignores_where_features_are():
    features = torch.randn(1, 8, 6, 5)
    flat = features.reshape(1, 8, 30)
    shuffled = flat[:, :, torch.randperm(30)].reshape(1, 8, 6, 5)
    torch.testing.assert_close(gram_matrix(shuffled), gram_matrix(features))


def test_gram_means_the_same_at_any_size():
    features = torch.randn(1, 4, 8, 8)
    tiled = features.repeat(1, 1, 2, 3)  # the same texture over 6x the area
    torch.testing.assert_close(gram_matrix(tiled), gram_matrix(features))


def test_gram_matrix_and_its_gradient_are_those_of_the_plain_formula_in_either_memory_layout():
    for layout in (torch.contiguous_format, torch.channels_last):
        features = torch.randn(1, 5, 4, 3, dtype=torch.float64).contiguous(memory_format=layout)
        features.requires_grad_(True)
        flat = features.reshape(5, 12)
        plain = flat @ flat.T / 60
        torch.testing.assert_close(gram_matrix(features), plain)
        weights = torch.randn(5, 5, dtype=torch.float64)  # a loss whose gradient is not symmetric
        (ours,) = torch.autograd.grad((gram_matrix(features) * weights).sum(), features)
        (expected,) = torch.autograd.grad((plain * weights).sum(), features)
        torch.testing.assert_close(ours, expected)


def test_losses_are_zero_at_their_target_and_positive_elsewhere():
    features = torch.rand(1, 8, 6, 6)
    other = torch.rand(1, 8, 6, 6)
    assert ContentLoss(features)(features) == 0
    assert StyleLoss(gram_matrix(features))(features) == 0
    assert ContentLoss(features)(other) > 0
    assert StyleLoss(gram_matrix(features))(other) > 0


def test_losses_are_relative_to_the_target_scale():
    features, other = torch.rand(1, 8, 6, 6), torch.rand(1, 8, 6, 6)
    torch.testing.assert_close(ContentLoss(10 * features)(10 * other), ContentLoss(features)(other))
    torch.testing.assert_close(
        StyleLoss(gram_matrix(10 * features))(10 * other), StyleLoss(gram_matrix(features))(other)
    )


def test_total_variation_is_zero_for_flat_images_and_grows_with_noise():
    flat = torch.full((1, 3, 16, 16), 0.5)
    assert TVLoss()(flat) == 0
    assert TVLoss()(flat + 0.2 * torch.rand(1, 3, 16, 16)) > TVLoss()(flat + 0.05 * torch.rand(1, 3, 16, 16))


def test_the_frame_term_sees_a_frame_or_tinted_edge_but_not_texture_or_an_overall_shift():
    photo = torch.rand(1, 3, 40, 48)
    frame = FrameLoss(photo, margin=0, band=8)
    assert frame(photo) == 0
    framed = photo.clone()
    framed[..., :2, :] += 0.1  # a light line along the top
    tinted = photo.clone()
    tinted[:, 0, :, -3:] += 0.05  # a red tint along the right side
    assert frame(framed) > 1e-4 and frame(tinted) > 1e-5
    checks = torch.arange(40)[:, None] + torch.arange(48)  # texture that keeps every row's and column's mean
    textured = photo + 0.1 * (checks % 2 * 2 - 1)
    lighter = photo + 0.1
    assert frame(textured) < 1e-12 and frame(lighter) < 1e-12


def test_the_frame_term_looks_only_at_the_result_inside_a_canvas():
    canvas = torch.rand(1, 3, 40, 48)
    frame = FrameLoss(canvas, margin=4, band=8)
    marked = canvas.clone()
    marked[..., :4, :] += 0.3  # the canvas's margin, cropped away at the end
    assert frame(marked) == 0
    marked[..., 4:6, :] += 0.3  # the result's own top rows
    assert frame(marked) > 1e-4


def test_the_frame_term_works_on_a_strip_narrower_than_its_band():
    strip = torch.rand(1, 3, 6, 200)  # an extreme panorama: the band is cut to half the short side
    frame = FrameLoss(strip, margin=0, band=16)
    assert frame(strip) == 0 and frame(strip + torch.linspace(0, 0.2, 6)[:, None]) > 0
