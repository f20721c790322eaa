"""The Video tab: a clip (or the example), a painting and a preset; frames appear as they are made, then the
result plays, with MP4 and GIF downloads."""

from __future__ import annotations

import functools

import gradio as gr
from PIL import Image

from style_core import PRESETS, StyleCoreError
from style_core.config import DEFAULT_PRESET
from style_core.video import CLIP_SUFFIXES, PAGE_MAX_FRAMES, PAGE_MAX_SECONDS, video_units

from ..controls import PhotoInput, make_control, settings_to_config
from ..examples import CLIP_EXAMPLES, painting_gallery
from ..gpu import gpu, video_gpu_seconds
from ..jobs import VIDEO_SIZE, user_errors, video_job
from ..machine import Machine, duration
from ..session_limit import heavy_click

LIMITS = f"at most {PAGE_MAX_SECONDS} s and {PAGE_MAX_FRAMES} frames"


def video_seconds(clip, style, preset_name, size, temporal, progress=None) -> float:
    try:
        config = settings_to_config(preset_name or DEFAULT_PRESET, {"size": int(size)})
    except (StyleCoreError, TypeError, ValueError):  # refused at once by the job
        return 0.0
    return video_gpu_seconds(config)


@gpu(video_seconds)
def video_page(
    clip: str | None, style: str | None, preset_name: str, size: float, temporal: bool, progress=gr.Progress()
):  # noqa: E501
    if not clip:
        raise gr.Error("Upload a clip (MP4, WebM, MOV or GIF) or click the example clip.")
    if not style:
        raise gr.Error("Choose a style image: upload one or click an example painting.")
    with user_errors():
        config = settings_to_config(preset_name or DEFAULT_PRESET, {"size": int(size)})
    for frame, status, files in video_job(clip, style, config, temporal, progress):
        if files is None:
            yield frame if isinstance(frame, Image.Image) else gr.skip(), status, gr.skip(), gr.skip()
        else:
            yield frame, status, files[0], list(files)


def render(machine: Machine) -> None:
    gr.Markdown(
        "Stylize a short clip without flicker: each frame starts from the last one's result, moved along the "
        "clip's motion (optical flow), and is held there where the motion is clear (Ruder et al. 2016). "
        f"Clips {LIMITS}."
    )
    inputs, expected = _inputs(expected_line(machine, DEFAULT_PRESET, VIDEO_SIZE))
    with gr.Row():
        run = gr.Button("Stylize the clip", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    status = gr.Markdown("", elem_id="video-status")
    with gr.Row():
        frame = gr.Image(label="Frames as they are made", type="pil", format="png", interactive=False, height=300)
        result = gr.Video(
            label="Result", interactive=False, height=300, elem_id="video-result", autoplay=True, loop=True
        )
    files = gr.File(label="Download MP4 and GIF", file_count="multiple", interactive=False, elem_id="video-files")
    event = heavy_click(
        run, video_page, inputs, [frame, status, result, files], api_visibility="private",
        show_progress="minimal", show_progress_on=[frame],
    )  # fmt: skip
    stop.click(None, None, None, cancels=[event])
    _wire_expected(machine, inputs[2], inputs[3], expected)


def _inputs(expected_text: str) -> tuple[list[gr.Component], gr.Markdown]:
    """[clip, style, preset, size, temporal] and the expected-time line."""
    with gr.Row():
        with gr.Column():
            # A file box, not gr.Video: the browser's video picker leaves out animated GIFs.
            clip = gr.File(
                label=f"Clip (MP4, WebM, MOV or animated GIF; {LIMITS})", file_types=list(CLIP_SUFFIXES),
                height=160, elem_id="video-input",
            )  # fmt: skip
            gr.Examples([[str(path)] for path in CLIP_EXAMPLES], inputs=[clip], label="Example clip")
        with gr.Column():
            style = PhotoInput(label="Style image", type="filepath", image_mode=None, height=260, elem_id="video-style")
            painting_gallery(style, "video-paintings")
        with gr.Column(elem_id="video-settings"):
            preset_name = gr.Dropdown(list(PRESETS), value=DEFAULT_PRESET, label="Preset")
            size = make_control("size", VIDEO_SIZE)
            temporal = gr.Checkbox(
                True, label="Hold the strokes between frames (no flicker)",
                info="off: every frame on its own, as a plain style transfer tool would",
            )  # fmt: skip
            expected = gr.Markdown(expected_text, elem_id="video-expected")
    return [clip, style, preset_name, size, temporal], expected


def expected_line(machine: Machine, preset_name: str, size: float) -> str:
    try:
        config = settings_to_config(preset_name or DEFAULT_PRESET, {"size": int(size)})
    except (StyleCoreError, TypeError, ValueError) as error:
        return f"Check the settings: {error}"
    seconds = (video_units(config, 11) - video_units(config, 1)) * machine.unit_for(config)
    return f"About {duration(seconds)} per second of a 10 fps clip at {config.size} px on this machine."


def _wire_expected(machine: Machine, preset_name: gr.Dropdown, size: gr.Slider, line: gr.Markdown) -> None:
    gr.on([preset_name.change, size.change], functools.partial(expected_line, machine), [preset_name, size], [line],
          api_visibility="private", queue=False, show_progress="hidden")  # fmt: skip
