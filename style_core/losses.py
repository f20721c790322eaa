"""The three loss terms of Gatys-style transfer. Each is a small module holding its fixed target."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Gram matrix of a 1xCxHxW feature map, divided by C*H*W.

    The paper's G = F F^T grows with the image's pixel count; dividing by H*W makes a Gram (and so the
    style weight) mean the same at any image size, and the extra 1/C keeps deep layers (C=512) from
    swamping shallow ones (C=64).
    """
    _, channels, height, width = features.shape
    flat = features.reshape(channels, height * width)
    return flat @ flat.T / (channels * height * width)


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
    channels = features.shape[1]
    flat = (features * mask).reshape(channels, -1)
    return flat @ flat.T / (channels * mask.pow(2).sum().clamp_min(1e-8))


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
