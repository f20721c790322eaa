"""Stylize, then optionally clean the result with the denoiser: the one run that the CLI and the page share.

`run` yields the stylization's Progress events, then the denoiser's DenoiseProgress events, and last a
Result holding the image with the exact settings and notes its PNG will carry.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import torch
from PIL import Image

from .config import StyleConfig
from .denoise import DenoiseConfig, DenoiseProgress, denoise
from .errors import StyleCoreError
from .images import ImageSource, save_png
from .masks import fingerprint
from .transfer import Progress, stylize


@dataclass
class Result:
    image: Image.Image
    config: StyleConfig
    notes: dict[str, Any] | None  # {"denoise": DenoiseConfig dict} when the denoiser ran
    seconds: float

    def save(self, path: str | os.PathLike | IO[bytes]) -> None:
        """A PNG carrying the full settings (`--config result.png` reproduces the run)."""
        save_png(self.image, path, self.config.to_dict(), self.notes)


def run(
    content: ImageSource,
    styles: ImageSource | Sequence[ImageSource],
    config: StyleConfig,
    *,
    masks: Sequence[ImageSource | None] | None = None,
    clean_up: bool = False,
    device: str | torch.device | None = None,
    preview_every: float = 3.0,
    start: ImageSource | None = None,
) -> Iterator[Progress | DenoiseProgress | Result]:
    """Stylize `content` (in painted regions with `masks`, one per style); with `clean_up`, denoise the
    result (ZS-N2N fast mode, seeded like the run). Masks are inputs like the images: the result's notes
    record their fingerprints, so a rerun with `--config result.png` can be given the same files; so is a
    `start` picture's (see transfer.stylize)."""
    started = time.perf_counter()
    image = None
    events = stylize(content, styles, config, masks=masks, device=device, preview_every=preview_every, start=start)
    for event in events:
        yield event
        if event.done:
            image = event.image
    if image is None:
        raise StyleCoreError("the run ended without an image")
    notes = {"masks": [fingerprint(mask) for mask in masks]} if masks else None
    if start is not None:
        notes = {**(notes or {}), "start": fingerprint(start)}
    if clean_up:
        denoise_config = DenoiseConfig(seed=config.seed)
        for event in denoise(image, denoise_config, device=device):
            yield event
            if event.done:
                image = event.image
        notes = {**(notes or {}), "denoise": denoise_config.to_dict()}
    yield Result(image, config, notes, time.perf_counter() - started)
