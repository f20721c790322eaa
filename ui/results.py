"""The session's results and their files: a fresh file for each result, each finished picture with what made
it in the session's history, and the whole history as one zip. Files older than RESULT_MAX_AGE_S go."""

from __future__ import annotations

import json
import os
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image

from style_core import StyleConfig, describe, load_image
from style_core.pipeline import Result

RESULTS_DIR = Path(tempfile.gettempdir()) / "style_transfer_studio"
RESULT_MAX_AGE_S = 2 * 3600


def result_path(suffix: str = ".png") -> Path:
    """A fresh file for one result; results older than two hours are removed."""
    RESULTS_DIR.mkdir(exist_ok=True)
    now = time.time()
    for old in RESULTS_DIR.glob("*"):
        if now - old.stat().st_mtime > RESULT_MAX_AGE_S:
            old.unlink(missing_ok=True)
    handle, name = tempfile.mkstemp(suffix=suffix, prefix="stylized_", dir=RESULTS_DIR)
    os.close(handle)
    return Path(name)


def caption(config: StyleConfig, clean_up: bool) -> str:
    return describe(config) + (", denoised" if clean_up else "")


def save_result(
    result: Result, content: str, history: list[dict], clean_up: bool, styles: list[str] = (), regions: bool = False
) -> tuple[Path, Image.Image]:
    """The result's PNG (settings inside) and a before image of the same size, added to the history with what
    made it (the upload paths, for a share link while they last)."""
    path, before_path = result_path(), result_path()
    result.save(path)
    before = load_image(content).resize(result.image.size, Image.Resampling.LANCZOS)
    before.save(before_path)  # the upload itself may be cleaned from Gradio's cache before the gallery is
    entry = {"path": str(path), "before": str(before_path), "caption": caption(result.config, clean_up)}
    made_of = {"content": content, "styles": list(styles), "clean_up": clean_up, "regions": regions}
    history.append({**entry, "settings": result.config.to_dict(), **made_of})
    return path, before


def zip_history(history: list[dict]) -> str | None:
    """Every result of this session that still exists, numbered in order, with a settings.json."""
    items = [item for item in history or [] if Path(item["path"]).is_file()]
    if not items:
        return None
    path = result_path(".zip")
    with zipfile.ZipFile(path, "w") as archive:
        for number, item in enumerate(items, start=1):
            archive.write(item["path"], f"result_{number:02d}.png")
        settings = {f"result_{n:02d}.png": item["settings"] for n, item in enumerate(items, start=1)}
        archive.writestr("settings.json", json.dumps(settings, indent=1))
    return str(path)
