"""The Layers tab: the paper's Figure 1 made live with the user's own photo and painting."""

from __future__ import annotations

import gradio as gr

from style_core import StyleCoreError
from style_core.explore import KINDS, ROW_NOTES, ExploreConfig, explore_grid, plan_cells

from ..controls import PhotoInput
from ..engine_thread import on_engine_thread
from ..gpu import GPU_SECONDS_PER_UNIT, gpu
from ..jobs import user_errors
from ..machine import LINE_UPDATE, Machine, browser_on_this_machine, photo_aspect
from ..results import result_path
from ..session_limit import heavy_click
from ..stylize_inputs import StylizeInputs

MOST_CELLS = len(plan_cells(ExploreConfig(kind="both")))


def figure_inputs(
    own_photo: str | None, own_painting: str | None, photo: str | None, painting: str | None, kind: str,
    size: float, steps: float,
) -> tuple[ExploreConfig, str | None, str | None]:  # fmt: skip
    """The figure's settings, and the photo and painting it uses: the tab's own, else the Stylize tab's."""
    return ExploreConfig(kind=kind, size=int(size), steps=int(steps)), own_photo or photo, own_painting or painting


def layers_seconds(own_photo, own_painting, photo, painting, kind, size, steps, progress=None) -> float:
    """Every cell is `steps` steps at `size` through the whole network: an upper bound, not yet measured on a GPU
    (the page's line uses style_core.explore.figure_units)."""
    try:
        return MOST_CELLS * int(steps) * (int(size) / 512) ** 2 * GPU_SECONDS_PER_UNIT
    except (TypeError, ValueError):  # values the job refuses at once
        return 0.0


@gpu(layers_seconds)
def layers(own_photo, own_painting, photo, painting, kind, size, steps, progress=gr.Progress()):
    """The paper's Figure 1 with your images: the photo rebuilt from single VGG19 layers and the painting's
    texture from growing sets of layers. Streams both rows and the labelled figure as each cell finishes.

    Args:
        own_photo: the photo for the content row (an image file; empty: photo)
        own_painting: the painting for the style row (an image file; empty: painting)
        photo: the photo of the Stylize tab
        painting: the painting of the Stylize tab
        kind: which rows: content, style or both
        size: each cell's long side in px (64 to 256)
        steps: L-BFGS steps per cell (10 to 200)
    """
    with user_errors():
        config, image, style = figure_inputs(own_photo, own_painting, photo, painting, kind, size, steps)
        total = len(plan_cells(config))
        for figure in on_engine_thread(explore_grid(image, style, config)):
            progress((len(figure.cells), total), desc="Reconstructing")
            rows = {
                row: [(picture, cell.label) for cell, picture in figure.cells if cell.row == row] for row in ROW_NOTES
            }
            path = result_path(what="layers")
            figure.image.save(path)
            yield rows["content"], rows["style"], str(path)


def render(stylize: StylizeInputs, machine: Machine, tab: gr.Tab) -> None:
    gr.Markdown(
        "Gatys et al.'s Figure 1 with your images: each cell starts from white noise and is optimised until its "
        "VGG19 features match. The content row redraws the photo, the style row the painting: the Stylize tab's, "
        "unless you drop others here. Click a cell to see it large."
    )
    with gr.Row():
        # Labels of one line: a second would cover the box's upload sign.
        own_photo = PhotoInput(label="Photo (or the Stylize tab's)", type="filepath", height=200)
        own_painting = PhotoInput(label="Painting (or the Stylize tab's)", type="filepath", height=200)
        with gr.Column():
            kind = gr.Radio(list(KINDS), value="both", label="Rows")
            size = gr.Slider(64, 256, 192, step=16, label="Cell size (long side, px)")
            steps = gr.Slider(10, 200, 50, step=10, label="Steps per cell", info="L-BFGS steps from white noise")
            expected = gr.Markdown(
                machine.figure_expected(ExploreConfig(), 0.75, 0.75, False), elem_id="layers-expected"
            )
    with gr.Row():
        button = gr.Button("Run", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    rows = {}
    for row, note in ROW_NOTES.items():
        rows[row] = gr.Gallery(label=f"{row.capitalize()} reconstructions", columns=5, height=260, format="png",
                               object_fit="contain", elem_id=f"layers-{row}")  # fmt: skip
        gr.Markdown(note)
    figure = gr.File(label="The labelled figure (PNG)", interactive=False)
    event = heavy_click(
        button, layers, [own_photo, own_painting, stylize.content, stylize.style, kind, size, steps],
        [rows["content"], rows["style"], figure], api_name="layers",
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
    inputs = [own_photo, own_painting, stylize.content, stylize.style, kind, size, steps]
    _wire_expected(machine, tab, inputs, expected)


def _wire_expected(machine: Machine, tab: gr.Tab, inputs: list[gr.Component], line: gr.Markdown) -> None:
    """The line under the settings: the figure's time on this machine for these images' shapes, worked out again
    as the tab opens (for a browser on this machine) and as any of them changes."""

    def expected(own_photo, own_painting, photo, painting, kind, size, steps, request: gr.Request) -> str:
        try:
            config, image, style = figure_inputs(own_photo, own_painting, photo, painting, kind, size, steps)
        except (StyleCoreError, TypeError, ValueError) as error:
            return f"Check the settings: {error}"
        here = browser_on_this_machine(request)
        return machine.figure_expected(config, photo_aspect(image), photo_aspect(style), here)

    triggers = [tab.select, *(component.change for component in inputs)]
    gr.on(triggers, expected, inputs, [line], **LINE_UPDATE)
