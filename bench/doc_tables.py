"""Writing a benchmark's table into docs/BENCHMARKS.md between its markers, `<!-- NAME table:start -->` and
`<!-- NAME table:end -->` (left as it is where the markers are missing)."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"


def write_table(name: str, table: str, doc: Path = DOC) -> None:
    start, end = f"<!-- {name} table:start -->", f"<!-- {name} table:end -->"
    text = doc.read_text()
    if start in text and end in text:
        head, rest = text.split(start, 1)
        doc.write_text(f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}")


def publish_table(name: str, intro: str, columns: list[str], rows: list[str], write: bool = True) -> None:
    """Print a benchmark's table (`intro`, then the columns' header and `rows`, each a markdown row) and, with
    `write`, put it into docs/BENCHMARKS.md."""
    header = "| " + " | ".join(columns) + " |"
    table = "\n".join([intro, "", header, "|" + "---|" * len(columns), *rows])
    print(table)
    if write:
        write_table(name, table)
