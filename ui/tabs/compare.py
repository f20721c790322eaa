"""The Compare tab: the photo in every preset, in a chosen set of paintings, or the paper's Figure 3 sweep,
small and labelled, each cell appearing as it finishes."""

from __future__ import annotations

import gradio as gr

from style_core.grid import GRID_KINDS, MAX_CELL_COST, MAX_CELL_STEPS

from ..controls import values_to_config
from ..examples import PAINTINGS
from ..gpu import config_or_none, gpu, grid_gpu_seconds
from ..jobs import compare_job, styles_for, user_errors
from ..machine import TARGET_SECONDS, Machine, photo_aspect
from ..session_limit import heavy_click
from ..stylize_inputs import StylizeInputs

HELP = (
    "Runs the photo and style from the Stylize tab small, each cell with its settings' own schedule; one that "
    "would cost more than {cost:.0f} default cells runs fewer steps and its label says *(short)* (thorough: the same "
    "proportions; gatys2015's 500 steps: {steps} over the default's scales); keep_colors is balanced's cell in the "
    "photo's colours, with no run of its own. Cells appear as they finish. "
    "The cells are as large as fits about {seconds:.0f} s on this machine: "
    "{presets} px for *presets* (every named preset with your style). *styles*: your style and the paintings "
    "you tick, with the settings above. *strength x layers*: Figure 3 of the paper: rows use more style layers, "
    "columns more style; from noise, as in the paper, where the start is feed-forward (the network's picture holds "
    "the painting's large strokes whatever the layers)."
)


def make_compare(machine: Machine):
    """The Compare button's job, with the cell size fitted to `machine`."""

    def compare_seconds(content, style, kind, chosen, progress=None, **settings) -> float:
        return grid_gpu_seconds(machine, kind, config_or_none(lambda: values_to_config(settings)))

    @gpu(compare_seconds)
    def compare(content, style, kind, chosen, progress=gr.Progress(), **settings):
        if not content:
            raise gr.Error("Upload a content photo on the Stylize tab first.")
        styles, names = styles_for(kind, style, chosen or [])
        with user_errors():
            config = values_to_config(settings)
        size = machine.grid_cell_size(kind, config, len(styles), photo_aspect(content))
        for grid in compare_job(content, styles, names, kind, config, size, progress):
            yield gr.skip() if grid is None else grid

    return compare


def render(stylize: StylizeInputs, machine: Machine) -> None:
    defaults = machine.default_config()
    presets_cell = machine.grid_cell_size("presets", defaults, 1)
    gr.Markdown(HELP.format(steps=MAX_CELL_STEPS, cost=MAX_CELL_COST, seconds=TARGET_SECONDS, presets=presets_cell))
    with gr.Row():  # side by side, or one above the other on a phone (min_width), not two thin columns
        kind = gr.Radio(list(GRID_KINDS), value=GRID_KINDS[0], label="Compare", min_width=320)
        chosen = gr.CheckboxGroup(
            [p.caption for p in PAINTINGS], value=[p.caption for p in PAINTINGS[:4]],
            label="Paintings for the styles grid", min_width=320,
        )  # fmt: skip
    with gr.Row():
        button = gr.Button("Make the grid", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    # Its label box is hidden from sight (ui/page.py's CSS): over the picture it hid the first column's heading.
    # It stays for screen readers, and names the picture.
    grid = gr.Image(label="Comparison grid", format="png", type="pil", interactive=False, elem_id="grid")
    event = heavy_click(
        button, make_compare(machine), [stylize.content, stylize.style, kind, chosen], [grid],
        inputs_kwargs=stylize.controls, api_visibility="undocumented", api_name="compare_page",
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
    stylize.stop.click(None, None, None, cancels=[event])
