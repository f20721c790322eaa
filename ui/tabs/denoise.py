"""The Denoise tab: Zero-Shot Noise2Noise on any image, previews while it fits."""

from __future__ import annotations

import gradio as gr

from ..controls import PhotoInput
from ..gpu import DENOISE_GPU_S, gpu
from ..jobs import denoise_job
from ..machine import Machine
from ..results import preview_file, result_path
from ..session_limit import heavy_click


@gpu(lambda *args, **kwargs: DENOISE_GPU_S)
def denoise_page(image, progress=gr.Progress()):
    if not image:
        raise gr.Error("Upload an image to denoise.")
    before_file = None
    # Files, not pictures: Gradio would encode both halves as PNG at every preview, over a second of a run
    # that takes a few. The noisy half is written once, as PNG; a preview is a JPEG; the result is its PNG.
    for before, after, path in denoise_job(image, progress):
        if before_file is None:
            before_file = result_path()
            before.save(before_file)
        yield (str(before_file), path or preview_file(after)), path or gr.skip()


def render(machine: Machine) -> None:
    gr.Markdown(
        "Zero-Shot Noise2Noise fits a tiny network to your one image: no training data needed. It removes sensor "
        "noise from photos; on stylized results it changes little."
    )
    gr.Markdown(machine.denoise_expected(), elem_id="denoise-expected")
    noisy = PhotoInput(label="Image to denoise", type="filepath", image_mode=None, height=300)
    button = gr.Button("Denoise", variant="primary")
    denoised = gr.ImageSlider(label="Before / after", format="png", type="pil")
    download = gr.File(label="Download PNG", interactive=False)
    heavy_click(
        button, denoise_page, [noisy], [denoised, download], api_name="denoise_page", api_visibility="undocumented"
    )
