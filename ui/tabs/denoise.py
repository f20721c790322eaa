"""The Denoise tab: Zero-Shot Noise2Noise on any image, previews while it fits."""

from __future__ import annotations

import gradio as gr
from PIL import Image

from ..controls import PhotoInput
from ..examples import NOISY_CAPTION, noisy_photo
from ..gpu import DENOISE_GPU_S, gpu
from ..jobs import denoise_job
from ..machine import LINE_UPDATE, Machine, browser_on_this_machine, image_size
from ..results import preview_file, result_path
from ..session_limit import heavy_click
from ..stopped import stopped_status, wire_end_lines

# A picture on view larger than this goes to the page shrunk to it (a screen shows less, and a camera's photo as
# PNG is about 60 MB to send); the download is always the whole picture.
SHOWN_MAX_PIXELS = 4_000_000


@gpu(lambda *args, **kwargs: DENOISE_GPU_S)
def denoise_page(image, progress=gr.Progress()):
    """Stream the before/after pair and a status line as the denoiser fits, then the PNG."""
    if not image:
        raise gr.Error("Upload an image to denoise.")
    before_file = None
    # Files, not pictures: Gradio would encode both halves as PNG at every preview, over a second of a run
    # that takes a few. The noisy half is written once, as PNG; a preview is a JPEG; the result is its PNG (each
    # shrunk to SHOWN_MAX_PIXELS on view, if larger).
    for before, after, status, path in denoise_job(image, progress):
        if before_file is None:
            before_file = result_path(what="noisy")
            on_view(before).save(before_file)
        if after is None:
            yield gr.skip(), status, gr.skip()
            continue
        viewed = on_view(after)
        if path is None:  # a preview
            yield (str(before_file), preview_file(viewed)), status, gr.skip()
        elif viewed is after:
            yield (str(before_file), path), status, path
        else:
            view_file = result_path(what="denoised_view")
            viewed.save(view_file)
            whole = f"Shown at {viewed.width}x{viewed.height}; the PNG below is the whole {after.width}x{after.height}."
            yield (str(before_file), str(view_file)), f"{status} {whole}", path


def on_view(image: Image.Image) -> Image.Image:
    """`image` as the page shows it: shrunk to SHOWN_MAX_PIXELS if larger, itself otherwise."""
    scale = (SHOWN_MAX_PIXELS / (image.width * image.height)) ** 0.5
    if scale >= 1:
        return image
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)


def render(machine: Machine, tab: gr.Tab) -> None:
    gr.Markdown(
        "Zero-Shot Noise2Noise fits a tiny network to your one image: no training data needed. It removes sensor "
        "noise from photos; on stylized results it changes little."
    )
    line = gr.Markdown(machine.denoise_expected(), elem_id="denoise-expected")
    noisy = PhotoInput(label="Image to denoise", type="filepath", image_mode=None, height=300)

    def expected(image: str | None, request: gr.Request) -> str:  # a browser on this machine slows the run
        return machine.denoise_expected(browser_on_this_machine(request), image_size(image))

    gr.on([tab.select, noisy.change], expected, [noisy], [line], **LINE_UPDATE)
    gr.Examples(
        [[noisy_photo()]], inputs=[noisy], example_labels=[NOISY_CAPTION],
        label="Example: click it to use it",
    )  # fmt: skip
    with gr.Row():
        button = gr.Button("Denoise", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    status = gr.Markdown("", elem_id="denoise-status")
    denoised = gr.ImageSlider(label="Before / after", format="png", type="pil")
    download = gr.File(label="Download PNG", interactive=False)
    # A status line instead of Gradio's progress bar: redrawn at every step, the bar cost the run a fifth of its
    # time with the browser on the same two cores (docs/BENCHMARKS.md, "Denoise on the page").
    event = heavy_click(
        button, denoise_page, [noisy], [denoised, status, download], api_name="denoise_page",
        api_visibility="undocumented", show_progress="minimal",
    )  # fmt: skip
    wire_end_lines(event, [stop], status, stopped_line, None)


# The download is made only at the end.
stopped_line = stopped_status(
    r"Fitting .*step (\d+ of \d+)", "Stopped at step {}, nothing saved: press Denoise to start again."
)
