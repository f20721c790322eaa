"""The Stylize tab's expected-time line against the run, as a user sees both: headless Chromium on this machine
against the page served here (its default size and times fitted to the machine, as app.py does), the cat with
The Starry Night at the balanced preset, at a few output sizes and the page's default. For each: what the line
beside Run says, and the seconds from the click on Run to "Done in" on the page (the median of --repeats, after
one uncounted run that also fills the painting's targets).

    python -m bench.expected_line [--sizes 128,256,384,512] [--repeats 2] [--no-write]

The line counts a browser on the same machine (ui.machine.with_local_browser), as here. The table goes into
docs/BENCHMARKS.md between its expected line table markers.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time

from bench.doc_tables import cpu_name, publish_table
from bench.live import fitted_machine, page_with_examples, set_size
from style_core.cost import measure_unit

DONE = "() => document.querySelector('#status').innerText.includes('Done in')"


def line_seconds(page, size: int) -> float:
    """The seconds the line beside Run says for `size` px, once it has caught up with the size."""
    set_size(page, size)
    page.wait_for_function(f"() => document.querySelector('#expected').innerText.includes('at {size} px')")
    number, unit = re.search(r"about (\d+) (s|min)", page.locator("#expected").inner_text()).groups()
    return float(number) * (60 if unit == "min" else 1)


def run_seconds(page) -> float:
    """Seconds from a click on Run to "Done in" on the page."""
    started = time.perf_counter()
    page.get_by_role("button", name="Run", exact=True).first.click()
    page.wait_for_function(f"() => !({DONE.removeprefix('() => ')})", timeout=30_000)
    page.wait_for_function(DONE, timeout=600_000)
    return time.perf_counter() - started


def measured_rows(page, sizes: list[int], repeats: int) -> list[str]:
    rows = []
    for size in sizes:
        said = line_seconds(page, size)
        run_seconds(page)  # not counted: the painting's targets at this size, the first JPEG encoders
        took = statistics.median(run_seconds(page) for _ in range(repeats))
        rows.append(f"| {size} | {said:.0f} | {took:.1f} | {100 * (said / took - 1):+.0f}% |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="128,256,384,512", help="output sizes, px, besides the page's default")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    unit = measure_unit()
    machine = fitted_machine()
    default_size = machine.default_config().size
    sizes = sorted({*(int(size) for size in args.sizes.split(",")), default_size})
    with page_with_examples(machine, ["--no-sandbox"], viewport={"width": 1400, "height": 1200}) as page:
        rows = measured_rows(page, sizes, args.repeats)
    command = " ".join(["python -m bench.expected_line", *sys.argv[1:]])
    intro = (
        f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, precision auto, headless Chromium on the "
        f"same machine; the page's default here {default_size} px; unit (one float32 VGG19 forward and backward at "
        f"512 px) {unit:.2f} s."
    )
    columns = ["px", "the line says, s", "Run to Done, s", "line vs taken"]
    publish_table("expected line", intro, columns, rows, write=not args.no_write)


if __name__ == "__main__":
    main()
