"""The page while you choose, in headless Chromium against the page served here (its size and expected times
fitted to this machine, as app.py does): Run's first picture at the page's default size, from the click to
the picture on screen; the instant preview's latency from a change (colour preservation clicked) to the new
picture on screen at 384, 512, 768 and 1024 px; the sheet of the photo in the seven example paintings, from the
click to the last cell on screen; and the Live tab's frames per second at 256 and 384 px with Chromium's fake
camera (the example clip).

    python -m bench.live [--repeats 5]

The feed-forward network runs in float32 on every CPU (it has no bfloat16 path): one table. The table goes into
docs/BENCHMARKS.md ("Live").
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg

import ui.tabs.live
from bench.doc_tables import cpu_name, publish_table
from style_core.cost import measure_unit
from style_core.transfer import warm_up as warm_runs
from ui import QUEUE, build_page, launch_options
from ui.machine import Machine
from ui.machine import measure as measure_machine
from ui.preview import warm_up

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--use-fake-device-for-media-stream",
         "--use-fake-ui-for-media-stream"]  # fmt: skip


def fitted_machine() -> Machine:
    """This machine measured after the start-up warm-ups, as app.py does."""
    warm_up()
    warm_runs()
    return measure_machine()


@contextlib.contextmanager
def page_with_examples(machine: Machine, flags: list[str], **context: object) -> Iterator:
    """The page served here for `machine`, open in headless Chromium (a context with `context`'s options) with
    the cat and The Starry Night picked."""
    from playwright.sync_api import sync_playwright

    app = build_page(machine)
    app.queue(**QUEUE)
    app.launch(prevent_thread_lock=True, quiet=True, **launch_options())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=flags)
            page = browser.new_context(**context).new_page()
            page.goto(app.local_url)
            page.locator("#photos").get_by_label("Chelsea the cat").click()
            page.locator("#paintings").get_by_label("The Starry Night, Vincent van Gogh").click()
            yield page
            browser.close()
    finally:
        app.close()


def fake_camera() -> Path:
    y4m = Path(tempfile.mkdtemp()) / "camera.y4m"
    clip = ROOT / "examples" / "clips" / "cat_pan.mp4"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(clip), "-vf", "scale=480:-2",
               "-pix_fmt", "yuv420p", str(y4m)]  # fmt: skip
    subprocess.run(command, check=True)
    return y4m


def set_size(page, size: int) -> None:
    box = page.get_by_label("Output size (long side, px)").first.locator(
        "xpath=ancestor::div[contains(@class,'block')][1]"
    )
    field = box.locator("input[type=number]").first
    field.fill(str(size))
    field.press("Enter")


SHOWN = "s => { const i = document.querySelector('#result img'); return i && i.src !== s && i.complete }"


def preview_latency(page, repeats: int) -> list[float]:
    """Seconds from a click on a colour preservation choice to the new preview on screen."""
    seconds = []
    for _ in range(repeats):
        source = page.locator("#result img").get_attribute("src")
        other = "off" if page.get_by_label("luminance", exact=True).is_checked() else "luminance"
        started = page.evaluate("() => performance.now()")
        page.get_by_label(other, exact=True).check()
        page.wait_for_function(SHOWN, arg=source)
        seconds.append((page.evaluate("() => performance.now()") - started) / 1000)
    return seconds


def run_first_picture(page, repeats: int) -> list[float]:
    """Seconds from a click on Run to the run's first picture on screen (the feed-forward picture at the output
    size), each run then stopped."""
    seconds = []
    for _ in range(repeats):
        source = page.locator("#result img").get_attribute("src")
        run = page.get_by_role("button", name="Run", exact=True).first
        started = page.evaluate("() => performance.now()")
        run.click()
        page.wait_for_function(SHOWN, arg=source, timeout=60_000)
        seconds.append((page.evaluate("() => performance.now()") - started) / 1000)
        page.get_by_role("button", name="Stop", exact=True).first.click()
        page.locator("#status").get_by_text("Stopped").wait_for(timeout=60_000)
    return seconds


def sheet_seconds(page) -> float:
    started = time.perf_counter()
    page.get_by_role("button", name="Try every painting on this photo").click()
    page.locator("#sheet .thumbnail-item").nth(6).wait_for(timeout=60_000)
    return time.perf_counter() - started


def live_rate(page, size: int) -> float:
    """The Live tab's frames per second at `size` px after 10 s of streaming (its own line)."""
    ui.tabs.live.LIVE_SIZE = size
    page.get_by_role("tab", name="Live").click()
    if page.get_by_text("Click to Access Webcam").is_visible():
        page.get_by_text("Click to Access Webcam").click()
    record = page.locator("#live-camera").get_by_role("button", name="capture photo")
    record.click()
    page.locator("#live-rate").get_by_text(f"at {size} px").wait_for(timeout=30_000)
    page.wait_for_timeout(10_000)  # a benchmark's measuring window: the rate over the last frames
    rate = float(re.search(r"([\d.]+) frames per second", page.locator("#live-rate").inner_text()).group(1))
    record.click()  # the same button stops the stream
    return rate


def measured_rows(page, page_size: int, unit: float, repeats: int) -> list[str]:
    """Every row of the table, measured on `page` (the Stylize tab open, an example photo and painting picked)."""
    first = statistics.median(run_first_picture(page, repeats))
    rows = [
        f"| Run to its first picture at {page_size} px (the page's default here), click to picture "
        f"| {first:.2f} s ({first / unit:.2f} u) |"
    ]
    for size in (384, 512, 768, 1024):
        set_size(page, size)
        median = statistics.median(preview_latency(page, repeats))
        rows.append(f"| instant preview at {size} px, change to picture | {median:.2f} s ({median / unit:.2f} u) |")
    sheet = sheet_seconds(page)
    rows.append(f"| the sheet: seven paintings at 256 px, click to last cell | {sheet:.2f} s ({sheet / unit:.2f} u) |")
    for size in (256, 384):
        rate = live_rate(page, size)
        rows.append(f"| Live at {size} px (fake camera, 10 s; the stream asks for 10 at most) | {rate:.1f} /s |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    unit = measure_unit()  # one float32 VGG19 forward and backward at 512 px here: the figures' yardstick
    machine = fitted_machine()
    flags = [*FLAGS, f"--use-file-for-fake-video-capture={fake_camera()}"]
    viewport = {"width": 1400, "height": 1400}
    with page_with_examples(machine, flags, viewport=viewport, permissions=["camera"]) as page:
        page.locator("#status").get_by_text("Instant preview").wait_for(timeout=30_000)
        rows = measured_rows(page, machine.default_config().size, unit, args.repeats)
    command = " ".join(["python -m bench.live", *sys.argv[1:]])
    intro = (
        f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, headless Chromium on the same machine, "
        f"medians of {args.repeats}; the network in float32. u: one float32 VGG19 forward and backward at 512 px, "
        f"{unit:.2f} s in this run (style_core.cost)."
    )
    publish_table("live", intro, ["what", "time"], rows, write=not args.no_write)


if __name__ == "__main__":
    main()
