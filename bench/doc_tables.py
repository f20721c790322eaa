"""Writing a benchmark's results into a doc between its markers, `<!-- TAG:start -->` and `<!-- TAG:end -->`,
leaving the rest alone: the tables users read go into docs/BENCHMARKS.md, the experiments behind the defaults
into docs/EXPERIMENTS.md (the lab notebook)."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
BENCHMARKS = DOCS / "BENCHMARKS.md"
EXPERIMENTS = DOCS / "EXPERIMENTS.md"


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
    doc.write_text(text)


def publish_table(name: str, intro: str, columns: list[str], rows: list[str], write: bool = True) -> None:
    """Print a benchmark's table (`intro`, then the columns' header and `rows`, each a markdown row) and, with
    `write`, put it into docs/BENCHMARKS.md between its `NAME table` markers."""
    header = "| " + " | ".join(columns) + " |"
    table = "\n".join([intro, "", header, "|" + "---|" * len(columns), *rows])
    print(table)
    if write:
        write_section(f"{name} table", table, BENCHMARKS)
