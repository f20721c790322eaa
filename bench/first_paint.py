"""The page's first paint: from navigation to a usable Run button, in headless Chromium, against the same page with
Gradio serving its own scripts (read from disk and compressed for each visitor, without ui/assets.py) and a bare
Gradio page (one image, one example, one button), all three served at once and loaded in turn.

    python -m bench.first_paint [--repeats 7] [--network 10,40]

Each load is a fresh browser context (nothing cached); the time is the page's own clock
(`performance.now()`, from navigation start) at the first animation frame in which the Run button is visible and
enabled, noted by the page itself (asking from here after the wait would add the harness's own round trips,
about 0.3 s on 2 cores, to every page). Each context then loads the page a second time, its cache kept: a visitor
coming back. Loading the pages in turn, rather than one page's loads and then the next's, puts the moments this
machine is busier on all of them alike. The table goes into docs/BENCHMARKS.md ("First paint").

With `--network MBIT,MS` each page is loaded as over a link of MBIT Mbit/s down (half that up) and MS ms of round
trip (Chromium's own network emulation), as a visitor to a Space sees it rather than a browser on the server's
machine; that table goes beside the other.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time

import gradio as gr

from bench.doc_tables import cpu_name, publish_table
from ui import QUEUE, build_page, launch_options

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


def times_to_run_button(
    urls: dict[str, str], repeats: int, network: tuple[float, float] | None = None
) -> dict[str, tuple[list[float], list[float]]]:
    """Each page's times, first visits and second ones (the same browser context: its cache kept), the pages
    loaded in turn `repeats` times after one uncounted round (the server's caches warm); over an emulated
    link of `network` (Mbit/s down, ms round trip) if given."""
    from playwright.sync_api import sync_playwright

    seconds: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in urls}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        for round_ in range(repeats + 1):
            for name, url in urls.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_init_script(NOTE_RUN_USABLE)
                for visits in seconds[name]:
                    page = context.new_page()
                    if network:
                        emulate_link(context, page, *network)
                    page.goto(url, wait_until="commit")
                    usable = page.wait_for_function("() => window.runUsableAt", timeout=60_000).json_value()
                    if round_:
                        visits.append(usable / 1000)
                    page.close()
                context.close()
        browser.close()
    return seconds


def emulate_link(context, page, mbit: float, round_trip_ms: float) -> None:
    """Chromium's network emulation on `page`: `mbit` Mbit/s down, half that up, `round_trip_ms` of latency."""
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    down = mbit * 1e6 / 8  # bytes a second
    link = {"offline": False, "latency": round_trip_ms, "downloadThroughput": down, "uploadThroughput": down / 2}
    session.send("Network.emulateNetworkConditions", link)


def gradio_serving() -> dict:
    """The page's launch options without its own serving of what a first visit downloads (ui/assets.py)."""
    options = launch_options()
    del options["app_kwargs"]
    return options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    parser.add_argument("--network", help="MBIT,MS: load over an emulated link, e.g. 10,40 (10 Mbit/s, 40 ms)")
    args = parser.parse_args()
    network = tuple(float(part) for part in args.network.split(",")) if args.network else None
    pages = {
        "this page (python app.py)": (build_page(), launch_options()),
        "this page, served by Gradio alone": (build_page(), gradio_serving()),
        "a bare Gradio page": (bare_page(), {}),
    }
    for port, (page, options) in enumerate(pages.values(), start=7870):
        page.queue(**QUEUE)
        page.launch(prevent_thread_lock=True, quiet=True, server_port=port, **options)
    try:
        urls = {name: page.local_url for name, (page, _) in pages.items()}
        results = times_to_run_button(urls, args.repeats, network)
    finally:
        for page, _ in pages.values():
            page.close()
    command = " ".join(["python -m bench.first_paint", *sys.argv[1:]])
    intro = (
        f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, headless Chromium, {args.repeats} fresh "
        "loads of each page in turn after one uncounted round"
        + (f", over an emulated link of {network[0]:g} Mbit/s and {network[1]:g} ms round trip." if network else ".")
    )
    rows = [
        f"| {name} | {statistics.median(first):.2f} | {min(first):.2f}-{max(first):.2f} | "
        f"{sum(t <= 1.2 for t in first)} of {len(first)} | {statistics.median(again):.2f} |"
        for name, (first, again) in results.items()
    ]
    columns = ["page", "Run usable, median s", "range s", "loads within 1.2 s", "visited before, median s"]
    table = "first paint over a network" if network else "first paint"
    publish_table(table, intro, columns, rows, write=not args.no_write)


if __name__ == "__main__":
    main()
