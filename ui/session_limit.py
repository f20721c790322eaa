"""One heavy job per device at a time, and one queued or running heavy job per session (a browser tab, or one
gradio_client Client): the page's buttons and the API routes start their heavy jobs through here."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import gradio as gr

# Whether a browser has a job under way, as ui.reload's BrowserState holds it (see heavy_click).
RUNNING, IDLE = {"running": True}, {"running": False}

# One heavy job per device at a time; the queue shows each user their place.
HEAVY = {"concurrency_limit": 1, "concurrency_id": "device"}
BUSY = "You already have a job queued or running: wait for it to finish (or press Stop), then try again."
# When each session last started a job from the page (time.monotonic()), the oldest forgotten past KEEP_SESSIONS.
_asked: dict[str, float] = {}
KEEP_SESSIONS = 10_000


def heavy_jobs_of(request: gr.Request) -> int:
    """How many heavy jobs this session has queued or running."""
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


def job_asked_since(request: gr.Request, moment: float) -> bool:
    """Whether this session started a job from the page at or after `moment` (time.monotonic())."""
    return _asked.get(request.session_hash, float("-inf")) >= moment


def _note_job_asked(session: str) -> None:
    _asked.pop(session, None)  # to the end: the dict keeps the most recent last
    _asked[session] = time.monotonic()
    while len(_asked) > KEEP_SESSIONS:
        del _asked[next(iter(_asked))]


def one_job_per_client(request: gr.Request, **inputs: Any) -> dict | tuple[dict, ...]:
    """The API routes' validator, run as a call joins the queue: a client's second call is refused at once.
    (The page does not use a validator: it would re-run the image inputs' checks, and the browser would
    show their messages as bare request errors.)"""
    checks = [gr.validate(True, "")] * len(inputs)  # one per input; the refusal goes on the first
    if heavy_jobs_of(request):
        checks[0] = gr.validate(False, BUSY)
    return checks[0] if len(checks) == 1 else tuple(checks)  # one input: Gradio takes the value as it is


HEAVY_API = {**HEAVY, "validator": one_job_per_client}


def heavy_click(
    button: gr.Button, job: Callable, inputs: Any, outputs: Any, running: gr.BrowserState | None = None, **options: Any
) -> Any:
    """A page button's heavy job, refused with a message while its session has another queued or running.
    `running` (ui.reload), if given, says RUNNING in the browser from the job's start until it ends however it
    ends, so a page that reloads while it still says so knows its last job was lost."""

    def check(request: gr.Request) -> dict | None:
        one_job_per_session(request)
        _note_job_asked(request.session_hash)
        return RUNNING if running else None

    marked = [running] if running else None
    started = button.click(check, None, marked, concurrency_limit=None, api_visibility="private")
    event = started.success(job, inputs, outputs, **HEAVY, **options)
    if running:  # .then runs after a success, an error and a Stop alike
        event.then(lambda: IDLE, None, [running], api_visibility="private", queue=False)
    return event
