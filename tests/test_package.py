"""The engine installs as a library with a `style-core` command: what the wheel holds and what it needs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def _pins(lines: list[str]) -> dict[str, str]:
    """{package name: its version specifier} of requirement lines (comments, -r lines and extras left out)."""
    pins = {}
    for line in lines:
        match = re.match(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*([<>=!~].*)?$", line.split("#")[0].strip())
        if match and not line.startswith("-"):
            pins[match.group(1).lower()] = (match.group(3) or "").strip()
    return pins


def test_the_wheel_holds_the_engine_and_its_command(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy of the checkout's files, so the build leaves nothing in the checkout
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "build", "*.egg-info", "results", "*.png", "*.jp*g", "*.mp4"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=source, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("style_core-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"style_core", wheel.name.split("-py3")[0] + ".dist-info"}
    assert "style_core/cli.py" in names and "style_core/__main__.py" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "style-core = style_core.cli:main" in entry_points


def test_the_package_needs_what_the_page_installs_for_the_engine() -> None:
    """pyproject.toml's dependencies are the engine's lines of requirements.txt, with the same pins (the page's
    gradio is only in requirements.txt)."""
    engine = _pins(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    page = _pins((ROOT / "requirements.txt").read_text().splitlines())
    assert engine == {name: page[name] for name in engine}
    assert set(page) - set(engine) == {"gradio"}
