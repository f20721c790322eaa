"""Recreate examples/: two photos from scikit-image's bundled data and three style images rendered here.

    pip install scikit-image && python examples/make_examples.py

Licences: coffee (Rachel Michetti) and cat "Chelsea" (Stefan van der Walt) are CC0 per scikit-image's
data docstrings; they are resized and re-encoded here. The style images are drawn by this script from
a fixed seed, so they belong to the project (same licence as the code).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def save_photos() -> None:
    from skimage import data

    (HERE / "contents").mkdir(exist_ok=True)
    for name, array in (("coffee", data.coffee()), ("cat", data.chelsea())):
        image = Image.fromarray(array)
        image.thumbnail((480, 480), Image.Resampling.LANCZOS)
        image.save(HERE / "contents" / f"{name}.jpg", quality=90)


def swirls(size: int = 512, seed: int = 0) -> Image.Image:
    """Short curved strokes along a field of vortices, in night blues and star yellows."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, size, (7, 2))
    spins = rng.choice([-1.0, 1.0], 7) * rng.uniform(0.6, 1.4, 7)
    image = Image.new("RGB", (size, size), (20, 40, 90))
    draw = ImageDraw.Draw(image)
    palette = [(25, 55, 120), (40, 90, 160), (70, 130, 190), (230, 200, 80), (250, 235, 150), (15, 30, 70)]

    def direction(x: float, y: float) -> tuple[float, float]:
        dx = dy = 0.0
        for (cx, cy), spin in zip(centres, spins):
            rx, ry = x - cx, y - cy
            r2 = rx * rx + ry * ry + 400.0
            dx += -spin * ry / r2 * 1e3
            dy += spin * rx / r2 * 1e3
        norm = math.hypot(dx, dy) + 1e-9
        return dx / norm, dy / norm

    for _ in range(5000):
        x, y = rng.uniform(0, size, 2)
        near_star = min(math.hypot(x - cx, y - cy) for cx, cy in centres[:3]) < 45
        colour = palette[rng.integers(3, 5)] if near_star else palette[rng.integers(0, 3) if rng.random() < 0.9 else 5]
        points = [(x, y)]
        for _ in range(int(rng.integers(6, 14))):
            dx, dy = direction(x, y)
            x, y = x + 4 * dx, y + 4 * dy
            points.append((x, y))
        draw.line(points, fill=colour, width=int(rng.integers(3, 6)))
    return image.filter(ImageFilter.SMOOTH)


def mosaic(size: int = 512, seed: int = 1) -> Image.Image:
    """Stained-glass Voronoi cells in saturated colours with dark lead lines."""
    rng = np.random.default_rng(seed)
    seeds = rng.uniform(0, size, (140, 2))
    colours = rng.choice(
        np.array([[200, 40, 40], [240, 180, 30], [30, 110, 180], [40, 150, 80], [140, 50, 150], [240, 120, 30]]), 140
    ) * rng.uniform(0.75, 1.1, (140, 1))
    ys, xs = np.mgrid[0:size, 0:size]
    distances = (xs[..., None] - seeds[:, 0]) ** 2 + (ys[..., None] - seeds[:, 1]) ** 2
    order = np.argsort(distances, axis=-1)
    nearest, second = order[..., 0], order[..., 1]
    gap = np.sqrt(np.take_along_axis(distances, second[..., None], -1)[..., 0]) - np.sqrt(
        np.take_along_axis(distances, nearest[..., None], -1)[..., 0]
    )
    pixels = colours[nearest]
    pixels[gap < 3.5] = (25, 20, 20)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))


def waves(size: int = 512, seed: int = 2) -> Image.Image:
    """Bands of overlapping sine waves, woodblock-print blues on cream."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:size, 0:size] / size
    field = np.zeros_like(xs)
    for _ in range(5):
        frequency, phase, tilt = rng.uniform(3, 9), rng.uniform(0, 2 * np.pi), rng.uniform(-0.6, 0.6)
        field += np.sin(2 * np.pi * frequency * (ys + tilt * xs + 0.08 * np.sin(7 * xs + phase)))
    bands = np.floor((field - field.min()) / (np.ptp(field) + 1e-9) * 5).clip(0, 4).astype(int)
    palette = np.array([[240, 232, 210], [160, 190, 210], [60, 110, 160], [25, 55, 105], [10, 25, 60]])
    return Image.fromarray(palette[bands].astype(np.uint8))


def main() -> None:
    save_photos()
    (HERE / "styles").mkdir(exist_ok=True)
    for name, draw in (("swirls", swirls), ("mosaic", mosaic), ("waves", waves)):
        draw().save(HERE / "styles" / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
