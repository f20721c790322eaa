"""The Video tab: a clip (or the example), a painting and a preset; frames appear as they are made, then the
result plays, with MP4 and GIF downloads."""

from __future__ import annotations

import gradio as gr
from PIL import Image

from style_core import PRESETS, StyleConfig, StyleCoreError
from style_core.config import DEFAULT_PRESET
from style_core.video import CLIP_SUFFIXES, PAGE_MAX_FRAMES, PAGE_MAX_SECONDS, probe_clip, video_units

from ..controls import PageSlider, PhotoInput, make_control, preset_info, settings_to_config
from ..examples import CLIP_EXAMPLES, painting_gallery
from ..gpu import gpu, video_gpu_seconds
from ..jobs import VIDEO_FPS, VIDEO_MAX_FPS, VIDEO_SIZE, user_errors, video_job
from ..machine import (
    LINE_UPDATE,
    LOCAL_BROWSER_FRAME_UNITS,
    Machine,
    browser_on_this_machine,
    duration,
    with_local_browser,
)
from ..session_limit import heavy_click
from ..stopped import part_lines, wire_end_lines

LIMITS = f"at most {PAGE_MAX_SECONDS} s and {PAGE_MAX_FRAMES} frames"


def _config(preset_name: str, size: float) -> StyleConfig:
    return settings_to_config(preset_name or DEFAULT_PRESET, {"size": int(size)})


def video_seconds(clip, style, preset_name, size, fps, temporal, progress=None) -> float:
    try:
        return video_gpu_seconds(_config(preset_name, size), float(fps))
    except (StyleCoreError, TypeError, ValueError):  # refused at once by the job
        return 0.0


@gpu(video_seconds)
def video_page(clip, style, preset_name, size, fps, temporal, progress=gr.Progress()):
    if not clip:
        raise gr.Error("Upload a clip (MP4, WebM, MOV or GIF) or click the example clip.")
    if not style:
        raise gr.Error("Choose a style image: upload one or click an example painting.")
    with user_errors():
        config = _config(preset_name, size)
    for frame, status, files in video_job(clip, style, config, float(fps), temporal, progress):
        if files is None:
            yield frame if isinstance(frame, Image.Image) else gr.skip(), status, gr.skip(), gr.skip()
        else:
            yield frame, status, files[0], list(files)


# The MP4 and the GIF are made only at the end.
stopped_line, failed_line = part_lines(
    "frame", "Stopped at frame {}, nothing saved: press Stylize the clip to start again."
)


def render(machine: Machine, tab: gr.Tab) -> None:
    gr.Markdown(
        "Stylize a short clip without flicker: each frame starts from the last one's result, moved along the "
        "clip's motion (optical flow), and is held there where the motion is clear (Ruder et al. 2016). "
        f"Clips {LIMITS}."
    )
    inputs, expected = _inputs(expected_line(machine, None, DEFAULT_PRESET, VIDEO_SIZE, VIDEO_FPS))
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
    wire_end_lines(event, [stop], status, stopped_line, failed_line)
    clip, _, preset_name, size, fps, _ = inputs
    shown = [clip, preset_name, size, fps]

    def line(clip: str | None, preset_name: str, size: float, fps: float, request: gr.Request) -> str:
        return expected_line(machine, clip, preset_name, size, fps, browser_on_this_machine(request))

    # Also as the tab opens: a browser on this machine slows the run.
    gr.on([tab.select, *(control.change for control in shown)], line, shown, [expected], **LINE_UPDATE)
    preset_name.change(lambda name: gr.Dropdown(info=preset_info(name)), [preset_name], [preset_name], **LINE_UPDATE)


def _inputs(expected_text: str) -> tuple[list[gr.Component], gr.Markdown]:
    """[clip, style, preset, size, fps, temporal] and the expected-time line."""
    with gr.Row():
        with gr.Column():
            # A file box, not gr.Video: the browser's video picker leaves out animated GIFs. The limits are in the
            # tab's first line: a label of two lines covers the box's upload sign.
            clip = gr.File(
                label="Clip (MP4, WebM, MOV or GIF)", file_types=list(CLIP_SUFFIXES),
                height=160, elem_id="video-input",
            )  # fmt: skip
            gr.Examples([[str(path)] for path in CLIP_EXAMPLES], inputs=[clip], label="Example clip")
        with gr.Column():
            style = PhotoInput(label="Style image", type="filepath", image_mode=None, height=260, elem_id="video-style")
            painting_gallery(style, "video-paintings")
        with gr.Column(elem_id="video-settings"):
            preset_name = gr.Dropdown(
                list(PRESETS), value=DEFAULT_PRESET, label="Preset", info=preset_info(DEFAULT_PRESET)
            )
            size = make_control("size", VIDEO_SIZE)
            fps = PageSlider(
                1, VIDEO_MAX_FPS, VIDEO_FPS, step=1, label="Frames per second",
                info="at most the clip's own: the result lasts as long as the clip, in fewer frames and less time",
            )  # fmt: skip
            temporal = gr.Checkbox(
                True, label="Hold the strokes between frames (no flicker)",
                info="off: every frame on its own, as a plain style transfer tool would",
            )  # fmt: skip
            expected = gr.Markdown(expected_text, elem_id="video-expected")
    return [clip, style, preset_name, size, fps, temporal], expected


def _with_local_browser(machine: Machine, seconds: float, frames: int, browser_here: bool) -> float:
    """A clip's `seconds` of work, with the page open in a browser on this machine if `browser_here`: the browser's
    share of the cores, and its receiving and drawing each of the `frames` finished frames."""
    if not browser_here:
        return seconds
    return with_local_browser(seconds, True) + frames * LOCAL_BROWSER_FRAME_UNITS * machine.float32_unit


def expected_line(
    machine: Machine, clip: str | None, preset_name: str, size: float, fps: float, browser_here: bool = False
) -> str:
    """The time the settings take here: for this clip once one is chosen, per second of clip before; with the
    page open in a browser on this machine if `browser_here`."""
    try:
        config, fps = _config(preset_name, size), float(fps)
        info = probe_clip(clip) if clip else None
    except (StyleCoreError, TypeError, ValueError) as error:
        return f"Check the settings: {error}"
    unit = machine.unit_for(config)
    if info is None:
        per_second = (video_units(config, 1 + round(fps)) - video_units(config, 1)) * unit
        seconds = _with_local_browser(machine, per_second, round(fps), browser_here)
        return f"About {duration(seconds)} per second of clip at {fps:g} fps and {config.size} px on this machine."
    frames, rate = info.frames_at(fps), min(fps, info.fps)
    seconds = _with_local_browser(machine, video_units(config, frames, aspect=info.aspect) * unit, frames, browser_here)
    return (
        f"About {duration(seconds)} for this {info.duration:.1f} s clip on this machine: {frames} frames at "
        f"{rate:g} fps (the clip has {info.fps:g}), {config.size} px."
    )
