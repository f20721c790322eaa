"""The page's first paint: from navigation to a usable Run button, in headless Chromium, against a bare Gradio
page (one image, one example, one button) served the same way in the same run.

    python -m bench.first_paint [--repeats 7]

Each load is a fresh browser context (nothing cached); the time is the page's own clock
(`performance.now()`, from navigation start) at the first animation frame in which the Run button is visible and
enabled, noted by the page itself: asking from here after the wait would add the harness's own round trips, about
0.3 s on 2 cores, to both pages. The table goes into docs/BENCHMARKS.md ("First paint").
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time

import gradio as gr

from bench.doc_tables import cpu_name, publish_table
from ui import LAUNCH, QUEUE, build_page

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
EXAMPLE = "examples/contents/cat.jpg"
# Checked once a frame, so the check itself costs the page next to nothing.
NOTE_RUN_USABLE = """
const check = () => {
    const run = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Run");
    if (run && !run.disabled && run.offsetParent) window.runUsableAt = performance.now();
    else requestAnimationFrame(check);
};
requestAnimationFrame(check);
"""


def bare_page() -> gr.Blocks:
    with gr.Blocks() as page:
        image = gr.Image(type="filepath")
        gr.Examples([[EXAMPLE]], inputs=[image])
        gr.Button("Run")
    return page


def times_to_run_button(url: str, repeats: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        for _ in range(repeats + 1):  # the first load warms the server's caches: not counted
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(NOTE_RUN_USABLE)
            page = context.new_page()
            page.goto(url, wait_until="commit")
            seconds.append(page.wait_for_function("() => window.runUsableAt", timeout=60_000).json_value() / 1000)
            context.close()
        browser.close()
    return seconds[1:]


def measure(page: gr.Blocks, repeats: int, **launch: object) -> list[float]:
    page.queue(**QUEUE)
    page.launch(prevent_thread_lock=True, quiet=True, **launch)
    try:
        return times_to_run_button(page.local_url, repeats)
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    results = {
        "this page (python app.py)": measure(build_page(), args.repeats, **LAUNCH),
        "a bare Gradio page": measure(bare_page(), args.repeats),
    }
    command = " ".join(["python -m bench.first_paint", *sys.argv[1:]])
    intro = (
        f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, headless Chromium, {args.repeats} fresh "
        "loads each after one uncounted."
    )
    rows = [
        f"| {name} | {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} |"
        for name, times in results.items()
    ]
    publish_table("first paint", intro, ["page", "Run usable, median s", "range s"], rows, write=not args.no_write)


if __name__ == "__main__":
    main()
