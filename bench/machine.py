"""What to expect on this machine: the heavy jobs at their defaults, timed, one row per machine kind.

    python -m bench.machine                          # this machine as it is (precision auto)
    STYLE_CORE_CPU_BF16=0 python -m bench.machine    # a CPU without bfloat16 (what a free Space has)
    ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 STYLE_CORE_CPU_BF16=0 \
        python -m bench.machine                      # an AVX-512 CPU held to AVX2, as near as one gets to that CPU

Times the unit (one float32 VGG19 forward and backward pass at 512x512, style_core.cost), the first preview
in a running app (from the gradio_client call to the first picture back, after the app's start-up warm-up),
the default run at 256, 512 and 1024 px, the presets grid at 192 px cells, the denoiser's fast mode on a
256x256 crop, and the size the page would choose here. Reads only the bundled examples, so it runs from
a fresh clone. The row replaces this kind's row in the table of docs/BENCHMARKS.md and README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from pathlib import Path

import torch

from style_core import preset, stylize
from style_core.cost import measure_unit
from style_core.denoise import DenoiseConfig, denoise
from style_core.device import network_dtype, pick_device
from style_core.grid import plan_grid, quick, run_grid
from style_core.images import load_image
from ui.machine import Machine

ROOT = Path(__file__).resolve().parent.parent

PHOTO = ROOT / "examples" / "contents" / "cat.jpg"
PAINTING = ROOT / "examples" / "styles" / "vangogh_starry_night.jpg"
SIZES = (256, 512, 1024)
GRID_CELL = 192
HEADER = (
    "| machine | network in | unit s | first preview s | 256 px s | 512 px s | 1024 px s | presets grid s "
    "| denoise s | page size px | measured |"
)
MARKERS = ("<!-- machine table:start -->", "<!-- machine table:end -->")
DOCS = (ROOT / "docs" / "BENCHMARKS.md", ROOT / "README.md")
HELD_TO = "ATEN_CPU_CAPABILITY"  # set: torch's own kernels use at most that instruction set


def machine_kind() -> str:
    device = pick_device()
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    cpu = platform.processor() or "CPU"
    try:
        names = re.findall(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = names[0].strip() if names else cpu
    except OSError:
        pass
    from style_core.device import cpu_has_native_bf16

    if HELD_TO in os.environ:  # this CPU run as a lesser one: say so, so its row does not replace the real one's
        return f"{torch.get_num_threads()}-core {cpu}, held to {torch.backends.cpu.get_cpu_capability()}"
    return f"{torch.get_num_threads()}-core {cpu}" + (", native bfloat16" if cpu_has_native_bf16() else ", no bfloat16")


def timed_run(config) -> float:
    started = time.perf_counter()
    for _ in stylize(PHOTO, PAINTING, config, preview_every=1e9):
        pass
    return time.perf_counter() - started


def app_first_preview(machine: Machine, size: int = 512) -> float:
    """Seconds from a /stylize call on a running app to its first picture, the median of three calls."""
    import statistics

    from gradio_client import Client, handle_file

    from style_core.transfer import warm_up
    from ui import build_page
    from ui.engine_thread import engine_thread

    engine_thread().submit(warm_up).result()  # as app.py does before serving
    page = build_page(machine)
    page.queue()
    _, url, _ = page.launch(prevent_thread_lock=True, quiet=True)
    client, times = Client(url, verbose=False), []
    try:
        for _ in range(3):
            started = time.perf_counter()
            job = client.submit(handle_file(str(PHOTO)), handle_file(str(PAINTING)), "balanced", {"size": size},
                                None, False, api_name="/stylize")  # fmt: skip
            while not any(output and output[0] for output in job.outputs()):
                time.sleep(0.01)
            times.append(time.perf_counter() - started)
            job.result()
    finally:
        page.close()
    return statistics.median(times)


def timed_grid() -> float:
    started = time.perf_counter()
    plan = plan_grid("presets", quick(preset("balanced"), GRID_CELL), [PAINTING], ["style"])
    for _ in run_grid(PHOTO, plan):
        pass
    return time.perf_counter() - started


def timed_denoise() -> float:
    crop = load_image(PHOTO).crop((0, 0, 256, 256))
    started = time.perf_counter()
    for _ in denoise(crop, DenoiseConfig()):
        pass
    return time.perf_counter() - started


def measure_row() -> str:
    device = pick_device()
    dtype = str(network_dtype("auto", device)).replace("torch.", "")
    unit = measure_unit(device, "float32")
    auto_unit = unit if dtype == "float32" else measure_unit(device, "auto")
    machine = Machine({str(network_dtype("auto", device)): auto_unit})
    first = app_first_preview(machine)
    runs = {size: timed_run(preset("balanced").replace(size=size)) for size in SIZES}
    grid, denoised = timed_grid(), timed_denoise()
    page_size = machine.default_config().size
    cells = " | ".join(f"{runs[size]:.0f} ({runs[size] / unit:.1f} u)" for size in SIZES)
    return (
        f"| {machine_kind()} | {dtype} | {unit:.2f} | {first:.2f} | {cells} | {grid:.0f} ({grid / unit:.1f} u) "
        f"| {denoised:.0f} | {page_size} | {time.strftime('%Y-%m-%d')} |"
    )


def merge(text: str, row: str) -> str:
    """`text` with the machine table's row for this row's machine and precision replaced (or added)."""
    start, end = MARKERS
    if start not in text:
        return text
    head, rest = text.split(start, 1)
    table, tail = rest.split(end, 1)
    key = row.split("|")[1:3]
    rows = [line for line in table.strip().splitlines()[2:] if line.split("|")[1:3] != key]
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1), *sorted([*rows, row])]
    return f"{head}{start}\n" + "\n".join(lines) + f"\n{end}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print the row only")
    args = parser.parse_args()
    row = measure_row()
    print(HEADER, row, sep="\n")
    if not args.no_write:
        for doc in DOCS:
            doc.write_text(merge(doc.read_text(), row))


if __name__ == "__main__":
    main()
