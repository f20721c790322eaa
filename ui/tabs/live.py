"""The Live tab: the browser's camera through the feed-forward network (style_core.preview) with the chosen
painting and strength, frame after frame (on the previews' thread, paced while a job runs), with the frames per
second shown; Snapshot hands the frame to the Stylize tab for a full run. One stream per browser tab, for at
most LIVE_LIMIT_S; frames are worked on in memory and none is kept once the stream ends."""

from __future__ import annotations

import base64
import io
import time
from collections import deque
from pathlib import Path

import gradio as gr
import numpy as np
from gradio.data_classes import ImageData
from PIL import Image

from style_core import StyleConfig, StyleCoreError
from style_core.preview import instant_preview

from ..controls import PhotoInput, make_control
from ..examples import PAINTINGS, painting_gallery
from ..preview import paced
from ..results import result_path
from ..stylize_inputs import StylizeInputs

LIVE_SIZE = 384  # px, long side: at least 4 frames a second on 2 float32 CPU cores (docs/BENCHMARKS.md)
LIVE_LIMIT_S = 60  # a stream's longest run: the camera's button starts another
LIVE_STREAMS = 2  # streams served at once; more wait their turn


class LiveFrame(gr.Image):
    """gr.Image that sends each picture inline (a data: URL) instead of writing it into Gradio's cache: a
    stream's frames leave nothing on the server."""

    is_template = True  # render with the ordinary Image front end

    def postprocess(self, value: np.ndarray | None) -> ImageData | None:
        if value is None:
            return None
        buffer = io.BytesIO()
        Image.fromarray(value).save(buffer, format="JPEG", quality=85)
        return ImageData(
            url="data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode(), orig_name="live.jpg"
        )


class LiveCamera(gr.Image):
    """gr.Image from the webcam whose frames, once read, are removed from Gradio's cache."""

    is_template = True

    def preprocess(self, payload: ImageData | None) -> np.ndarray | None:
        frame = super().preprocess(payload)
        if payload is not None and payload.path:
            Path(payload.path).unlink(missing_ok=True)
        return frame


def live_frame(frame: np.ndarray | None, style: str | None, strength: float, times: deque | None) -> tuple:
    """One camera frame stylized, the frame rate line, and the frames' times (the session's, for the rate)."""
    times = times if times is not None else deque(maxlen=10)
    if frame is None:
        return gr.skip(), gr.skip(), times
    if not style:
        return gr.skip(), "Choose a painting: click one of the examples, or upload one.", times
    try:
        config = StyleConfig(size=LIVE_SIZE, strength=float(strength))
        picture = paced(lambda: instant_preview(Image.fromarray(frame).convert("RGB"), [style], config))
    except StyleCoreError as error:
        return gr.skip(), str(error), times
    times.append(time.perf_counter())
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    line = f"{rate:.1f} frames per second at {max(picture.size)} px" if rate else "Live"
    return np.asarray(picture), line, times


def snapshot(frame: np.ndarray | None, style: str | None) -> tuple:
    """The camera's current frame and the painting as the Stylize tab's, and that tab shown."""
    if frame is None:
        raise gr.Error("Start the camera first: the snapshot takes its current frame.")
    path = result_path(".png")
    Image.fromarray(frame).convert("RGB").save(path)
    status = "The camera's frame and the painting are on the Stylize tab: press Run for the full result."
    return str(path), style or gr.skip(), gr.Tabs(selected="stylize"), status


def render(tab: StylizeInputs, tabs: gr.Tabs) -> None:
    gr.Markdown(
        f"Your camera, redrawn in a painting as you move (the feed-forward network, {LIVE_SIZE} px). Allow the "
        f"camera, then press its record button; a stream runs up to {LIVE_LIMIT_S} s, the button starts another. "
        "Nothing is kept on the server. Snapshot sends the frame to the Stylize tab for a full run."
    )
    with gr.Row():
        with gr.Column():
            camera = LiveCamera(
                label="Camera", sources=["webcam"], type="numpy", streaming=True, height=300, elem_id="live-camera",
                webcam_options=gr.WebcamOptions(mirror=True),
            )  # fmt: skip
            snap = gr.Button("Snapshot: make it the Stylize tab's photo", elem_id="live-snapshot")
        with gr.Column():
            live = LiveFrame(label="Live", type="numpy", height=300, interactive=False, elem_id="live-result")
            rate = gr.Markdown("", elem_id="live-rate")
        with gr.Column():
            style = PhotoInput(
                str(PAINTINGS[0].path), label="Painting", type="filepath", image_mode=None, height=180,
                elem_id="live-style",
            )  # fmt: skip
            painting_gallery(style, "live-paintings")
            strength = make_control("strength", 1.0)
    times = gr.State(None)
    camera.stream(
        live_frame, [camera, style, strength, times], [live, rate, times], stream_every=0.1,
        time_limit=LIVE_LIMIT_S, concurrency_limit=LIVE_STREAMS, concurrency_id="live",
        show_progress="hidden", api_visibility="private",
    )  # fmt: skip
    outputs = [tab.content, tab.style, tabs, tab.result.status]
    snap.click(snapshot, [camera, style], outputs, api_visibility="private")
