"""The public demo under load: 20 gradio_client users at once against `python app.py` on this machine.

    python -m bench.load [--users 20] [--jobs 100] [--port 7870]

Starts the app in its own process on a fresh data folder, then each user submits small jobs (128-192 px, a
few steps) one after another until --jobs have been submitted in all, half to the /stylize route and half as
the page's Run button does (/stylize_page, whose results are kept in the data folder). Checks that every
job ends with its own result (its settings come back with its own seed and size) or a clear message;
reports jobs per minute, the median and worst wait (submission to result), the server's memory after 10
jobs and after all of them, the result files left, the kept results (each whole), how soon a user who
cancels frees the device for the next job, and what a client's second job gets while its first runs. The
table goes into docs/BENCHMARKS.md ("Under load").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from PIL import Image

from bench.doc_tables import BENCHMARKS, cpu_name, write_section
from style_core import read_png_settings
from ui.data import DATA_ENV
from ui.results import RESULT_MAX_AGE_S, RESULTS_DIR, kept_result

ROOT = Path(__file__).resolve().parent.parent
PREVIEW_EVERY_S = 2.0

CONTENT = ROOT / "examples" / "contents" / "cat.jpg"
STYLE = ROOT / "examples" / "styles" / "vangogh_starry_night.jpg"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`python app.py` on `port`, with `env` added to this process's environment, once it answers."""
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    server = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server
        except OSError:
            time.sleep(1)  # polling the server's start, not a test's wait
    server.kill()
    raise RuntimeError("the app did not start within two minutes")


class Load:
    """Shared counters: which job numbers are left, and each finished job's record."""

    def __init__(self, jobs: int, server: subprocess.Popen):
        self.left, self.server, self.total = list(range(jobs)), server, jobs
        self.previews = self.previews_refused = 0
        self.records: list[dict] = []
        self.memory: dict[int, float] = {}
        self.lock = threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            return self.left.pop(0) if self.left else None

    def done(self, record: dict) -> None:
        with self.lock:
            self.records.append(record)
            if len(self.records) % 25 == 0 or len(self.records) == 10:
                self.memory[len(self.records)] = rss_mb(self.server.pid)


def user(url: str, load: Load) -> None:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    while (number := load.take()) is not None:
        size, seed = 128 + 16 * (number % 5), 1000 + number  # each job's own size and seed
        settings = {"size": size, "seed": seed, "iterations": 12, "scales": 1}
        submitted = time.perf_counter()
        record = {"number": number, "size": size, "seed": seed}
        try:
            if number % 2:  # as the page's Run button: the result kept in the data folder, with its inputs
                image, status, _, _, png = client.predict(*page_inputs(settings), api_name="/stylize_page")
                used = read_png_settings(png)
            else:
                image, status, used = client.predict(
                    content=handle_file(str(CONTENT)), style=handle_file(str(STYLE)), settings=settings,
                    api_name="/stylize",
                )  # fmt: skip
            record["ok"] = used["seed"] == seed and used["size"] == size and max(Image.open(image).size) == size
            record["outcome"] = "result" if record["ok"] else "MIXED UP"
        except Exception as error:  # a clear message is an acceptable outcome; record which
            record["ok"], record["outcome"] = False, f"message: {str(error).splitlines()[0][:90]}"
        record["wait"] = time.perf_counter() - submitted
        load.done(record)


def previewer(url: str, load: Load, number: int) -> None:
    """Someone choosing: an instant preview every PREVIEW_EVERY_S seconds, a new strength each, until the
    jobs are all done."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    inputs = page_inputs({"strength": 1.0})[:3]  # photo, painting, no second painting
    count = refused = 0
    while load.left or len(load.records) < load.total:
        strength = round(0.2 + (0.37 * number + 0.013 * count) % 9.5, 3)  # each preview its own picture
        try:
            client.predict(*inputs, *page_inputs({"strength": strength})[5:], api_name="/preview_page")
            count += 1
        except Exception:  # refused (a full queue): counted, as a person would see it
            refused += 1
        time.sleep(PREVIEW_EVERY_S)  # a person's pace, not a wait for a result
    with load.lock:
        load.previews += count
        load.previews_refused += refused


def page_inputs(settings: dict) -> list:
    """The page's Run inputs as a browser sends them: photo, painting, no second one, no clean-up, no
    regions, then every control's value."""
    from gradio_client import handle_file

    from style_core import SETTINGS
    from ui.controls import config_to_values
    from ui.machine import UNMEASURED

    values = config_to_values(UNMEASURED.default_config().replace(**settings))
    images = [handle_file(str(CONTENT)), handle_file(str(STYLE)), None, False, None]
    return [*images, *(values[name] for name in SETTINGS)]


