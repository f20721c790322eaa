"""Layer reconstructions: the paper's Figure 1 with a user's own images.

From white noise, L-BFGS finds an image whose VGG19 features at one layer match a photo's (content
reconstruction: detail survives at conv1/conv2 and only the layout at conv4/conv5), or whose Gram matrices
over a growing set of layers match a painting's (style reconstruction: the texture's scale grows with
depth). `explore` is a generator of progress events with previews, like `stylize`; closing it stops.

Layer names: the paper says conv1_2 .. conv5_2, but Caffe's ReLU runs in place, so the features the
paper read at "conv4_2" are the rectified ones: relu4_2 here, as everywhere in style_core.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import torch
from PIL import Image

from .config import STYLE_LAYERS
from .cost import STEP_OVERHEAD_UNITS, STEP_SHARE, UNIT_SIZE, pixels_cost
from .device import pick_device
from .errors import ConfigError
from .grid import GridCell, compose_grid
from .images import ImageSource, load_image, to_pil, to_tensor
from .lbfgs import LBFGS
from .losses import ContentLoss, StyleLoss, gram_matrix
from .transfer import at_output_size
from .vgg import LAYER_NAMES, POOLING, WEIGHT_SOURCES, VGG19Features, network_share

KINDS = ("content", "style", "both")
CONTENT_LAYERS = ["relu1_2", "relu2_2", "relu3_2", "relu4_2", "relu5_2"]
ROW_NOTES = {
    "content": "Content: the photo rebuilt from one layer's activations. Shallow layers keep every pixel; "
    "deeper ones keep the objects and layout but not the exact detail.",
    "style": "Style: the painting's texture rebuilt from the Gram matrices of a growing set of layers. "
    "Each added layer makes the texture's structures larger and the arrangement freer.",
}


@dataclass
class ExploreConfig:
    """Settings of one figure. Defaults as in the paper's Figure 1 (average pooling, as it used for images)."""

    kind: str = "both"
    content_layers: list[str] = field(default_factory=lambda: list(CONTENT_LAYERS))
    style_layers: list[str] = field(default_factory=lambda: list(STYLE_LAYERS))  # cell k uses the first k
    size: int = 192
    steps: int = 50
    seed: int = 0
    pooling: str = "avg"
    weights: str = "bundled"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        for name in self.content_layers + self.style_layers:
            if name not in LAYER_NAMES:
                raise ConfigError(f"unknown VGG19 layer {name!r}")
        if self.pooling not in POOLING or self.weights not in WEIGHT_SOURCES:
            raise ConfigError(f"pooling must be one of {POOLING} and weights one of {WEIGHT_SOURCES}")
        for name, low, high in (("size", 32, 1024), ("steps", 1, 5000), ("seed", 0, 2**63 - 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Cell:
    row: str  # "content" or "style"
    column: int
    layers: list[str]

    @property
    def label(self) -> str:
        paper = [name.replace("relu", "conv") for name in self.layers]  # the paper's names (see the module doc)
        return paper[0] if len(paper) == 1 else f"{paper[0]}..{paper[-1]}"


@dataclass
class ExploreProgress:
    cell: Cell
    cell_index: int  # 0-based
    cells: int
    step: int
    steps: int
    loss: float
    elapsed: float
    preview: Image.Image | None = None
    image: Image.Image | None = None  # the cell's finished reconstruction, on its last event
    done: bool = False  # the whole figure is finished


def plan_cells(config: ExploreConfig) -> list[Cell]:
    cells = []
    if config.kind in ("content", "both"):
        cells += [Cell("content", i, [name]) for i, name in enumerate(config.content_layers)]
    if config.kind in ("style", "both"):
        cells += [Cell("style", k - 1, config.style_layers[:k]) for k in range(1, len(config.style_layers) + 1)]
    return cells


def figure_units(config: ExploreConfig, photo_aspect: float = 0.75, painting_aspect: float = 0.75) -> float:
    """What the figure costs, in style_core.cost's units: each cell's steps through the network truncated after
    its deepest layer, on the photo's (content row) or the painting's (style row) shape at `size`."""
    units = 0.0
    for cell in plan_cells(config):
        aspect = photo_aspect if cell.row == "content" else painting_aspect
        share = pixels_cost(config.size**2 * aspect / UNIT_SIZE**2)
        deepest = max(cell.layers, key=LAYER_NAMES.index)
        units += config.steps * (STEP_SHARE * share * network_share(deepest) + STEP_OVERHEAD_UNITS)
    return units


def explore(
    image: ImageSource | None,
    style: ImageSource | None,
    config: ExploreConfig | None = None,
    *,
    device: str | torch.device | None = None,
    preview_every: float = 2.0,
) -> Iterator[ExploreProgress]:
    """Reconstruct `image` (content row) and `style` (style row) cell by cell from white noise."""
    config = config or ExploreConfig()
    cells = plan_cells(config)
    needs = {cell.row for cell in cells}
    sources = {"content": image, "style": style}
    device = pick_device(device)
    targets = {}
    for row in needs:
        if sources[row] is None:
            raise ConfigError(f"the {row} row needs an image: give one or choose another kind")
        picture = at_output_size(load_image(sources[row], f"{row} image"), config.size, f"{row} image")
        targets[row] = to_tensor(picture, device)
    start = time.perf_counter()
    for index, cell in enumerate(cells):
        for event in _reconstruct(cell, targets[cell.row], config, device, preview_every):
            event.cell_index, event.cells, event.elapsed = index, len(cells), time.perf_counter() - start
            yield event
    yield ExploreProgress(cells[-1], len(cells) - 1, len(cells), 0, 0, 0.0, time.perf_counter() - start, done=True)


def _reconstruct(
    cell: Cell, target: torch.Tensor, config: ExploreConfig, device: torch.device, preview_every: float
) -> Iterator[ExploreProgress]:
    # A network truncated after this cell's deepest layer: shallow cells cost a fraction of deep ones.
    model = VGG19Features(cell.layers, config.pooling, config.weights).to(device)
    with torch.no_grad():
        features = model(target)
    if cell.row == "content":
        losses = [ContentLoss(features[cell.layers[0]])]
    else:
        losses = [StyleLoss(gram_matrix(features[name])) for name in cell.layers]
    generator = torch.Generator().manual_seed(config.seed)
    image = torch.rand(target.shape, generator=generator).to(device).requires_grad_(True)
    optimizer = LBFGS(image, history=50)
    names = cell.layers if cell.row == "style" else cell.layers[:1]
    last_preview = time.perf_counter()
    for step in range(1, config.steps + 1):

        def closure() -> torch.Tensor:
            optimizer.zero_grad(set_to_none=True)
            found = model(image)
            total = sum(loss(found[name]) for loss, name in zip(losses, names)) / len(losses)
            total.backward()
            return total

        # The image is left unclamped, as in the paper, and shown clamped: clamping it after each step misleads
        # L-BFGS's curvature history, and a cell could climb away from its target and end as a flat wash.
        loss = float(optimizer.step(closure).detach())
        finished = step == config.steps
        preview = None
        if finished or time.perf_counter() - last_preview >= preview_every:
            preview, last_preview = to_pil(image.detach().clamp(0, 1)), time.perf_counter()
        yield ExploreProgress(cell, 0, 0, step, config.steps, loss, 0.0, preview, preview if finished else None)


@dataclass
class Figure:
    """The figure so far: each finished cell with its reconstruction, and the labelled composite."""

    cells: list[tuple[Cell, Image.Image]]
    image: Image.Image


def explore_grid(
    image: ImageSource | None, style: ImageSource | None, config: ExploreConfig, each_step: bool = False, **kwargs
) -> Iterator[Figure | None]:
    """The figure, re-composed as each cell finishes (rows: content, style; columns: layers); with `each_step`,
    None after every optimiser step between, where a caller may stop it."""
    cells = plan_cells(config)
    rows = list(dict.fromkeys(cell.row for cell in cells))
    columns = max(cell.column for cell in cells) + 1
    labels = [" | ".join(c.label for c in cells if c.column == i) for i in range(columns)]
    finished: list[tuple[Cell, Image.Image]] = []
    for event in explore(image, style, config, **kwargs):
        if event.image is not None:
            finished.append((event.cell, event.image))
            grid = [GridCell(rows.index(cell.row), cell.column, picture) for cell, picture in finished]
            yield Figure(list(finished), compose_grid(grid, rows, labels))
        elif each_step:
            yield None
