"""The Denoise tab: Zero-Shot Noise2Noise on any image, previews while it fits."""

from __future__ import annotations

import gradio as gr

from ..controls import PhotoInput
from ..gpu import DENOISE_GPU_S, gpu
from ..jobs import denoise_job
from ..session_limit import heavy_click


@gpu(lambda *args, **kwargs: DENOISE_GPU_S)
def denoise_page(image, progress=gr.Progress()):
    if not image:
        raise gr.Error("Upload an image to denoise.")
    for before, after, path in denoise_job(image, progress):
        yield (before, after), path or gr.skip()


def render() -> None:
    gr.Markdown(
        "Zero-Shot Noise2Noise fits a tiny network to your one image: no training data needed. About 10-25 s "
        "on a 2-core CPU for any size. It removes sensor noise from photos; on stylized results it changes little."
    )
    noisy = PhotoInput(label="Image to denoise", type="filepath", image_mode=None, height=300)
    button = gr.Button("Denoise", variant="primary")
    denoised = gr.ImageSlider(label="Before / after", format="png", type="pil")
    download = gr.File(label="Download PNG", interactive=False)
    heavy_click(
        button, denoise_page, [noisy], [denoised, download], api_name="denoise_page", api_visibility="undocumented"
    )
