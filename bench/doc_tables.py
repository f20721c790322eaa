"""Writing a benchmark's results into a doc between its markers, `<!-- TAG:start -->` and `<!-- TAG:end -->`,
leaving the rest alone: the tables users read go into docs/BENCHMARKS.md, the experiments behind the defaults
into docs/EXPERIMENTS.md (the lab notebook)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
BENCHMARKS = DOCS / "BENCHMARKS.md"
EXPERIMENTS = DOCS / "EXPERIMENTS.md"


def cpu_name() -> str:
    """This machine's CPU as a table says it, e.g. "2-core AMD EPYC"."""
    names = re.findall(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()) or ["CPU"]
    return f"{os.cpu_count()}-core {names[0].strip()}"


def heading(title: str, script: str, level: int = 3) -> str:
    """An entry's heading, dated: `### Title (2026-12-06, bench/script.py)`."""
    return f"{'#' * level} {title} ({time.strftime('%Y-%m-%d')}, bench/{script}.py)"


def write_section(tag: str, body: str, doc: Path = EXPERIMENTS) -> None:
    """Put `body` between the doc's `tag` markers, or append it with its markers where the doc has none."""
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    text = doc.read_text() if doc.exists() else f"# {doc.stem.title()}\n"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(with_contents(text))


def with_contents(text: str) -> str:
    """`text` with its contents list (between `<!-- contents:start -->` and `<!-- contents:end -->`, where it has
    them) made again from its `##` and `###` headings, so a rewritten section's new heading is linked."""
    start, end = "<!-- contents:start -->", "<!-- contents:end -->"
    if start not in text or end not in text:
        return text
    head, rest = text.split(start, 1)
    body = rest.split(end, 1)[1]
    entries = []
    for level, title in re.findall(r"^(##|###) (.+)$", body, flags=re.MULTILINE):
        anchor = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")  # as GitHub makes it
        entries.append(f"{'  ' * (len(level) - 2)}- [{title}](#{anchor})")
    return f"{head}{start}\n" + "\n".join(entries) + f"\n{end}{body}"


def publish_table(
    name: str, intro: str, columns: list[str], rows: list[str], write: bool = True, doc: Path = BENCHMARKS
) -> None:
    """Print a benchmark's table (`intro`, then the columns' header and `rows`, each a markdown row) and, with
    `write`, put it into `doc` between its `NAME table` markers."""
    header = "| " + " | ".join(columns) + " |"
    table = "\n".join([intro, "", header, "|" + "---|" * len(columns), *rows])
    print(table)
    if write:
        write_section(f"{name} table", table, doc)
