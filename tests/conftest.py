"""Shared fixtures: real images from ../shared/images when present, the project's examples/ otherwise."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from style_core import StyleConfig

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "images"
EXAMPLES = ROOT / "examples"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def _first(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(f"none of {[str(p) for p in candidates]} exists")


@pytest.fixture(scope="session")
def content_path() -> Path:
    return _first(SHARED / "contents" / "chelsea.png", EXAMPLES / "contents" / "cat.jpg")


@pytest.fixture(scope="session")
def style_path() -> Path:
    return _first(SHARED / "styles" / "vangogh_starry_night.jpg", EXAMPLES / "styles" / "vangogh_starry_night.jpg")


@pytest.fixture(scope="session")
def second_style_path() -> Path:
    return _first(SHARED / "styles" / "picabia_udnie.jpg", EXAMPLES / "styles" / "picabia_udnie.jpg")


@pytest.fixture
def tiny() -> StyleConfig:
    """Settings small enough for a test: 64 px, one scale, a few steps."""
    return StyleConfig(size=64, scales=1, iterations=5)


@pytest.fixture(params=["cpu", "cuda"])
def device(request) -> str:
    """Each engine test runs on the CPU, and again on CUDA where a GPU is present (skipped otherwise)."""
    if request.param == "cuda" and not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    return request.param


@pytest.fixture(scope="session")
def launched_page() -> Iterator:
    """The page, launched once for every test that needs a running one, as `python app.py --mcp` launches it
    (ui.QUEUE and ui.launch_options(); its MCP server too). Its address is `launched_page.local_url`."""
    from ui import QUEUE, build_page, launch_options

    page = build_page()
    page.queue(**QUEUE)
    page.launch(prevent_thread_lock=True, quiet=True, mcp_server=True, **launch_options())
    yield page
    page.close()


@pytest.fixture(scope="session")
def page_url(launched_page) -> str:
    return launched_page.local_url
