"""The docs a user reads: every link leads somewhere, the notebook's contents list follows its headings, and
each notebook entry says when it was measured."""

from __future__ import annotations

import re

from bench.doc_tables import with_contents

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_and_picture_in_the_docs_exists():
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text()):
            if not re.match(r"[a-z]+:", target):  # http(s), mailto: not checked (no network)
                assert (doc.parent / target).exists(), f"{doc.name} links to {target}, which is missing"


def test_the_notebooks_contents_list_is_made_from_its_headings():
    text = (ROOT / "docs" / "EXPERIMENTS.md").read_text()
    assert "<!-- contents:start -->" in text and with_contents(text) == text


def test_every_notebook_entry_is_dated_and_none_says_today():
    text = (ROOT / "docs" / "EXPERIMENTS.md").read_text()
    entries = re.findall(r"^### (.+)$", text, flags=re.MULTILINE)
    assert len(entries) > 10
    assert all(re.search(r"\d{4}-\d{2}-\d{2}", entry) for entry in entries), [e for e in entries if "20" not in e]
    assert not re.search(r"\btoday\b", text, flags=re.IGNORECASE)
