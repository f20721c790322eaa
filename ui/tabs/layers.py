"""The Layers tab: the paper's Figure 1 made live with the user's own photo and painting."""

from __future__ import annotations

import gradio as gr

from style_core import StyleCoreError
from style_core.explore import KINDS, ROW_NOTES, ExploreConfig

from ..controls import PageSlider, PhotoInput
from ..gpu import gpu, layers_gpu_seconds
from ..jobs import LAYERS_SIZE, LAYERS_STEPS, layers_job, user_errors
from ..machine import LINE_UPDATE, Machine, browser_on_this_machine, photo_aspect
from ..session_limit import heavy_click
from ..stopped import part_lines, wire_end_lines
from ..stylize_inputs import StylizeInputs


def figure_inputs(
    own_photo: str | None, own_painting: str | None, photo: str | None, painting: str | None, kind: str,
    size: float, steps: float,
) -> tuple[ExploreConfig, str | None, str | None]:  # fmt: skip
    """The figure's settings, and the photo and painting it uses: the tab's own, else the Stylize tab's."""
    return ExploreConfig(kind=kind, size=int(size), steps=int(steps)), own_photo or photo, own_painting or painting


@gpu(lambda own_photo, own_painting, photo, painting, kind, size, steps, progress=None: layers_gpu_seconds(size, steps))
def layers(own_photo, own_painting, photo, painting, kind, size, steps, progress=gr.Progress()):
    """The figure with the tab's own photo and painting, else the Stylize tab's."""
    with user_errors():
        config, image, style = figure_inputs(own_photo, own_painting, photo, painting, kind, size, steps)
    yield from layers_job(image, style, config, progress)


stopped_line, failed_line = part_lines(
    "cell", "Stopped at cell {}: the cells made before it stay below; press Run to start again."
)


def render(stylize: StylizeInputs, machine: Machine, tab: gr.Tab) -> None:
    gr.Markdown(
        "Gatys et al.'s Figure 1 with your images: each cell starts from white noise and is optimised until its "
        "VGG19 features match. The content row redraws the photo, the style row the painting: the Stylize tab's, "
        "unless you drop others here. Click a cell to see it large."
    )
    with gr.Row():
        # Labels of one line: a second would cover the box's upload sign. min_width: one above the other on a
        # phone, where side by side each label wraps.
        own_photo = PhotoInput(label="Photo (or the Stylize tab's)", type="filepath", height=200, min_width=260)
        own_painting = PhotoInput(label="Painting (or the Stylize tab's)", type="filepath", height=200, min_width=260)
        with gr.Column():
            kind = gr.Radio(list(KINDS), value="both", label="Rows")
            size = PageSlider(*LAYERS_SIZE, step=16, label="Cell size (long side, px)")
            steps = PageSlider(*LAYERS_STEPS, step=10, label="Steps per cell", info="L-BFGS steps from white noise")
            expected = gr.Markdown(
                machine.figure_expected(ExploreConfig(), 0.75, 0.75, False), elem_id="layers-expected"
            )
    with gr.Row():
        button = gr.Button("Run", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    status = gr.Markdown("", elem_id="layers-status")
    rows = {}
    for row, note in ROW_NOTES.items():
        rows[row] = gr.Gallery(label=f"{row.capitalize()} reconstructions", columns=5, height=260, format="png",
                               object_fit="contain", elem_id=f"layers-{row}")  # fmt: skip
        gr.Markdown(note)
    figure = gr.File(label="The labelled figure (PNG)", interactive=False)
    event = heavy_click(
        button, layers, [own_photo, own_painting, stylize.content, stylize.style, kind, size, steps],
        [rows["content"], rows["style"], figure, status], api_name="layers_page", api_visibility="undocumented",
        show_progress_on=[rows["content"], rows["style"]],
    )  # fmt: skip
    wire_end_lines(event, [stop], status, stopped_line, failed_line)
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
