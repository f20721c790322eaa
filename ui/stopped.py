"""What Stop keeps: the picture a stopped run had reached, with its settings, put in the gallery like a result;
and on the other tabs, a status line that says where Stop left the job (`stopped_status`).

Gradio stops a job by closing its generator, after which the job can show nothing more; so the closing job
leaves its picture in the data folder under its session's name (`watch`), and Stop's own event, which runs
once the job is closed, puts it in the gallery (`take`). A file, not memory: on a ZeroGPU Space the job runs
in another process than Stop's event.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image

from style_core import StyleConfig, read_png_settings, save_png
from style_core.images import NOTES_KEY
from style_core.pipeline import Result
from style_core.transfer import Progress

from .data import data_folder, remove_older_than
from .result_area import finished
from .results import save_result

SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
CLOSE_WAIT_S = 60  # the longest a step takes at the page's sizes, with room
KEEP_S = 600  # what no Stop event took in this time is gone (a client that cancelled, a tab that closed)
STOP_ENDS_S = 30  # a job that fails this soon after its session's Stop was cancelled by it, not broken
_STOP_PRESSED: dict[str, float] = {}  # each session's last Stop on a tab of cells or frames


def _path(session: str) -> Path | None:
    return data_folder("stopped") / f"{session}.png" if SESSION.fullmatch(session or "") else None


class Watch:
    """One page run's watch (`watch`): the last event it reached."""

    def __init__(self, session: str | None, made_of: dict):
        self.session, self.made_of = session, made_of
        self.reached: Progress | None = None  # set by the job at each step; None again once it has finished


@contextlib.contextmanager
def watch(session: str | None, made_of: dict) -> Iterator[Watch]:
    """Around a page run for `session`: if Gradio closes it (Stop), the picture it reached and what made it
    (`made_of`: content, styles, regions) are left for `take`, which waits for that."""
    run = Watch(session, made_of)
    with _ended:
        _running.add(session)
    try:
        yield run
    except GeneratorExit:
        _keep(session, run.reached, made_of)
        raise
    finally:
        with _ended:
            _running.discard(session)
            _ended.notify_all()


_running: set[str | None] = set()  # sessions with a page run under way in this process
_ended = threading.Condition()


def _keep(session: str | None, reached: Progress | None, made_of: dict) -> None:
    path = _path(session or "")
    if path is None:
        return
    remove_older_than(path.parent, KEEP_S)
    picture = reached.current() if reached and reached.current else None
    if picture is None:  # stopped before its first step: only that it was stopped
        path.with_suffix(".none").touch()
        return
    notes = {"stopped": {"step": reached.total_step, "of": reached.total_steps}, "made_of": made_of}
    save_png(picture, path, reached.config.to_dict(), notes)


def take(session: str) -> tuple[Result, dict] | bool:
    """The stopped run's picture as a Result (its notes say where it stopped) and what made it; True if the
    session's run was stopped before its first step, False if no run of it was stopped (none was under way, or
    it had finished). Waits for a run of the session still under way here to be closed: Gradio closes it after
    the step it is in."""
    with _ended:
        _ended.wait_for(lambda: session not in _running, timeout=CLOSE_WAIT_S)
    path = _path(session)
    if path is None:
        return False
    if path.with_suffix(".none").is_file():
        path.with_suffix(".none").unlink(missing_ok=True)
        return True
    if not path.is_file():
        return False
    with Image.open(path) as image:
        image.load()
    config = StyleConfig.from_dict(read_png_settings(image))
    notes = json.loads(image.text[NOTES_KEY])
    path.unlink(missing_ok=True)
    return Result(image.convert("RGB"), config, {"stopped": notes["stopped"]}, 0.0), notes["made_of"]


def put_in_gallery(history: list[dict], request: gr.Request) -> tuple:
    """Stop's event, after Gradio has closed the job: the picture it reached into the gallery and the result
    area, captioned with where it stopped (outputs as ui.result_area.finished's). Where Stop stopped nothing (it
    was pressed after the end, or with no run), nothing changes: the status still describes the picture on view."""
    taken = take(request.session_hash)
    if isinstance(taken, bool):
        status = "Stopped before the first step: nothing to keep." if taken else gr.skip()
        return gr.skip(), status, *[gr.skip()] * 5
    result, made_of = taken
    stopped = result.notes["stopped"]
    label = f"stopped at step {stopped['step']} of {stopped['of']}, "
    history = list(history or [])
    path, before = save_result(
        result, made_of["content"], history, False, made_of["styles"], made_of["regions"], label=label
    )
    status = f"Stopped at step {stopped['step']} of {stopped['of']}: the picture so far is in the gallery."
    return finished(result, status, before, path, history)


def stopped_status(running: str, stopped: str) -> Callable[[str], Any]:
    """Stop's event (or a failed job's) for a tab's status line: while a job runs its status matches `running` (a
    regular expression), and the event makes it `stopped`, formatted with the match's groups; no change where
    nothing was running."""
    pattern = re.compile(running)

    def line(status: str) -> Any:
        match = pattern.match(status or "")
        return stopped.format(*match.groups()) if match else gr.skip()

    return line


def part_lines(part: str, stopped: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Stop's and a failure's events (`stopped_status`) for a status line that reads "<Part> N of M ..." while its
    job runs, a part being a cell or a frame: `stopped` formatted with "N of M", and "Not finished: ..."."""
    running = rf"{part.capitalize()} (\d+ of \d+)"
    failed = f"Not finished: {part} {{}} could not be made (the message says why)."
    # Stop cancels the job, which then ends as failed too; on a busy server the two events answer in either order.
    stopped_or_failed = rf"(?:{part.capitalize()}|Not finished: {part}) (\d+ of \d+)"
    on_stop, on_failure = stopped_status(stopped_or_failed, stopped), stopped_status(running, failed)

    def stop_line(status: str, request: gr.Request = None) -> Any:
        if session := getattr(request, "session_hash", None):
            now = time.monotonic()
            for other, pressed in list(_STOP_PRESSED.items()):  # a copy: other sessions' Stops may come meanwhile
                if now - pressed > STOP_ENDS_S:
                    _STOP_PRESSED.pop(other, None)  # what no longer counts goes: one entry per recent Stop
            _STOP_PRESSED[session] = now
        return on_stop(status)

    def failed_line(status: str, request: gr.Request = None) -> Any:
        pressed = _STOP_PRESSED.get(getattr(request, "session_hash", None), -math.inf)
        return gr.skip() if time.monotonic() - pressed < STOP_ENDS_S else on_failure(status)

    return stop_line, failed_line


def wire_end_lines(
    event: Any, stoppers: list[gr.Button], status: gr.Markdown, stopped_line: Callable, failed_line: Callable | None
) -> None:
    """Each of `stoppers` cancels the job's `event` and says on `status` where it stopped; so does a failure."""
    for stopper in stoppers:
        stopper.click(stopped_line, [status], [status], cancels=[event], api_visibility="private", queue=False)
    if failed_line:
        event.failure(failed_line, [status], [status], api_visibility="private", queue=False)
