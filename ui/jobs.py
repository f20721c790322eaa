"""What the page's heavy jobs share: the GPU decorator, result files, the session's history, errors.

`stylise_job` and `compare_job` are the runs behind both the page's buttons and the named API routes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr
from PIL import Image

from style_core import StyleConfig, StyleCoreError, describe, load_image
from style_core.cost import run_units
from style_core.grid import GridCell, compose_grid, plan_grid, quick, run_grid
from style_core.pipeline import Result, run
from style_core.transfer import Progress

T = TypeVar("T")

# ZeroGPU reserves a GPU for the duration a call asks for and serves short reservations first, so each
# heavy call asks for what its job needs. Not yet measured on a GPU: a generous guess at the seconds of one
# unit (style_core.cost), and start-up covers moving the network to the GPU.
GPU_SECONDS_PER_UNIT = 0.2
GPU_START_UP_S = 15
GPU_RESERVE_S = (20, 240)  # the least and the most a call reserves
DENOISE_GPU_S = 30  # the fast denoiser's fixed number of steps on small crops, whatever the image's size


def gpu(seconds: Callable[..., float]) -> Callable[[Callable], Callable]:
    """On a ZeroGPU Space: borrow a GPU for each call, for `seconds(*the call's arguments)`; elsewhere (no
    `spaces` package, or not on ZeroGPU, where spaces.GPU itself does nothing) the function is unchanged."""
    try:
        import spaces
    except ImportError:
        return lambda function: function
    return spaces.GPU(duration=lambda *args, **kwargs: reservation(seconds(*args, **kwargs)))


def reservation(seconds: float) -> int:
    low, high = GPU_RESERVE_S
    return int(min(high, max(low, GPU_START_UP_S + seconds)))


def gpu_seconds(config: StyleConfig | None, runs: int = 1) -> float:
    """The GPU time of `runs` runs with `config` (style_core.cost's units at a guessed GPU rate)."""
    if config is None:  # settings the job will refuse at once
        return 0.0
    return runs * run_units(config) * GPU_SECONDS_PER_UNIT


def config_or_none(make: Callable[[], StyleConfig]) -> StyleConfig | None:
    try:
        return make()
    except StyleCoreError:
        return None


# Torch, oneDNN and the allocator keep state per thread, and Gradio hands each step of a generator to any
# thread of its pool: spread over them, a server's memory grows with every thread used (bench/load.py). One
# thread runs every step of every job instead.
_ENGINE_THREADS: dict[int, ThreadPoolExecutor] = {}


def engine_thread() -> ThreadPoolExecutor:
    """This process's engine thread. Per process: a forked copy (a ZeroGPU worker) has none of its parent's
    threads, and an executor inherited from the parent would wait for one forever."""
    pid = os.getpid()
    if pid not in _ENGINE_THREADS:
        _ENGINE_THREADS[pid] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")
    return _ENGINE_THREADS[pid]


def on_engine_thread(events: Iterator[T]) -> Iterator[T]:
    """`events` with every step (each `next`) taken on the one engine thread."""
    done = object()
    try:
        while (event := engine_thread().submit(next, events, done).result()) is not done:
            yield event
    finally:  # a stopped job: close the engine's generator there too, after the step it is in
        engine_thread().submit(events.close)


RESULTS_DIR = Path(tempfile.gettempdir()) / "style_transfer_studio"
RESULT_MAX_AGE_S = 2 * 3600
# One heavy job per device at a time; the queue shows each user their place.
HEAVY = {"concurrency_limit": 1, "concurrency_id": "device"}
BUSY = "You already have a job queued or running: wait for it to finish (or press Stop), then try again."


def heavy_jobs_of(request: gr.Request) -> int:
    """How many heavy jobs this session (a browser tab, or one gradio_client Client) has queued or running."""
    # Gradio offers no public count per session; its queue keeps each session's unfinished event ids.
    queue = request.request.app.get_blocks()._queue
    ids = queue.pending_event_ids_session.get(request.session_hash, ())
    events = [queue.event_ids_to_events.get(event_id) for event_id in ids]
    return sum(event is not None and event.fn.concurrency_id == HEAVY["concurrency_id"] for event in events)


def one_job_per_session(request: gr.Request) -> None:
    """The page's check before a heavy job: a quick event with no concurrency limit (queued, so its message
    shows as a toast), which the job follows only on success."""
    if heavy_jobs_of(request):
        raise gr.Error(BUSY)


def one_job_per_client(request: gr.Request, **inputs: Any) -> dict | tuple[dict, ...]:
    """The API routes' validator, run as a call joins the queue: a client's second call is refused at once.
    (The page does not use a validator: it would re-run the image inputs' checks, and the browser would
    show their messages as bare request errors.)"""
    checks = [gr.validate(True, "")] * len(inputs)  # one per input; the refusal goes on the first
    if heavy_jobs_of(request):
        checks[0] = gr.validate(False, BUSY)
    return checks[0] if len(checks) == 1 else tuple(checks)  # one input: Gradio takes the value as it is


HEAVY_API = {**HEAVY, "validator": one_job_per_client}


def heavy_click(button: gr.Button, job: Callable, inputs: Any, outputs: Any, **options: Any) -> Any:
    """A page button's heavy job, refused with a message while its session has another queued or running."""
    check = button.click(one_job_per_session, None, None, concurrency_limit=None, api_visibility="private")
    return check.success(job, inputs, outputs, **HEAVY, **options)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """style_core's one-line errors (bad image, bad setting) become messages on the page."""
    try:
        yield
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None


def result_path(suffix: str = ".png") -> Path:
    """A fresh file for one result; results older than two hours are removed."""
    RESULTS_DIR.mkdir(exist_ok=True)
    now = time.time()
    for old in RESULTS_DIR.glob("*"):
        if now - old.stat().st_mtime > RESULT_MAX_AGE_S:
            old.unlink(missing_ok=True)
    handle, name = tempfile.mkstemp(suffix=suffix, prefix="stylised_", dir=RESULTS_DIR)
    os.close(handle)
    return Path(name)


def status_line(event: Progress) -> str:
    if event.note:
        return event.note
    if event.step == 0:
        return f"The feed-forward start, in {event.elapsed:.1f} s: now refining it with the painting's own textures"
    return (
        f"Scale {event.scale}/{event.scales} ({event.size[0]}x{event.size[1]}) - step {event.total_step} of at most "
        f"{event.total_steps} - {event.elapsed:.0f} s - about {event.eta:.0f} s left"
    )


def caption(config: StyleConfig, clean_up: bool) -> str:
    return describe(config) + (", denoised" if clean_up else "")


def stylise_job(
    content: str,
    styles: list[str],
    config: StyleConfig,
    clean_up: bool,
    progress: Any = None,
    masks: Any = None,
    start: str | None = None,
) -> Iterator[tuple[Image.Image | None, str, Result | None]]:
    """Yields (preview or None, status, None) after every optimiser step, then (image, status, result).

    A yield per step, even without a preview, is what lets Stop (or a client's cancel) end the run within
    one step: Gradio can only stop a generator between two of its yields."""
    with user_errors():
        events = run(content, styles, config, masks=masks, clean_up=clean_up, preview_every=2.0, start=start)
        for event in on_engine_thread(events):
            if isinstance(event, Result):
                yield event.image, f"Done in {event.seconds:.0f} s. {caption(config, clean_up)}", event
            elif isinstance(event, Progress):
                if event.note:
                    gr.Warning(event.note)
                if progress:
                    progress((event.total_step, event.total_steps), desc="Stylising")
                yield event.preview, status_line(event), None
            elif progress:
                progress((event.step, event.total_steps), desc="Denoising")


def compare_job(
    content: str, styles: list[str], names: list[str], kind: str, config: StyleConfig, cell: int, progress: Any = None
) -> Iterator[Image.Image | None]:
    """The labelled grid of `cell` px cells, re-composed as each cell finishes; None after each step between
    (so Stop works within a step)."""
    with user_errors():
        plan = plan_grid(kind, quick(config, cell), styles, names)
        cells = []
        for cell in on_engine_thread(run_grid(content, plan)):
            if not isinstance(cell, GridCell):
                yield None
                continue
            cells.append(cell)
            if progress:
                progress((len(cells), len(plan.runs)), desc="Running the grid")
            yield compose_grid(cells, plan.row_labels, plan.column_labels)


def save_result(
    result: Result, content: str, history: list[dict], clean_up: bool, styles: list[str] = (), regions: bool = False
) -> tuple[Path, Image.Image]:
    """The result's PNG (settings inside) and a before image of the same size, added to the history with what
    made it (the upload paths, for a share link while they last)."""
    path, before_path = result_path(), result_path()
    result.save(path)
    before = load_image(content).resize(result.image.size, Image.Resampling.LANCZOS)
    before.save(before_path)  # the upload itself may be cleaned from Gradio's cache before the gallery is
    entry = {"path": str(path), "before": str(before_path), "caption": caption(result.config, clean_up)}
    made_of = {"content": content, "styles": list(styles), "clean_up": clean_up, "regions": regions}
    history.append({**entry, "settings": result.config.to_dict(), **made_of})
    return path, before


def zip_history(history: list[dict]) -> str | None:
    """Every result of this session that still exists, numbered in order, with a settings.json."""
    items = [item for item in history or [] if Path(item["path"]).is_file()]
    if not items:
        return None
    path = result_path(".zip")
    with zipfile.ZipFile(path, "w") as archive:
        for number, item in enumerate(items, start=1):
            archive.write(item["path"], f"result_{number:02d}.png")
        settings = {f"result_{n:02d}.png": item["settings"] for n, item in enumerate(items, start=1)}
        archive.writestr("settings.json", json.dumps(settings, indent=1))
    return str(path)
