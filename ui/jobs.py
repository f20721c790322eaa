"""The runs behind both the page's buttons and the named API routes: stylize, compare, layers, denoise and video, each
a generator that streams what the page shows, with every engine step on the engine thread."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr
from PIL import Image

from style_core import StyleConfig, StyleCoreError, load_image, save_png
from style_core.denoise import DenoiseConfig, denoise, preview_count
from style_core.explore import ROW_NOTES, ExploreConfig, explore_grid, plan_cells
from style_core.grid import GridCell, cell_label, compose_grid, plan_grid, quick, run_costs, run_grid, units_done
from style_core.pipeline import Result, run
from style_core.transfer import Progress
from style_core.video import PAGE_MAX_FRAMES, PAGE_MAX_SECONDS, read_clip, stylize_video, write_gif, write_mp4

from . import stopped
from .engine_thread import on_engine_thread
from .examples import PAINTINGS_BY_CAPTION, example_painting
from .results import caption, preview_file, result_path

VIDEO_SIZE = 256  # a clip's default output size on the page and the /video route
VIDEO_FPS = 12  # and its default rate: motion shows as well as at 30, for a fraction of the work
VIDEO_MAX_FPS = 60  # the most a clip may be asked for, on the page and the route (at most the clip's own is made)
# The Layers figure's cell size and steps per cell, on the page and the /layers route: a figure of about a minute
# at the defaults on 2 CPU cores, at most a few minutes.
LAYERS_SIZE = (64, 256, ExploreConfig.size)  # least, most, default
LAYERS_STEPS = (10, 200, ExploreConfig.steps)
# Between pictures, a job's status goes to the page at most this often, and Stop, which Gradio can only act on
# at a yield, lands within it. Sent at every optimiser step, a clip's status redraws cost a small clip's run a
# seventh of its time with the browser on the same cores, and a small picture's ten steps a second as much
# (docs/BENCHMARKS.md).
STATUS_EVERY_S = 1.0


class StatusDue:
    """Whether a job's status is due: at most once every STATUS_EVERY_S, unless forced (a picture to show)."""

    def __init__(self) -> None:
        self.last = -float("inf")

    def __call__(self, force: bool = False) -> bool:
        now = time.perf_counter()
        if not force and now - self.last < STATUS_EVERY_S:
            return False
        self.last = now
        return True


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """style_core's one-line errors (bad image, bad setting) become messages on the page."""
    try:
        yield
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None


def status_line(event: Progress, clean_up: bool = False) -> str:
    if event.note:
        return event.note
    if event.done:
        then = "cleaning it up with the denoiser (Zero-Shot Noise2Noise)" if clean_up else "saving it"
        return f"Painted in {event.elapsed:.0f} s: {then}"
    if event.step == 0:
        return f"The feed-forward start, in {event.elapsed:.1f} s: now refining it with the painting's own textures"
    return (
        f"Scale {event.scale}/{event.scales} ({event.size[0]}x{event.size[1]}) - step {event.total_step} of at most "
        f"{event.total_steps} - {event.elapsed:.0f} s - about {event.eta:.0f} s left"
    )


def stylize_job(
    content: str,
    styles: list[str],
    config: StyleConfig,
    clean_up: bool,
    progress: Any = None,
    masks: Any = None,
    start: str | None = None,
    session: str | None = None,
) -> Iterator[tuple[str | Image.Image | None, str, Result | None]]:
    """Yields (a preview's file or None, status, None) with each preview and at most every STATUS_EVERY_S between
    them, then (image, status, result). Stop (or a client's cancel) ends the run at a yield, within the later of
    STATUS_EVERY_S and a step; a run stopped on the page (`session` given) leaves the last step's picture for
    Stop's event (ui.stopped)."""
    made_of = {"content": content, "styles": list(styles), "regions": masks is not None}
    with user_errors(), stopped.watch(session, made_of) as watch:
        events = run(content, styles, config, masks=masks, clean_up=clean_up, preview_every=2.0, start=start)
        status_due = StatusDue()
        for event in on_engine_thread(events):
            if isinstance(event, Result):
                watch.reached = None  # finished: nothing for Stop to keep
                yield event.image, f"Done in {event.seconds:.0f} s. {caption(config, clean_up)}", event
            elif isinstance(event, Progress):
                watch.reached = event
                if event.note:
                    gr.Warning(event.note)
                if not status_due(force=event.preview is not None or bool(event.note)):
                    continue
                if progress:
                    progress((event.total_step, event.total_steps), desc="Stylizing")
                preview = preview_file(event.preview) if event.preview is not None else None
                yield preview, status_line(event, clean_up), None
            elif status_due():  # the clean-up's steps
                if progress:
                    progress((event.step, event.total_steps), desc="Denoising")
                line = f"Cleaning up with the denoiser: step {event.step} of {event.total_steps}"
                yield None, f"{line} - {event.elapsed:.0f} s", None


