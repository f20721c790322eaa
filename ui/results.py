"""The results a browser keeps, and other files the page hands out.

A finished (or stopped) picture is kept in the data folder (ui.data) under an unguessable name, with its
before image, its own copies of the photo and paintings, and what made it: the history entry the page shows,
which a reload brings back by that name (ui.reload) and a share copies (ui.share). Kept results, and other
files the page writes (zips, videos, grids), go after RESULT_MAX_AGE_S.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import gradio as gr
from PIL import Image

from style_core import StyleConfig, describe, load_image, save_png
from style_core.files import written_whole
from style_core.pipeline import Result

from .data import data_folder, remove_older_than

RESULTS_DIR = Path(tempfile.gettempdir()) / "style_transfer_studio"  # files handed out, not kept
RESULT_MAX_AGE_S = 2 * 3600
KEPT_NAME = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)


def result_path(suffix: str = ".png", what: str = "stylized") -> Path:
    """A fresh file for one output, named for `what` it holds (the name a download keeps); outputs older than
    RESULT_MAX_AGE_S are removed."""
    RESULTS_DIR.mkdir(exist_ok=True)
    remove_older_than(RESULTS_DIR, RESULT_MAX_AGE_S)
    handle, name = tempfile.mkstemp(suffix=suffix, prefix=f"{what}_", dir=RESULTS_DIR)
    os.close(handle)
    return Path(name)


def preview_file(image: Image.Image) -> str:
    """A picture on its way to the page while a run forms it, as a JPEG file: far quicker to encode than PNG
    (which the finished picture keeps) on the CPU the run needs, and several times fewer bytes to send to a
    browser that replaces the picture within seconds."""
    path = result_path(".jpg")
    image.convert("RGB").save(path, "JPEG", quality=90)
    return str(path)


def servable(path: str | Path) -> str:
    """`path` as an output Gradio will serve: Gradio copies an output into its cache only from the temporary
    folder or the working one, so a kept file elsewhere (the data folder on lasting storage) is handed over as
    a copy. The data folder itself is never served: its files are reached only through the page."""
    path = Path(path).resolve()
    if any(path.is_relative_to(Path(folder).resolve()) for folder in (tempfile.gettempdir(), os.getcwd())):
        return str(path)
    if not Path(_SERVED.get(path, "")).is_file():
        _SERVED[path] = result_path(path.suffix)
        shutil.copyfile(path, _SERVED[path])
    return str(_SERVED[path])


_SERVED: dict[Path, Path] = {}  # a kept file -> its copy, made once however often the gallery shows it


def caption(config: StyleConfig, clean_up: bool) -> str:
    return describe(config) + (", denoised" if clean_up else "")


def save_result(
    result: Result, content: str, history: list[dict], clean_up: bool, styles: list[str] = (), regions: bool = False,
    label: str = "",
) -> tuple[Path, Image.Image]:  # fmt: skip
    """Keep the result's PNG (settings inside), a before image of the same size and copies of the photo and
    paintings; the entry added to `history` (captioned with `label` first) names them all."""
    remove_older_than(data_folder("results"), RESULT_MAX_AGE_S)
    name = secrets.token_urlsafe(16)
    folder = data_folder("results") / name
    png = folder / f"stylized_{name[:8]}.png"  # the download's name: distinct, so downloads never overwrite
    try:
        folder.mkdir()
        result.save(png)
        before = load_image(content).resize(result.image.size, Image.Resampling.LANCZOS)
        save_png(before, folder / "before.png")
        copies = [_copy(path, folder, f"style_{n}") for n, path in enumerate(styles)]
        item = {
            "id": name, "path": str(png), "before": str(folder / "before.png"),
            "caption": label + caption(result.config, clean_up), "settings": result.config.to_dict(),
            "content": _copy(content, folder, "content"), "styles": copies, "clean_up": clean_up, "regions": regions,
            "stopped": (result.notes or {}).get("stopped"),
        }  # fmt: skip
        with written_whole(folder / "item.json") as partial:  # written last: a folder without it is not a result
            partial.write_text(json.dumps({key: _relative(value, folder) for key, value in item.items()}))
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise gr.Error(f"The server could not save the result ({error.strerror}): try again later.") from None
    history.append(item)
    return png, before


def _copy(path: str, folder: Path, stem: str) -> str:
    copy = folder / f"{stem}{Path(path).suffix.lower() or '.png'}"
    shutil.copyfile(path, copy)
    return str(copy)


def _relative(value, folder: Path):
    """Paths inside the result's folder as bare names: the folder may move (a restored backup, a new mount)."""
    if isinstance(value, list):
        return [_relative(entry, folder) for entry in value]
    if isinstance(value, str) and Path(value).parent == folder:
        return Path(value).name
    return value


def kept_result(name: str) -> dict | None:
    """The history entry of the kept result called `name`, or None if there is none (expired, never made, or
    damaged): a name from a browser is checked here before any file is touched."""
    if not KEPT_NAME.fullmatch(name if isinstance(name, str) else ""):
        return None
    folder = data_folder("results") / name
    try:
        item = json.loads((folder / "item.json").read_text())
        if time.time() - (folder / "item.json").stat().st_mtime > RESULT_MAX_AGE_S:
            return None
        item |= {key: str(folder / item[key]) for key in ("path", "before", "content")}
        item["styles"] = [str(folder / style) for style in item["styles"]]
        for path in (item["path"], item["before"]):
            with Image.open(path) as image:
                image.verify()  # a damaged file counts as gone
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        return None
    return item if item.get("id") == name else None


def zip_history(history: list[dict]) -> str | None:
    """Every result of this session that still exists, numbered in order, with a settings.json."""
    items = [item for item in history or [] if Path(item["path"]).is_file()]
    if not items:
        return None
    path = result_path(".zip", "results")
    with zipfile.ZipFile(path, "w") as archive:
        for number, item in enumerate(items, start=1):
            archive.write(item["path"], f"result_{number:02d}.png")
        settings = {f"result_{n:02d}.png": item["settings"] for n, item in enumerate(items, start=1)}
        archive.writestr("settings.json", json.dumps(settings, indent=1))
    return str(path)
