"""The Denoise tab: Zero-Shot Noise2Noise on any image, previews while it fits."""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from style_core import load_image, save_png
from style_core.denoise import DenoiseConfig, denoise

from .controls import PhotoInput
from .jobs import DENOISE_GPU_S, gpu, heavy_click, on_engine_thread, result_path, user_errors


def denoise_job(image: str, progress=None) -> Iterator[tuple]:
    """Yields (before, denoised so far, None), then (before, denoised, path of the PNG)."""
    with user_errors():
        before = load_image(image, "image to denoise")
        config = DenoiseConfig()
        # About five previews a run: each applies the network to the whole image (a fraction of a second).
        for event in on_engine_thread(denoise(before, config, preview_every=max(1, config.steps // 5))):
            if progress:
                progress((event.step, event.total_steps), desc="Fitting the denoiser to this image")
            if event.done:
                path = result_path()
                save_png(event.image, path, notes={"denoise": config.to_dict()})
                yield before, event.image, str(path)
            elif event.image is not None:
                yield before, event.image, None


@gpu(lambda *args, **kwargs: DENOISE_GPU_S)
def denoise_page(image, progress=gr.Progress()):
    if not image:
        raise gr.Error("Upload an image to denoise.")
    for before, after, path in denoise_job(image, progress):
        yield (before, after), path or gr.skip()


def render() -> None:
    gr.Markdown(
        "Zero-Shot Noise2Noise fits a tiny network to your one image: no training data needed. About 10-25 s "
        "on a 2-core CPU for any size. It removes sensor noise from photos; on stylised results it changes little."
    )
    noisy = PhotoInput(label="Image to denoise", type="filepath", image_mode=None, height=300)
    button = gr.Button("Denoise", variant="primary")
    denoised = gr.ImageSlider(label="Before / after", format="png", type="pil")
    download = gr.File(label="Download PNG", interactive=False)
    heavy_click(
        button, denoise_page, [noisy], [denoised, download], api_name="denoise_page", api_visibility="undocumented"
    )