def styles_for(kind: str, style: str | None, chosen: list[str]) -> tuple[list[str], list[str]]:
    """The style images of a comparison grid and their column labels."""
    unknown = [caption for caption in chosen if caption not in PAINTINGS_BY_CAPTION]
    if unknown:
        raise gr.Error(f"unknown painting {unknown[0]!r}; the paintings are: {'; '.join(PAINTINGS_BY_CAPTION)}")
    if kind == "styles":
        painting = example_painting(style)
        own = [style] if style and not (painting and painting.caption in chosen) else []  # not the same one twice
        styles = own + [str(PAINTINGS_BY_CAPTION[caption].path) for caption in chosen]
        names = ["your style"] * len(own) + list(chosen)
        if not styles:
            raise gr.Error("Upload a style or tick at least one painting.")
        return styles, names
    if not style:
        raise gr.Error("Choose a style image on the Stylize tab first.")
    return [style], ["style"]


class CellClock:
    """A grid's status line: the cell under way, the time so far and the time left, measured from the pace so
    far with each cell weighed by its cost (a preset's schedule costs more or less than another's)."""

    def __init__(self, costs: list[float], labels: list[str]):
        self.costs, self.labels = costs, labels
        self.start = time.perf_counter()

    def line(self, finished: int, fraction: float = 0.0) -> str:
        """While the cell after `finished` ones runs, `fraction` of its steps taken."""
        elapsed = time.perf_counter() - self.start
        index = min(finished, len(self.costs) - 1)
        label = f" ({self.labels[index]})" if self.labels[index] else ""
        line = f"Cell {index + 1} of {len(self.costs)}{label} - {elapsed:.0f} s"
        done = units_done(self.costs, finished, fraction)
        if done > 0:
            line += f" - about {elapsed * (sum(self.costs) - done) / done:.0f} s left"
        return line

    def done_line(self, size: int) -> str:
        return f"Done: {len(self.costs)} cells at {size} px in {time.perf_counter() - self.start:.0f} s."


def compare_job(
    content: str, styles: list[str], names: list[str], kind: str, config: StyleConfig, cell: int, progress: Any = None
) -> Iterator[tuple[Image.Image | None, str]]:
    """(The labelled grid of `cell` px cells, or None, status): the grid re-composed as each cell finishes, the
    status at the start and at most every STATUS_EVERY_S between (so that Stop lands within that)."""
    with user_errors():
        plan = plan_grid(kind, quick(config, cell), styles, names)
        clock = CellClock(run_costs(plan), [cell_label(plan, index) for index in range(len(plan.runs))])
        cells, status_due = [], StatusDue()
        status_due()
        yield None, clock.line(0)
        for event in on_engine_thread(run_grid(content, plan)):
            if not isinstance(event, GridCell):
                if status_due():
                    yield None, clock.line(len(cells), event.total_step / max(1, event.total_steps))
                continue
            cells.append(event)
            if progress:
                progress((len(cells), len(plan.runs)), desc="Running the grid")
            grid = compose_grid(cells, plan.row_labels, plan.column_labels)
            yield grid, clock.done_line(cell) if len(cells) == len(plan.runs) else clock.line(len(cells))


