"""The page's data folder: the results each browser keeps across reloads and the share links, which outlive a
restart of the server when STYLE_STUDIO_DATA points at lasting storage (a Space's persistent /data, say). By
default a temporary folder, emptied by the system in its own time."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

DATA_ENV = "STYLE_STUDIO_DATA"


def data_dir() -> Path:
    """The folder STYLE_STUDIO_DATA names, or one in the system's temporary folder."""
    return Path(os.environ.get(DATA_ENV) or Path(tempfile.gettempdir()) / "style_transfer_studio_data")


def data_folder(name: str) -> Path:
    """One kind of kept thing's folder ("results", "shares"), made if missing."""
    folder = data_dir() / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_older_than(folder: Path, seconds: float, keep_newest: int | None = None) -> None:
    """Remove what `folder` holds (files or folders) older than `seconds`, and beyond the `keep_newest` newest."""
    if not folder.is_dir():
        return
    # Each entry's age read once: outputs such as the previews of a run ask for a fresh file every few seconds.
    entries = sorted(((_age_key(entry), entry) for entry in folder.iterdir()), key=lambda aged: aged[0], reverse=True)
    now = time.time()
    for number, (modified, entry) in enumerate(entries):
        if (keep_newest is not None and number >= keep_newest) or now - modified > seconds:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _age_key(entry: Path) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:  # removed meanwhile by another server on the same folder
        return 0.0
