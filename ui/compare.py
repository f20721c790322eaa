"""The Compare tab: the photo in every preset, in a chosen set of paintings, or the paper's Figure 3 sweep,
small and labelled, each cell appearing as it finishes."""

from __future__ import annotations

import gradio as gr

from style_core import PRESETS, StyleConfig
from style_core.grid import GRID_KINDS, GRID_SIZE, LAYER_DEPTHS, MAX_CELL_STEPS, STRENGTHS, quick

from .controls import values_to_config
from .examples import PAINTINGS, PAINTINGS_BY_CAPTION
from .jobs import compare_job, config_or_none, gpu, gpu_seconds, heavy_click, user_errors
from .stylise import StyliseTab

HELP = (
    f"Runs the photo and style from the Stylise tab at {GRID_SIZE} px (at most {MAX_CELL_STEPS} steps at a cell's "
    "first scale); cells appear as they finish. *presets*: every named preset with your style (25-35 s on a "
    "2-core CPU). *styles*: your style and the paintings you tick, with the settings above. "
    "*strength x layers*: Figure 3 of the paper: rows use more style layers, columns more style."
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


def grid_seconds(kind: str, config: StyleConfig | None) -> float:
    """A grid's cells each run `quick(config)`; the most cells a kind can have."""
    cells = {"presets": len(PRESETS), "styles": 1 + len(PAINTINGS)}.get(kind, len(STRENGTHS) * len(LAYER_DEPTHS))
    return gpu_seconds(config and quick(config, GRID_SIZE), runs=cells)


def compare_seconds(content, style, kind, chosen, progress=None, **settings) -> float:
    return grid_seconds(kind, config_or_none(lambda: values_to_config(settings)))


@gpu(compare_seconds)
def compare(content, style, kind, chosen, progress=gr.Progress(), **settings):
    if not content:
        raise gr.Error("Upload a content photo on the Stylise tab first.")
    styles, names = styles_for(kind, style, chosen or [])
    with user_errors():
        config = values_to_config(settings)
    for grid in compare_job(content, styles, names, kind, config, progress):
        yield gr.skip() if grid is None else grid


def render(stylise: StyliseTab) -> None:
    gr.Markdown(HELP)
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
        button, compare, [stylise.content, stylise.style, kind, chosen], [grid], inputs_kwargs=stylise.controls,
        api_visibility="undocumented", api_name="compare_page",
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
    stylise.stop.click(None, None, None, cancels=[event])
