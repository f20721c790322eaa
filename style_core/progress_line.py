"""The command line's progress, through tqdm: a bar on a terminal; piped into a log (CI, nohup, a Space's
logs), one plain line every PIPED_EVERY percent of the work, so a log holds short lines, not a bar's redraws."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

PIPED_EVERY = 5  # percent of the work between two lines in a log


class ProgressLine:
    """Progress over `total` units of work (steps, cells, frames), with the caller's words and, where steps
    differ in cost (scales, a video's first frame), the engine's own estimate of the seconds left."""

    def __init__(
        self, total: float, label: str = "", enabled: bool = True, stream: TextIO | None = None, pace: bool = True
    ):
        """`pace`: where the caller gives no estimate of the time left, estimate it from the pace so far (for
        steps that cost alike: cells, denoising steps)."""
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream is not None
        self.terminal = self.enabled and self.stream.isatty()
        self.total, self.label, self.start = max(total, 1e-9), label, time.perf_counter()
        self.next_percent, self.pace = 0.0, pace
        self.bar = tqdm(
            total=100, file=self.stream, disable=not self.terminal, leave=True, dynamic_ncols=True,
            bar_format="{percentage:3.0f}%|{bar:24}| {desc}",  # the caller's words and times go in desc
        )  # fmt: skip

    def update(self, done: float, text: str, seconds_left: float | None = None) -> None:
        """`done` units of `total` finished; `text` says where the work is (e.g. "scale 2/4 512x384 step 9/40")."""
        if not self.enabled:
            return
        percent = min(100.0, 100.0 * done / self.total)
        elapsed = time.perf_counter() - self.start
        times = f"{tqdm.format_interval(elapsed)} elapsed"
        if seconds_left is None and done > 0 and self.pace:
            seconds_left = elapsed * (self.total - done) / done
        if seconds_left is not None:
            times += f", ~{tqdm.format_interval(seconds_left)} left"
        if self.terminal:
            self.bar.n = percent
            self.bar.set_description_str(f"{self.label}{text}, {times}")  # refreshes the bar
        elif percent >= self.next_percent:
            print(f"{percent:3.0f}% {self.label}{text}, {times}", file=self.stream, flush=True)
            self.next_percent = (percent // PIPED_EVERY + 1) * PIPED_EVERY

    def note(self, text: str) -> None:
        """A line the user should read, even with the bar off (e.g. how the run differs from its settings)."""
        if self.stream is not None:
            tqdm.write(f"note: {text}", file=self.stream)

    def close(self) -> None:
        self.bar.close()
