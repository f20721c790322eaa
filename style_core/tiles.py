"""Print sizes in bounded memory: where tiles go over a large picture, how each is written back, and a
painting's feature moments summed over tiles.

VGG19's activations for one optimiser step grow with the pixels (about 2.6 GB in float32 for a 1024x683 picture,
8 GB at 2048 px, 30 GB at 4096), so a scale larger than `tile_size` is refined one overlapping tile at a time
(transfer.py). Each tile starts from the picture as the tiles before it left it and is written back with a
weight that ramps from 0 to 1 across its overlap with those earlier tiles, so neighbours meet without a step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

OVERLAP_SHARE = 1 / 8  # of the tile's side, shared with each neighbour: the ramp of the blend
MIN_OVERLAP = 32


@dataclass(frozen=True)
class Tile:
    top: int
    left: int
    height: int
    width: int

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.top, self.top + self.height), slice(self.left, self.left + self.width)

    def crop(self, image: torch.Tensor) -> torch.Tensor:
        rows, columns = self.slices
        return image[..., rows, columns]


def tile_side(tile_size: int) -> int:
    """The square tile holding as many pixels as a 3:2 picture `tile_size` px long (what fits in memory)."""
    return int(math.sqrt(tile_size * tile_size * 2 / 3))


def needs_tiles(long_side: int, tile_size: int) -> bool:
    """True when a picture `long_side` px long is refined in tiles (`tile_size` 0: never)."""
    return 0 < tile_size < long_side


def overlap(side: int) -> int:
    return max(MIN_OVERLAP, round(side * OVERLAP_SHARE))


def _starts(length: int, side: int) -> list[int]:
    """Tile starts along one axis: as few tiles as cover `length` with at least `overlap(side)` shared."""
    if length <= side:
        return [0]
    count = math.ceil((length - overlap(side)) / (side - overlap(side)))
    return [round(k * (length - side) / (count - 1)) for k in range(count)]


def plan_tiles(height: int, width: int, tile_size: int) -> list[Tile]:
    """Overlapping tiles covering a height x width picture, row by row."""
    side = tile_side(tile_size)
    rows, columns = _starts(height, side), _starts(width, side)
    return [Tile(top, left, min(side, height), min(side, width)) for top in rows for left in columns]


def blend_weight(tile: Tile, side: int) -> torch.Tensor:
    """1x1xHxW weights for writing `tile` back: a ramp from 0 to 1 across the overlap on its top and left sides
    where an earlier tile lies (row by row order), 1 elsewhere. The tile's own edges, where its features saw
    zero padding instead of the picture, get the least weight; a later neighbour overwrites its right and
    bottom edges."""
    ramp = overlap(side)

    def along(length: int, has_neighbour: bool) -> torch.Tensor:
        weight = torch.ones(length)
        if has_neighbour:
            weight[:ramp] = (torch.arange(ramp) + 0.5) / ramp
        return weight

    rows, columns = along(tile.height, tile.top > 0), along(tile.width, tile.left > 0)
    return (rows[:, None] * columns[None, :])[None, None]


def seam_score(image: torch.Tensor, tiles: list[Tile], side: int, near: int = 16) -> float:
    """How much larger the colour step between neighbouring columns (rows) is on the tiles' borders (their edges
    and the ends of their blend ramps) than on the lines within `near` px of them, inside the tiles: 1 is
    seamless. (Compared with nearby lines, a seam shows against the texture around it.)"""
    image = image.float()
    steps = {
        "columns": (image[..., :, 1:] - image[..., :, :-1]).abs().mean((0, 1, 2)),  # [x - 1]: into column x
        "rows": (image[..., 1:, :] - image[..., :-1, :]).abs().mean((0, 1, 3)),
    }
    ramp = overlap(side)
    borders = {
        "columns": {x for t in tiles if t.left > 0 for x in (t.left, t.left + ramp)},
        "rows": {y for t in tiles if t.top > 0 for y in (t.top, t.top + ramp)},
    }
    ratios = []
    for kind, lines in borders.items():
        profile = steps[kind]
        for line in lines:
            around = [k for k in range(line - near, line + near + 1) if abs(k - line) > 1 and 1 <= k <= len(profile)]
            if 1 <= line <= len(profile) and around:
                ratios.append(profile[line - 1] / profile[[k - 1 for k in around]].mean())
    return float(torch.stack(ratios).mean()) if ratios else 1.0


def tiled_moments(
    features: Callable[[torch.Tensor], dict[str, torch.Tensor]], image: torch.Tensor, layers: list[str], tile_size: int
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Per layer, the (mean, raw second moment) of `image`'s features as one pass over the whole image gives
    them, from passes over tiles: each tile is seen with a halo around it and only its own part of the
    features counts."""
    side = tile_side(tile_size)
    halo = max(64, overlap(side) // 16 * 16)  # a multiple of the deepest stride; relu5_1 sees about this far
    height, width = image.shape[-2:]
    cell = max(side // 2, side - 2 * halo) // 16 * 16
    sums: dict[str, list] = {}
    for top in range(0, height, cell):
        for left in range(0, width, cell):
            box = Tile(max(0, top - halo), max(0, left - halo), 0, 0)
            bottom, right = min(height, top + cell + halo), min(width, left + cell + halo)
            part = image[..., box.top : bottom, box.left : right]
            with torch.no_grad():
                maps = features(part)
            for name in layers:
                stride = part.shape[-1] / maps[name].shape[-1]
                own = maps[name][
                    ..., round((top - box.top) / stride) : round((min(height, top + cell) - box.top) / stride),
                    round((left - box.left) / stride) : round((min(width, left + cell) - box.left) / stride),
                ]  # fmt: skip
                flat = own.flatten(2)[0]  # C x pixels
                total = sums.setdefault(name, [0.0, 0.0, 0])
                total[0] = total[0] + flat.sum(1)
                total[1] = total[1] + flat @ flat.T
                total[2] += flat.shape[1]
    return {name: (total[0] / total[2], total[1] / total[2]) for name, total in sums.items()}
