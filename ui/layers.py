"""The Layers tab: the paper's Figure 1 made live with the user's own photo and painting."""

from __future__ import annotations

import gradio as gr

from style_core.explore import KINDS, ROW_NOTES, ExploreConfig, explore_grid, plan_cells

from .controls import PhotoInput
from .jobs import HEAVY, gpu, user_errors
from .stylise import StyliseTab


@gpu
def layers(own_photo, own_painting, photo, painting, kind, size, steps, progress=gr.Progress()):
    """Stream the labelled figure as each reconstruction finishes."""
    image, style = own_photo or photo, own_painting or painting
    with user_errors():
        config = ExploreConfig(kind=kind, size=int(size), steps=int(steps))
        cells = len(plan_cells(config))
        for done, figure in enumerate(explore_grid(image, style, config), start=1):
            progress((done, cells), desc="Reconstructing")
            yield figure


def render(stylise: StyliseTab) -> None:
    gr.Markdown(
        "Gatys et al.'s Figure 1 with your images: each cell starts from white noise and is optimised until its "
        "VGG19 features match. The whole figure (10 cells at 192 px) takes about a minute on a 2-core CPU.\n\n"
        + "\n\n".join(f"- {note}" for note in ROW_NOTES.values())
    )
    with gr.Row():
        own_photo = PhotoInput(
            label="Photo for the content row (empty: the Stylise tab's)", type="filepath", height=180
        )
        own_painting = PhotoInput(
            label="Painting for the style row (empty: the Stylise tab's)", type="filepath", height=180
        )
        with gr.Column():
            kind = gr.Radio(list(KINDS), value="both", label="Rows")
            size = gr.Slider(64, 256, 192, step=16, label="Cell size (long side, px)")
            steps = gr.Slider(10, 200, 50, step=10, label="Steps per cell", info="L-BFGS steps from white noise")
    with gr.Row():
        button = gr.Button("Run", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    figure = gr.Image(label="Reconstructions (click the corner button to see it large)", format="png", type="pil",
                      interactive=False, elem_id="layers-figure", buttons=["fullscreen", "download"],
                      show_label=False)  # fmt: skip
    event = button.click(
        layers, [own_photo, own_painting, stylise.content, stylise.style, kind, size, steps], [figure],
        api_name="layers", **HEAVY,
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
