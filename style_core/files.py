"""Output files written whole or not at all: a crash, a stop or a full disk never leaves a truncated picture
under the name the user asked for."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def written_whole(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary file beside `path` (same folder, same suffix, so a writer that goes by the suffix still
    picks the right format) to write; renamed onto `path` if the block ends normally, removed otherwise."""
    target = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        os.chmod(partial, 0o644)  # as an ordinary new file, not mkstemp's owner-only
        os.replace(partial, target)  # atomic within one file system: the old file or the new, never half
    finally:
        partial.unlink(missing_ok=True)