def cancel_frees_the_device(url: str) -> tuple[float, float, str]:
    """(seconds a 64 px job takes on an idle server, seconds from another user cancelling a long job to that
    64 px job's result, what a second job from the long job's own client got meanwhile): the difference of
    the first two is how long the cancelled job kept the device."""
    from gradio_client import Client, handle_file

    inputs = {"content": handle_file(str(CONTENT)), "style": handle_file(str(STYLE))}
    small = {"size": 64, "iterations": 1, "scales": 1}
    leaver, other = Client(url, verbose=False), Client(url, verbose=False)
    started = time.perf_counter()
    other.predict(**inputs, settings=small, api_name="/stylize")
    alone = time.perf_counter() - started
    long_job = leaver.submit(**inputs, settings={"size": 384, "iterations": 500, "scales": 1}, api_name="/stylize")
    while len(long_job.outputs()) < 2:
        time.sleep(0.2)  # polling for the long job's second preview: it is surely running
    started = time.perf_counter()
    try:  # one heavy job per client: this one should be refused at once
        leaver.predict(**inputs, settings=small, api_name="/stylize")
        second = "accepted"
    except Exception as error:
        second = f"refused in {time.perf_counter() - started:.2f} s: {str(error).splitlines()[-1][2:]}"
    waiting = other.submit(**inputs, settings=small, api_name="/stylize")
    started = time.perf_counter()
    long_job.cancel()
    waiting.result(timeout=120)
    return alone, time.perf_counter() - started, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--port", type=int, default=7870)
    parser.add_argument("--previewers", type=int, default=0, help="people choosing meanwhile: instant previews")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="load_data_"))  # a fresh data folder: what the run leaves is its own
    server = start_server(args.port, {DATA_ENV: str(data)})
    url = f"http://127.0.0.1:{args.port}/"
    try:
        load = Load(args.jobs, server)
        started = time.perf_counter()
        threads = [threading.Thread(target=user, args=(url, load)) for _ in range(args.users)]
        threads += [threading.Thread(target=previewer, args=(url, load, n)) for n in range(args.previewers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        minutes = (time.perf_counter() - started) / 60
        load.memory[len(load.records)] = rss_mb(server.pid)
        freed = cancel_frees_the_device(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args, load, minutes, freed, data)


def report(args: argparse.Namespace, load: Load, minutes: float, freed: tuple[float, float, str], data: Path) -> None:
    waits = [r["wait"] for r in load.records]
    outcomes: dict[str, int] = {}
    for record in load.records:
        outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + 1
    files = list(RESULTS_DIR.glob("*"))
    too_old = [f for f in files if time.time() - f.stat().st_mtime > RESULT_MAX_AGE_S]
    os.environ[DATA_ENV] = str(data)  # kept_result reads the folder the server wrote
    kept = sorted((data / "results").iterdir()) if (data / "results").is_dir() else []
    whole = all(kept_result(folder.name) for folder in kept)
    memory = sorted(load.memory.items())
    (first_n, first_mb), (last_n, last_mb) = memory[0], memory[-1]
    rows = [
        "| measure | value |", "|---|---|",
        f"| users at once, jobs | {args.users}, {len(load.records)} (128-192 px, 12 L-BFGS steps each) |",
        f"| people choosing meanwhile; instant previews they saw, refused | {args.previewers}; {load.previews}, "
        f"{load.previews_refused} |",
        f"| outcomes | {', '.join(f'{n} x {name}' for name, n in outcomes.items())} |",
        f"| jobs per minute | {len(load.records) / minutes:.1f} |",
        f"| wait, submission to result: median, worst | {statistics.median(waits):.1f} s, {max(waits):.1f} s |",
        f"| server memory after {first_n} jobs, after {last_n} | {first_mb:.0f} MB, {last_mb:.0f} MB "
        f"({(last_mb / first_mb - 1) * 100:+.1f}%) |",
        f"| server memory along the way (jobs: MB) | {', '.join(f'{n}: {mb:.0f}' for n, mb in memory)} |",
        f"| result files left, older than the cleanup age | {len(files)}, {len(too_old)} |",
        f"| results kept in the data folder (the page's half of the jobs) | {len(kept)}, all whole: {whole} |",
        f"| a 64 px job alone; after another user cancels a running 384 px job | {freed[0]:.1f} s; {freed[1]:.1f} s |",
        f"| a second job from the running job's own client | {freed[2]} |",
    ]  # fmt: skip
    command = " ".join(["python -m bench.load", *sys.argv[1:]])
    table = "\n".join(rows)
    print(table)
    intro = f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}."
    tag = "load with previews table" if args.previewers else "load table"
    write_section(tag, f"{intro}\n\n{table}", BENCHMARKS)


if __name__ == "__main__":
    main()
