"""Comparison grids: small sweeps of settings, composed into one labelled image.

"strength x layers" is Figure 3 of Gatys et al.: rows use style layers up to conv1_1, conv2_1 ...
conv5_1, columns shift alpha/beta by powers of ten. "styles" runs one content through several styles.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .config import STYLE_LAYERS, StyleConfig
from .images import ImageSource, load_image
from .transfer import stylize

GRID_KINDS = ("strength x layers", "styles")
STRENGTHS = (0.1, 1.0, 10.0)
LAYER_DEPTHS = (1, 3, 5)  # rows: relu1_1 only; relu1_1..relu3_1; relu1_1..relu5_1


@dataclass
class GridCell:
    row: int
    column: int
    image: Image.Image


@dataclass
class GridPlan:
    row_labels: list[str]
    column_labels: list[str]
    runs: list[tuple[int, int, StyleConfig, list[ImageSource]]]  # row, column, settings, styles


def plan_grid(kind: str, base: StyleConfig, styles: Sequence[ImageSource], style_names: Sequence[str]) -> GridPlan:
    """What to run for a grid, at the base settings' size."""
    if kind == "strength x layers":
        runs = []
        for row, depth in enumerate(LAYER_DEPTHS):
            layers = dict.fromkeys(STYLE_LAYERS[:depth], 1.0)
            for column, strength in enumerate(STRENGTHS):
                runs.append((row, column, base.replace(style_layers=layers, strength=strength), list(styles[:1])))
        ratio = base.content_weight / base.style_weight
        columns = [f"alpha/beta {ratio / s:.0e}" for s in STRENGTHS]
        rows = [f"{STYLE_LAYERS[0]}..{STYLE_LAYERS[d - 1]}" if d > 1 else STYLE_LAYERS[0] for d in LAYER_DEPTHS]
        return GridPlan(rows, columns, runs)
    if kind == "styles":
        runs = [(0, column, base, [style]) for column, style in enumerate(styles)]
        return GridPlan([""], list(style_names), runs)
    raise ValueError(f"grid kind must be one of {', '.join(GRID_KINDS)}")


def run_grid(content: ImageSource, plan: GridPlan, preview_every: float = 1e9) -> Iterator[GridCell]:
    """Run each cell of the plan in turn; yields each finished cell."""
    content_image = load_image(content, "content image")
    for row, column, config, styles in plan.runs:
        for event in stylize(content_image, styles, config, preview_every=preview_every):
            if event.done:
                yield GridCell(row, column, event.image)


def compose_grid(cells: Sequence[GridCell], row_labels: Sequence[str], column_labels: Sequence[str]) -> Image.Image:
    """Paste the cells into rows and columns with labels above and to the left."""
    width = max(cell.image.width for cell in cells)
    height = max(cell.image.height for cell in cells)
    font = ImageFont.load_default(size=14)
    left = 0 if not any(row_labels) else 130
    top = 24
    grid = Image.new("RGB", (left + width * len(column_labels), top + height * len(row_labels)), "white")
    draw = ImageDraw.Draw(grid)
    for column, label in enumerate(column_labels):
        draw.text((left + column * width + 4, 4), label, fill="black", font=font)
    for row, label in enumerate(row_labels):
        draw.text((4, top + row * height + height // 2 - 7), label, fill="black", font=font)
    for cell in cells:
        grid.paste(cell.image, (left + cell.column * width, top + cell.row * height))
    return grid
