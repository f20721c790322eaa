"""The three loss terms of Gatys-style transfer, and a frame term. Each is a small module holding its fixed target."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

STYLE_LOSSES = ("gram", "w2")


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Gram matrix of a 1xCxHxW feature map, divided by C*H*W.

    The paper's G = F F^T grows with the image's pixel count; dividing by H*W makes a Gram (and so the
    style weight) mean the same at any image size, and the extra 1/C keeps deep layers (C=512) from
    swamping shallow ones (C=64).
    """
    _, channels, height, width = features.shape
    return _raw_gram(features) / (channels * height * width)


def _raw_gram(features: torch.Tensor) -> torch.Tensor:
    """F F^T of a 1xCxHxW map, summed over pixels."""
    # Pixels x channels: a view, not a copy, of the network's channels-last maps.
    flat = features.permute(0, 2, 3, 1).reshape(-1, features.shape[1])
    return _Gram.apply(flat)


class _Gram(torch.autograd.Function):
    """X^T X whose backward is one product, X (dG + dG^T); autograd would differentiate the two factors
    separately: two products and a sum."""

    @staticmethod
    def forward(ctx, flat: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(flat)
        return flat.T @ flat

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        (flat,) = ctx.saved_tensors
        return flat @ (grad + grad.T)


class ContentLoss(nn.Module):
    """Squared feature error relative to the target's energy: mean((F - P)^2) / mean(P^2).

    The paper sums the squared error; dividing by the element count keeps alpha independent of image
    size, and dividing by the target's mean square makes every layer's loss start near 1 (raw VGG19
    layers differ by 10^4 in scale), so layer weights and alpha/beta mean the same for any layer.
    """

    def __init__(self, target: torch.Tensor):
        super().__init__()
        self.register_buffer("target", target.detach())
        self.register_buffer("norm", target.detach().pow(2).mean().clamp_min(1e-8))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(features, self.target) / self.norm


class StyleLoss(nn.Module):
    """Gram error relative to the target Gram's energy: mean((G - A)^2) / mean(A^2).

    The paper's per-layer E_l is the same squared Gram error up to a per-layer constant; with raw
    constants relu4_1 outweighs relu1_1 by ~10^4 and "equal layer weights" would mean "relu4_1 only".
    The target Gram is computed once per scale, outside autograd.
    """

    def __init__(self, target_gram: torch.Tensor):
        super().__init__()
        self.register_buffer("target", target_gram.detach())
        self.register_buffer("norm", target_gram.detach().pow(2).mean().clamp_min(1e-8))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(gram_matrix(features), self.target) / self.norm


def guided_gram_matrix(features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Gram matrix of the features inside a region (Gatys et al. 2017): features weighted by the region's
    mask at this layer, divided by C times the mask's energy, so a mask of ones gives `gram_matrix`."""
    return _raw_gram(features * mask) / (features.shape[1] * mask.pow(2).sum().clamp_min(1e-8))


class GuidedStyleLoss(StyleLoss):
    """StyleLoss over one region: the region's guided Gram against its own style's Gram."""

    def __init__(self, target_gram: torch.Tensor, mask: torch.Tensor):
        super().__init__(target_gram)
        self.register_buffer("mask", mask.detach())

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(guided_gram_matrix(features, self.mask), self.target) / self.norm


class TVLoss(nn.Module):
    """Total variation: mean squared difference between neighbouring pixels (images in [0, 1])."""

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        dx = image[..., :, 1:] - image[..., :, :-1]
        dy = image[..., 1:, :] - image[..., :-1, :]
        return dx.pow(2).mean() + dy.pow(2).mean()


class FrameLoss(nn.Module):
    """Keeps the result from growing a frame: along each side, the mean colour of every row of the outer
    band (as the result differs from the photo there) is held level across the band. A frame or a tinted
    edge is exactly such a change of the rows' mean colour towards the edge; texture within a row is free.

    `photo` is the content image as optimised (with `margin` px around the result, for canvas padding);
    `band` is the band's depth in px (at most half the result's short side)."""

    def __init__(self, photo: torch.Tensor, margin: int, band: int):
        super().__init__()
        short_side = min(photo.shape[-2:]) - 2 * margin
        self.margin, self.band = margin, max(1, min(band, short_side // 2))
        self.register_buffer("target", self._row_means(photo).detach())

    def _row_means(self, image: torch.Tensor) -> torch.Tensor:
        """4 x channels x band: each side's rows' mean colours, the outermost first."""
        m, b = self.margin, self.band
        result = image[0, :, m : image.shape[-2] - m, m : image.shape[-1] - m]
        top, bottom = result[:, :b].mean(-1), result[:, -b:].mean(-1).flip(-1)
        left, right = result[:, :, :b].mean(-2), result[:, :, -b:].mean(-2).flip(-1)
        return torch.stack([top, bottom, left, right])

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self._unevenness(image).pow(2).mean()

    def _unevenness(self, image: torch.Tensor) -> torch.Tensor:
        """Per side, channel and row of the band: how far the row's change from the photo departs from the
        band's mean change (4 x channels x band)."""
        change = self._row_means(image) - self.target
        return change - change.mean(-1, keepdim=True)

    @torch.no_grad()
    def level(self, image: torch.Tensor) -> torch.Tensor:
        """The image with the loss's minimum reached directly: each side's rows shifted by their unevenness
        (the sides in turn, so the corners end level both ways). Texture within a row is untouched."""
        image = image.clone()
        m, b = self.margin, self.band
        inner = image[0, :, m : image.shape[-2] - m, m : image.shape[-1] - m]
        for side in range(4):
            shift = self._unevenness(image)[side]  # channels x band, the outermost row first
            if side == 0:
                inner[:, :b] -= shift[:, :, None]
            elif side == 1:
                inner[:, -b:] -= shift.flip(-1)[:, :, None]
            elif side == 2:
                inner[:, :, :b] -= shift[:, None, :]
            else:
                inner[:, :, -b:] -= shift.flip(-1)[:, None, :]
        return image.clamp_(0, 1)


def feature_moments(features: torch.Tensor, mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean (C) and raw second moment (CxC, so that second moment / C is `gram_matrix`) of a 1xCxHxW
    feature map's channels over its pixels; with a mask (1x1xHxW), over the region, pixels weighted by mask^2
    as in `guided_gram_matrix`."""
    if mask is None:
        pixels = features.shape[-2] * features.shape[-1]
        return features.mean((0, 2, 3)), _raw_gram(features) / pixels
    weights = mask.pow(2)
    energy = weights.sum().clamp_min(1e-8)
    return (features * weights).sum((0, 2, 3)) / energy, _raw_gram(features * mask) / energy


def _symmetric_eigenvalues(matrix: torch.Tensor) -> torch.Tensor:
    """eigvalsh, again in float64 where float32 fails: where few pixels reach a deep layer (relu5_1 of a small
    picture) the matrix is nearly singular, and float32 fails to converge or gives NaN. float64 throughout
    would cost a fifth more time."""
    try:
        values = torch.linalg.eigvalsh(matrix)
        if torch.isfinite(values).all():
            return values
    except torch.linalg.LinAlgError:
        pass
    return torch.linalg.eigvalsh(matrix.double()).to(matrix.dtype)


class StyleLossW2(nn.Module):
    """Wasserstein-2 distance between Gaussians fitted to the features and to the style's features:
    |m - m_s|^2 + tr(C + C_s - 2 (C_s^1/2 C C_s^1/2)^1/2), divided by the style's E|f|^2.

    As crowsonkb's StyleLossW2: it matches the means and covariances that a Gram matrix mixes together.
    The trace of the square root is the sum of the square roots of eigenvalues, whose gradient is stable
    even where eigenvalues repeat (no eigenvectors are differentiated)."""

    def __init__(self, target_mean: torch.Tensor, target_second_moment: torch.Tensor, mask: torch.Tensor | None = None):
        super().__init__()
        cov = target_second_moment - torch.outer(target_mean, target_mean)
        values, vectors = torch.linalg.eigh(cov.double())
        cov_sqrt = vectors @ torch.diag(values.clamp_min(0).sqrt()) @ vectors.T
        self.register_buffer("mean", target_mean.detach())
        self.register_buffer("cov", cov.detach())
        self.register_buffer("cov_sqrt", cov_sqrt.to(cov.dtype))
        self.register_buffer("norm", target_second_moment.trace().detach().clamp_min(1e-8))
        self.register_buffer("mask", None if mask is None else mask.detach())

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        mean, second_moment = feature_moments(features, self.mask)
        cov = second_moment - torch.outer(mean, mean)
        cross = self.cov_sqrt @ cov @ self.cov_sqrt
        cross_sqrt_trace = _symmetric_eigenvalues((cross + cross.T) / 2).clamp_min(1e-8).sqrt().sum()
        distance = (mean - self.mean).pow(2).sum() + cov.trace() + self.cov.trace() - 2 * cross_sqrt_trace
        return distance.clamp_min(0) / self.norm
