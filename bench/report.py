"""Write one benchmark's section of a doc between its markers, leaving the rest alone.

The experiment tables go into docs/EXPERIMENTS.md (the lab notebook); docs/BENCHMARKS.md is the page for
users, whose machine table bench/machine.py writes.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC = DOCS / "EXPERIMENTS.md"


def write_section(tag: str, body: str, doc: Path = DOC) -> None:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    text = doc.read_text() if doc.exists() else f"# {doc.stem.title()}\n"
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text)
