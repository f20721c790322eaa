"""Comparison grids: small sweeps of settings, composed into one labelled image.

"presets" runs the photo through every named preset; "styles" through several styles; "strength x layers"
is Figure 3 of Gatys et al.: rows use style layers up to conv1_1, conv3_1 and conv5_1, columns shift
alpha/beta by powers of ten, each cell from noise as in the paper (or from the start the settings choose, unless
that is the feed-forward picture). Every cell runs small (`quick`) so a whole grid takes about a minute on a CPU.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .config import PRESETS, STYLE_LAYERS, StyleConfig, preset
from .cost import run_units
from .images import ImageSource, load_image, with_photo_colours
from .transfer import Progress, stylize

GRID_SIZE = 192  # long side of a cell on the command line (the page fits it to its machine: cell_size_for_seconds)
CELL_SIZES = range(128, 384 + 1, 32)
MAX_CELL_STEPS = 48  # a single long scale's steps when cut (gatys2015's 500 steps from noise)
# A cell may cost at most this many default cells of its size: a longer schedule (thorough's) runs
# fewer steps at every scale, in the same proportions, and its label says "(short)".
MAX_CELL_COST = 2.0
STRENGTHS = (0.1, 1.0, 10.0)
LAYER_DEPTHS = (1, 3, 5)  # rows: relu1_1 only; relu1_1..relu3_1; relu1_1..relu5_1
FIGURE_3_START = "noise"  # the sweep's start in place of a feed-forward one
# What each kind of grid shows, for the page and the command line.
GRID_KIND_HELP = {
    "presets": f"the photo in every named preset; one whose own schedule costs more than {MAX_CELL_COST:g} default "
    "cells runs fewer steps, and its label says (short)",
    "styles": "the photo in each painting, with the same settings",
    "strength x layers": "the paper's Figure 3: rows use the style layers up to "
    f"{', '.join(STYLE_LAYERS[depth - 1] for depth in LAYER_DEPTHS)}, columns style strength "
    f"{', '.join(f'{strength:g}' for strength in STRENGTHS)}, each cell from {FIGURE_3_START} as in the paper "
    "(unless the settings start from the photo or the painting)",
}
GRID_KINDS = tuple(GRID_KIND_HELP)


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


def quick(config: StyleConfig, size: int = GRID_SIZE) -> StyleConfig:
    """A cell's settings: small, and cut short when its own schedule costs more than MAX_CELL_COST default
    cells. A multi-scale schedule keeps its shape with fewer steps at each scale. A single long scale
    (gatys2015's 500 steps from noise) cut to a few steps would still be noise: it runs MAX_CELL_STEPS over the
    default's scales instead, where a few steps at the coarse sizes form the picture."""
    cell = config.replace(size=size)
    if not is_short(config, size):
        return cell
    if config.scales == 1:
        default = StyleConfig()
        return cell.replace(iterations=MAX_CELL_STEPS, scales=default.scales, scale_factor=default.scale_factor)
    budget = MAX_CELL_COST * run_units(StyleConfig(size=size))
    low, high = 1, config.iterations  # the most steps that fit: cost grows with them (a bisection)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if run_units(cell.replace(iterations=middle)) <= budget else (low, middle - 1)
    return cell.replace(iterations=low)


def is_short(config: StyleConfig, size: int = GRID_SIZE) -> bool:
    """Whether a cell of `size` px runs fewer steps than `config`'s own schedule (its label then says so)."""
    return run_units(config.replace(size=size)) > MAX_CELL_COST * run_units(StyleConfig(size=size))


def plan_grid(kind: str, base: StyleConfig, styles: Sequence[ImageSource], style_names: Sequence[str]) -> GridPlan:
    """What to run for a grid, at the base settings' size (make `base` with `quick`)."""
    if kind == "presets":
        names = list(PRESETS)
        runs = [
            (0, column, quick(preset(name), base.size).replace(seed=base.seed), list(styles[:1]))
            for column, name in enumerate(names)
        ]
        labels = [f"{name} (short)" if is_short(preset(name), base.size) else name for name in names]
        return GridPlan([""], labels, runs)
    if kind == "strength x layers":
        # The paper's Figure 3 starts from white noise. A feed-forward start already holds the painting's large
        # strokes, whichever layers a row uses, so its rows would look alike: the sweep starts from noise instead.
        start = FIGURE_3_START if base.init == "feedforward" else base.init
        runs = []
        for row, depth in enumerate(LAYER_DEPTHS):
            layers = dict.fromkeys(STYLE_LAYERS[:depth], 1.0)
            for column, strength in enumerate(STRENGTHS):
                cell = base.replace(style_layers=layers, strength=strength, init=start)
                runs.append((row, column, cell, list(styles[:1])))
        ratio = base.content_weight / base.style_weight
        columns = [f"alpha/beta {ratio / s:.0e}" for s in STRENGTHS]
        rows = [f"{STYLE_LAYERS[0]}..{STYLE_LAYERS[d - 1]}" if d > 1 else STYLE_LAYERS[0] for d in LAYER_DEPTHS]
        return GridPlan(rows, columns, runs)
    if kind == "styles":
        runs = [(0, column, base, [style]) for column, style in enumerate(styles)]
        return GridPlan([""], list(style_names), runs)
    raise ValueError(f"grid kind must be one of {', '.join(GRID_KINDS)}")


def recoloured_from(plan: GridPlan) -> dict[int, int]:
    """The cells that need no run of their own: colour "luminance" changes only the finished picture (the
    photo's colours under the result's luminance), so such a cell is the earlier cell with the same settings
    and colour "off", recoloured. Maps the cell's index in `plan.runs` to that earlier cell's."""
    shared = {}
    for index, (_, _, config, styles) in enumerate(plan.runs):
        if config.color != "luminance":
            continue
        uncoloured = config.replace(color="off")
        for earlier, (_, _, other, other_styles) in enumerate(plan.runs[:index]):
            # The same style objects (the plan hands every cell its list of them): cheap, and safe for arrays.
            if other == uncoloured and list(map(id, other_styles)) == list(map(id, styles)):
                shared[index] = earlier
                break
    return shared


def run_costs(plan: GridPlan, aspect: float = 0.75) -> list[float]:
    """What each cell of the plan costs, in style_core.cost's units (nothing for one recoloured from another). A
    cell whose paintings an earlier cell used runs warm: the network is loaded and the paintings' targets are
    kept (transfer.STYLE_MOMENTS)."""
    shared, seen, costs = recoloured_from(plan), set(), []
    for index, (_, _, config, styles) in enumerate(plan.runs):
        paintings = tuple(map(id, styles))  # the plan hands every cell the same style objects
        costs.append(0.0 if index in shared else run_units(config, aspect, len(styles), warm=paintings in seen))
        seen.add(paintings)
    return costs


def plan_units(plan: GridPlan, aspect: float = 0.75) -> float:
    """What running every cell costs, in style_core.cost's units."""
    return sum(run_costs(plan, aspect))


def units_done(costs: Sequence[float], finished: int, fraction: float = 0.0) -> float:
    """A grid's work done, in units: its first `finished` cells' costs (`run_costs`), and `fraction` of the next's."""
    under_way = costs[finished] if finished < len(costs) else 0.0
    return sum(costs[:finished]) + under_way * fraction


def cell_label(plan: GridPlan, index: int) -> str:
    """The labels of the plan's `index`th cell, its row's and its column's: e.g. "relu1_1, alpha/beta 1e-03"."""
    row, column = plan.runs[index][:2]
    return ", ".join(label for label in (plan.row_labels[row], plan.column_labels[column]) if label)


def cell_size_for_seconds(
    kind: str, config: StyleConfig, styles: int, seconds: float, unit_seconds: float, aspect: float = 0.75
) -> int:
    """The largest cell size (CELL_SIZES, and never over the settings' own output size) whose whole grid takes
    at most `seconds` on a machine whose unit takes `unit_seconds` (the smallest when none does)."""
    sizes = [size for size in CELL_SIZES if size <= config.size] or [config.size]

    def seconds_at(size: int) -> float:
        return plan_units(plan_of_size(kind, config, styles, size), aspect) * unit_seconds

    return max((size for size in sizes if seconds_at(size) <= seconds), default=sizes[0])


def plan_of_size(kind: str, config: StyleConfig, styles: int, size: int) -> GridPlan:
    """The plan of a grid of `size` px cells over `styles` paintings, for its cost (the images left out)."""
    placeholders = [f"painting {n}" for n in range(styles)]  # the plan needs only how many, each its own object
    return plan_grid(kind, quick(config, size), placeholders, placeholders)


def run_grid(content: ImageSource, plan: GridPlan, *, device: str | None = None) -> Iterator[GridCell | Progress]:
    """Run each cell of the plan in turn; yields each optimiser step's Progress and each finished cell (the
    steps let a caller such as the page stop a grid between two steps, not only between two cells)."""
    content_image = load_image(content, "content image")
    shared, finished = recoloured_from(plan), {}
    for index, (row, column, config, styles) in enumerate(plan.runs):
        if index in shared:
            yield GridCell(row, column, with_photo_colours(finished[shared[index]], content_image))
            continue
        for event in stylize(content_image, styles, config, device=device, preview_every=1e9):
            if event.done:
                finished[index] = event.image
                yield GridCell(row, column, event.image)
            else:
                yield event


def compose_grid(cells: Sequence[GridCell], row_labels: Sequence[str], column_labels: Sequence[str]) -> Image.Image:
    """Paste the cells into rows and columns with labels above and to the left."""
    width = max(cell.image.width for cell in cells)
    height = max(cell.image.height for cell in cells)
    font = ImageFont.load_default(size=14)
    column_labels = [_fit(label, width - 8, font) for label in column_labels]
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


def _fit(label: str, width: int, font: ImageFont.ImageFont) -> str:
    """The label, shortened with an ellipsis until it fits `width` px."""
    if font.getlength(label) <= width:
        return label
    while label and font.getlength(label + "...") > width:
        label = label[:-1]
    return label.rstrip() + "..."