def denoise_job(image: str, progress: Any = None, previews: bool = True) -> Iterator[tuple]:
    """Yields (before, denoised so far or None, status, None) at the start, at most every STATUS_EVERY_S (so that
    Stop lands within that) and at each preview (fewer for a large image; none without `previews`), then (before,
    denoised, status, path of the PNG)."""
    with user_errors():
        before = load_image(image, "image to denoise")
        config = DenoiseConfig()
        count = preview_count(before.width * before.height) if previews else 0
        events = denoise(before, config, preview_every=config.steps // count if count else 0)
        status_due = StatusDue()
        for event in on_engine_thread(events):
            if event.done:
                path = result_path(what="denoised")
                save_png(event.image, path, notes={"denoise": config.to_dict()})
                yield before, event.image, f"Done in {event.elapsed:.0f} s.", str(path)
            elif status_due(force=event.image is not None or event.step == 1):
                if progress:
                    progress((event.step, event.total_steps), desc="Fitting the denoiser to this image")
                status = f"Fitting the denoiser to this image: step {event.step} of {event.total_steps}"
                yield before, event.image, f"{status}, {event.elapsed:.0f} s", None


def layers_job(
    photo: str | None, painting: str | None, config: ExploreConfig, progress: Any = None
) -> Iterator[tuple[list, list, str, str]]:
    """The paper's Figure 1 cell by cell: each row's (picture, label) pairs so far, the labelled figure's PNG and
    the status; the status alone at the start and at most every STATUS_EVERY_S between cells (so that Stop lands
    within that, not a cell's end)."""
    with user_errors():
        cells = plan_cells(config)
        # Cells counted alike: figure_units's total fits, its split between shallow and deep cells does not.
        clock = CellClock([1.0] * len(cells), [f"{cell.row}, {cell.label}" for cell in cells])
        finished, status_due = 0, StatusDue()
        status_due()
        yield gr.skip(), gr.skip(), gr.skip(), clock.line(0)
        for figure in on_engine_thread(explore_grid(photo, painting, config, each_step=True)):
            if figure is None:
                if status_due() and finished < len(cells):
                    yield gr.skip(), gr.skip(), gr.skip(), clock.line(finished)
                continue
            finished = len(figure.cells)
            if progress is not None:
                progress((finished, len(cells)), desc="Reconstructing")
            rows = {
                row: [(picture, cell.label) for cell, picture in figure.cells if cell.row == row] for row in ROW_NOTES
            }
            path = result_path(what="layers")
            figure.image.save(path)
            status = clock.done_line(config.size) if finished == len(cells) else clock.line(finished)
            yield rows["content"], rows["style"], str(path), status


def video_job(
    clip_path: str, style: str, config: StyleConfig, fps: float, temporal: bool = True, progress: Any = None
) -> Iterator:
    """Yields (preview or None, status, None) while frames are made (each finished frame and preview, and a
    status at most every STATUS_EVERY_S between them), then (last frame, status, (mp4, gif)). The clip is
    read at `fps` (at most its own rate), its frames sampled over its whole length.

    Stop ends a run at a yield, so within STATUS_EVERY_S."""
    with user_errors():
        clip = read_clip(clip_path, PAGE_MAX_SECONDS, PAGE_MAX_FRAMES, fps=fps, long_side=config.size)
        for note in clip.notes:
            gr.Warning(f"The clip: {note}.")
        status_due = StatusDue()
        for event in on_engine_thread(stylize_video(clip, style, config, temporal=temporal, preview_every=2.0)):
            picture = event.done_frame or event.preview
            if not status_due(force=event.done or picture is not None):
                continue
            if progress:
                progress((event.frame - 1, event.frames), desc="Stylizing frames")
            status = (
                f"Frame {event.frame} of {event.frames} - step {event.step} - {event.elapsed:.0f} s - "
                f"about {event.eta:.0f} s left"
            )
            if event.done:
                mp4, gif = result_path(".mp4"), result_path(".gif")
                write_mp4(event.result, clip.fps, mp4)
                write_gif(event.result, clip.fps, gif)
                done = f"Done: {len(event.result)} frames at {clip.fps:g} fps in {event.elapsed:.0f} s."
                yield event.result[-1], done, (str(mp4), str(gif))
            else:
                yield picture, status, None
