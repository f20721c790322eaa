"""Video without flicker (Ruder, Dosovitskiy and Brox, "Artistic style transfer for videos", GCPR 2016).

Styled one by one, frames flicker: the optimiser puts the strokes somewhere else every time. Here frame 1 is an
ordinary run; each later frame starts from the previous result warped along the optical flow (OpenCV's DIS) and
a temporal loss holds it there wherever the flow is reliable (not occluded, not on a motion boundary), over a
short schedule. Clips are read and written by imageio-ffmpeg, a static ffmpeg from PyPI that reads MP4, WebM,
MOV and GIF and writes H.264 MP4 in yuv420p (what every browser plays); GIFs are written by Pillow.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from .config import StyleConfig
from .cost import run_units
from .device import pick_device
from .errors import StyleCoreError
from .files import written_whole
from .images import ImageSource, to_tensor
from .transfer import TemporalHold, output_size, stylize

CLIP_SUFFIXES = (".mp4", ".webm", ".mov", ".gif", ".mkv", ".m4v", ".avi")
PAGE_MAX_SECONDS = 10
PAGE_MAX_FRAMES = 300
FRAME_STEPS = 6  # L-BFGS steps on every frame after the first, from the warped previous result
TEMPORAL_WEIGHT = 200.0  # on the mean squared difference (0-1 pixels) from the warped previous result


def video_units(config: StyleConfig, frames: int, warm: bool = True, aspect: float = 0.75) -> float:
    """A clip's cost in style_core.cost units: the first frame's run, then the short run of every later frame,
    each `warm` (its network and painting's targets already there, as measured on a CPU) or costed as a fresh
    run; for frames whose short side is `aspect` times their long side."""
    later = config.replace(scales=1, iterations=FRAME_STEPS)
    return run_units(config, aspect) + max(0, frames - 1) * run_units(later, aspect, warm=warm)


class VideoError(StyleCoreError):
    """A clip that cannot be used; the message is one line for the user."""


@dataclass
class Clip:
    frames: list[Image.Image]
    fps: float
    notes: list[str] = field(default_factory=list)  # what was changed on reading, for the user


@dataclass(frozen=True)
class ClipInfo:
    """What a clip's header says, read without decoding its frames."""

    fps: float
    duration: float  # seconds
    size: tuple[int, int]  # (width, height)
    has_sound: bool

    @property
    def aspect(self) -> float:
        """The short side over the long side."""
        return min(self.size) / max(self.size)

    def frames_at(self, fps: float | None = None) -> int:
        """How many frames the clip has when read at `fps` (at most its own rate; None: its own rate)."""
        return max(1, math.ceil(self.duration * min(fps or self.fps, self.fps) - 1e-6))


def probe_clip(path: str | os.PathLike) -> ClipInfo:
    """The clip's rate, duration and size, or VideoError with one line when it is not a readable video."""
    import imageio_ffmpeg

    name = os.path.basename(str(path))
    if not os.path.isfile(path):
        raise VideoError(f"{name}: no such file")
    try:
        probe = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
        meta = next(probe)
        probe.close()
    except (OSError, RuntimeError, StopIteration):
        raise VideoError(f"{name}: not a video, or a format that cannot be read (MP4, WebM, MOV or GIF)") from None
    fps = float(meta.get("fps") or 0) or 25.0
    return ClipInfo(fps, float(meta.get("duration") or 0), tuple(meta["size"]), bool(meta.get("audio_codec")))


def read_clip(
    path: str | os.PathLike,
    max_seconds: float | None = None,
    max_frames: int | None = None,
    fps: float | None = None,
    long_side: int | None = None,
) -> Clip:
    """Every frame of a video file or animated GIF, as RGB pictures, at `fps` frames per second (at most the
    clip's own rate; None: its own): frames are sampled over the whole clip, so the result lasts as long.
    Frames longer than `long_side` are shrunk to it as they are read (a 4K clip would hold 25 MB a frame).
    `max_seconds`/`max_frames` refuse longer clips (the page's limits) with one line."""
    import imageio_ffmpeg

    if fps is not None and not fps > 0:
        raise VideoError(f"fps must be above 0, not {fps:g}")
    name, info = os.path.basename(str(path)), probe_clip(path)
    if max_seconds is not None and info.duration > max_seconds + 0.05:
        raise VideoError(f"{name}: {info.duration:.1f} s is over this page's limit of {max_seconds:g} s: trim it first")
    rate = min(fps, info.fps) if fps else info.fps
    # Sampled at `rate` by ffmpeg over the clip's times: left to itself, ffmpeg repeats a variable-rate clip's
    # frames up to its fastest rate, and the result then plays slower than the clip. eof_action=pass: a clip
    # shorter than one frame at `rate` (a still picture, a one-frame GIF) keeps its frame instead of none.
    sampling = f"fps={rate:.6g}:eof_action=pass"
    size = info.size
    if long_side is not None and max(size) > long_side:
        size = output_size(size, long_side, name)
        sampling += f",scale={size[0]}:{size[1]}:flags=lanczos"
    reader = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24", output_params=["-vf", sampling])
    next(reader)
    frames = []
    for raw in reader:
        frames.append(Image.frombytes("RGB", size, raw))
        if max_frames is not None and len(frames) > max_frames:
            reader.close()
            raise VideoError(f"{name}: more than {max_frames} frames, this page's limit: trim it or lower its rate")
    if not frames:
        raise VideoError(f"{name}: the video has no frames")
    notes = ["its sound was dropped (the result is silent)"] if info.has_sound else []
    return Clip(frames, rate, notes)


def resample(clip: Clip, fps: float) -> Clip:
    """The clip at `fps` frames per second (frames dropped, or repeated for a higher rate)."""
    if fps <= 0:
        raise VideoError(f"fps must be above 0, not {fps:g}")
    count = max(1, math.ceil(len(clip.frames) * fps / clip.fps - 1e-6))  # the frame times within the clip
    picks = [min(len(clip.frames) - 1, round(k * clip.fps / fps)) for k in range(count)]
    return Clip([clip.frames[k] for k in picks], fps, clip.notes)


def even_size(image: Image.Image) -> Image.Image:
    """H.264 in yuv420p needs an even width and height: crop the odd last row or column."""
    width, height = image.size
    return image.crop((0, 0, width - width % 2, height - height % 2))


def write_mp4(frames: Sequence[Image.Image], fps: float, path: str | os.PathLike) -> None:
    """H.264 MP4 in yuv420p, fast start: plays in every browser."""
    import imageio_ffmpeg

    size = even_size(frames[0]).size
    with written_whole(path) as partial:
        writer = imageio_ffmpeg.write_frames(
            str(partial), size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", macro_block_size=2, quality=None,
            output_params=["-crf", "18", "-movflags", "+faststart"],
        )  # fmt: skip
        writer.send(None)
        for frame in frames:
            writer.send(np.ascontiguousarray(np.asarray(even_size(frame.convert("RGB")).resize(size))))
        writer.close()


def write_gif(frames: Sequence[Image.Image], fps: float, path: str | os.PathLike) -> None:
    frames = [frame.convert("RGB") for frame in frames]
    with written_whole(path) as partial:
        frames[0].save(
            partial, format="GIF", save_all=True, append_images=frames[1:], duration=round(1000 / fps), loop=0,
            optimize=False,
        )  # fmt: skip


# ---- optical flow (OpenCV) -------------------------------------------------------------------------


def _gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def optical_flow(source: Image.Image, target: Image.Image) -> np.ndarray:
    """HxWx2 displacement from each pixel of `source` to where it is in `target` (DIS, OpenCV)."""
    import cv2

    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    return dis.calc(_gray(source), _gray(target), None)


def warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """`image` sampled at each pixel + flow (bilinear; edges repeated)."""
    import cv2

    height, width = flow.shape[:2]
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    return cv2.remap(image, grid_x + flow[..., 0], grid_y + flow[..., 1], cv2.INTER_LINEAR, cv2.BORDER_REPLICATE)


def reliable_flow(backward: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """HxW float mask, 1 where the backward flow can be trusted: Ruder et al.'s forward-backward consistency
    (0 where occluded) and 0 on motion boundaries."""
    forward_here = warp(forward, backward)  # the forward flow at where each pixel came from
    mismatch = ((forward_here + backward) ** 2).sum(-1)
    occluded = mismatch > 0.01 * ((forward_here**2).sum(-1) + (backward**2).sum(-1)) + 0.5
    du_y, du_x = np.gradient(backward[..., 0])
    dv_y, dv_x = np.gradient(backward[..., 1])
    boundary = du_x**2 + du_y**2 + dv_x**2 + dv_y**2 > 0.01 * (backward**2).sum(-1) + 0.002
    return (~occluded & ~boundary).astype(np.float32)


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.float32) / 255


def warping_error(stylized: Sequence[Image.Image], frames: Sequence[Image.Image]) -> float:
    """Flicker: the mean difference (0-255) between each stylized frame and the previous one warped by the input
    clip's flow, over the pixels where that flow is reliable."""
    errors = []
    for t in range(1, len(stylized)):
        size = stylized[t].size
        now, before = frames[t].resize(size), frames[t - 1].resize(size)
        backward, forward = optical_flow(now, before), optical_flow(before, now)
        mask = reliable_flow(backward, forward)
        difference = np.abs(_array(stylized[t]) - warp(_array(stylized[t - 1]), backward)).mean(-1)
        errors.append(float((difference * mask).sum() / max(mask.sum(), 1.0)) * 255)
    return float(np.mean(errors)) if errors else 0.0


# ---- stylizing a clip ------------------------------------------------------------------------------


@dataclass
class VideoProgress:
    frame: int  # 1-based: the frame being stylized
    frames: int
    step: int  # the optimiser's steps done in this frame
    elapsed: float
    eta: float  # seconds left, at the pace of the work so far (costed in style_core.cost units)
    preview: Image.Image | None = None  # the frame as it forms, every few seconds
    done_frame: Image.Image | None = None  # set when this frame is finished
    result: list[Image.Image] | None = None  # every stylized frame, on the last event
    note: str | None = None

    @property
    def done(self) -> bool:
        return self.result is not None


class ClipClock:
    """The seconds a clip has left. A later frame is a few steps from the warped result, far cheaper than the
    first frame's full run: until a later frame is done they are costed in style_core.cost units at the
    pace of the work so far, then timed as the later frames themselves took."""

    def __init__(
        self,
        first: StyleConfig,
        later: StyleConfig,
        frames: int,
        aspect: float,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.first_units, self.later_units = run_units(first, aspect), run_units(later, aspect, warm=True)
        self.frames, self.clock = frames, clock
        self.starts = [clock()]

    def frame_started(self, index: int) -> None:
        if index:
            self.starts.append(self.clock())

    def elapsed(self) -> float:
        return self.clock() - self.starts[0]

    def seconds_left(self, index: int, frame_left: float) -> float:
        """With frame `index` (0-based) expected to need `frame_left` more seconds (its run's own estimate)."""
        after = self.frames - index - 1
        if index >= 2:  # frames 1 .. index-1 are later frames, timed
            return frame_left + (self.starts[index] - self.starts[1]) / (index - 1) * after
        units_so_far = self.first_units + index * self.later_units
        return frame_left + (self.elapsed() + frame_left) / units_so_far * self.later_units * after


def stylize_video(
    clip: Clip,
    styles: ImageSource | Sequence[ImageSource],
    config: StyleConfig,
    *,
    temporal: bool = True,
    frame_steps: int = FRAME_STEPS,
    temporal_weight: float = TEMPORAL_WEIGHT,
    device: str | torch.device | None = None,
    preview_every: float = 3.0,
) -> Iterator[VideoProgress]:
    """Stylize every frame of `clip`: frame 1 with `config`; with `temporal`, each later frame from the previous
    result warped by the flow, held there by the temporal loss, for `frame_steps` steps; without it, each
    frame on its own with `config` (the flickering baseline). Stoppable like stylize: close the generator."""
    results, total, clip = [], len(clip.frames), clip.frames
    # Every frame at the output size, even-sided for H.264: the flow, the warped start and the result align.
    size = output_size(clip[0], config.size, "clip")
    frames = [even_size(frame.resize(size, Image.Resampling.LANCZOS)) for frame in clip]
    config = config.replace(size=max(frames[0].size))
    later = config.replace(scales=1, iterations=frame_steps, min_change=0.0)
    clock = ClipClock(config, later if temporal else config, total, min(frames[0].size) / max(frames[0].size))
    for index, frame in enumerate(frames):
        clock.frame_started(index)
        options: dict = {}
        if index and temporal:
            options = _carried_over(frames[index - 1], frame, results[-1], temporal_weight, pick_device(device))
        events = stylize(frame, styles, later if options else config, device=device, preview_every=preview_every,
                         **options)  # fmt: skip
        for event in events:
            elapsed, eta = clock.elapsed(), clock.seconds_left(index, event.eta)
            if event.done:
                results.append(event.image)
                yield VideoProgress(index + 1, total, event.total_step, elapsed, eta, done_frame=results[-1])
            else:  # a note (e.g. the precision's fallback) holds for every frame: said once, at the first
                note = event.note if index == 0 else None
                yield VideoProgress(index + 1, total, event.total_step, elapsed, eta, event.preview, note=note)
    yield VideoProgress(total, total, 0, clock.elapsed(), 0.0, result=results)


def _carried_over(
    before: Image.Image, now: Image.Image, result: Image.Image, weight: float, device: torch.device
) -> dict:
    """The next frame's start and temporal term: the previous result warped along the flow from this frame back
    to the previous one, and where that flow is reliable."""
    import cv2

    backward, forward = optical_flow(now, before), optical_flow(before, now)
    warped = Image.fromarray((warp(_array(result), backward) * 255).round().clip(0, 255).astype(np.uint8))
    # A few pixels' margin around what is unreliable, softened: the fresh start there meets the carried-over one
    # without an edge.
    reliable = cv2.GaussianBlur(cv2.erode(reliable_flow(backward, forward), np.ones((5, 5), np.uint8)), (0, 0), 1.5)
    reliable = torch.from_numpy(reliable)[None, None].to(device)
    return {"start": warped, "hold": TemporalHold(to_tensor(warped, device), reliable, weight)}
