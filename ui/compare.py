"""The Compare tab: the photo in every preset, in a chosen set of paintings, or the paper's Figure 3 sweep,
small and labelled, each cell appearing as it finishes."""

from __future__ import annotations

import gradio as gr

from style_core import StyleConfig
from style_core.grid import GRID_KINDS, MAX_CELL_STEPS, cell_size_for_seconds, plan_grid, quick

from .controls import values_to_config
from .examples import PAINTINGS, PAINTINGS_BY_CAPTION
from .jobs import compare_job, config_or_none, gpu, gpu_seconds, heavy_click, user_errors
from .machine import TARGET_SECONDS, Machine
from .stylise import StyliseTab, photo_aspect

HELP = (
    "Runs the photo and style from the Stylise tab small, each cell with at most {steps} steps at its first scale; "
    "cells appear as they finish. The cells are as large as fits about {seconds:.0f} s on this machine: "
    "{presets} px for *presets* (every named preset with your style). *styles*: your style and the paintings "
    "you tick, with the settings above. *strength x layers*: Figure 3 of the paper: rows use more style layers, "
    "columns more style."
)


def styles_for(kind: str, style: str | None, chosen: list[str]) -> tuple[list[str], list[str]]:
    """The style images of a grid and their column labels."""
    if kind == "styles":
        styles = ([style] if style else []) + [str(PAINTINGS_BY_CAPTION[caption].path) for caption in chosen]
        names = (["your style"] if style else []) + list(chosen)
        if not styles:
            raise gr.Error("Upload a style or tick at least one painting.")
        return styles, names
    if not style:
        raise gr.Error("Choose a style image on the Stylise tab first.")
    return [style], ["style"]


def most_styles(kind: str) -> int:
    return 1 + len(PAINTINGS) if kind == "styles" else 1


def cell_size(machine: Machine, kind: str, config: StyleConfig, styles: int, aspect: float) -> int:
    """The grid's cell size on this machine: the largest whose grid takes about TARGET_SECONDS."""
    return cell_size_for_seconds(kind, config, styles, TARGET_SECONDS, machine.unit_for(config), aspect)


def grid_seconds(machine: Machine, kind: str, config: StyleConfig | None) -> float:
    """The GPU time a grid reserves: its most cells at the size this machine gives them."""
    if config is None:
        return 0.0
    styles = [""] * most_styles(kind)
    plan = plan_grid(kind, quick(config, cell_size(machine, kind, config, len(styles), 0.75)), styles, styles)
    return sum(gpu_seconds(run_config) for _, _, run_config, _ in plan.runs)


def make_compare(machine: Machine):
    """The Compare button's job, with the cell size fitted to `machine`."""

    def compare_seconds(content, style, kind, chosen, progress=None, **settings) -> float:
        return grid_seconds(machine, kind, config_or_none(lambda: values_to_config(settings)))

    @gpu(compare_seconds)
    def compare(content, style, kind, chosen, progress=gr.Progress(), **settings):
        if not content:
            raise gr.Error("Upload a content photo on the Stylise tab first.")
        styles, names = styles_for(kind, style, chosen or [])
        with user_errors():
            config = values_to_config(settings)
        size = cell_size(machine, kind, config, len(styles), photo_aspect(content))
        for grid in compare_job(content, styles, names, kind, config, size, progress):
            yield gr.skip() if grid is None else grid

    return compare


def render(stylise: StyliseTab, machine: Machine) -> None:
    defaults = machine.default_config()
    presets_cell = cell_size(machine, "presets", defaults, 1, 0.75)
    gr.Markdown(HELP.format(steps=MAX_CELL_STEPS, seconds=TARGET_SECONDS, presets=presets_cell))
    with gr.Row():
        kind = gr.Radio(list(GRID_KINDS), value=GRID_KINDS[0], label="Compare")
        chosen = gr.CheckboxGroup(
            [p.caption for p in PAINTINGS], value=[p.caption for p in PAINTINGS[:4]],
            label="Paintings for the styles grid",
        )  # fmt: skip
    with gr.Row():
        button = gr.Button("Make the grid", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    grid = gr.Image(label="Comparison grid", format="png", type="pil", interactive=False, elem_id="grid")
    event = heavy_click(
        button, make_compare(machine), [stylise.content, stylise.style, kind, chosen], [grid],
        inputs_kwargs=stylise.controls, api_visibility="undocumented", api_name="compare_page",
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
    stylise.stop.click(None, None, None, cancels=[event])
