"""The one thread every engine step runs on, whichever of Gradio's worker threads serves the job."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

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
    _jobs_running(+1)
    try:
        while (event := engine_thread().submit(next, events, done).result()) is not done:
            yield event
    finally:  # a stopped job: close the engine's generator there too, after the step it is in
        engine_thread().submit(events.close)
        _jobs_running(-1)


def engine_busy() -> bool:
    """Whether a job is running on the engine now (ui.preview then paces the previews)."""
    return _running[0] > 0


_running = [0]
_count_lock = threading.Lock()


def _jobs_running(change: int) -> None:
    with _count_lock:
        _running[0] += change
