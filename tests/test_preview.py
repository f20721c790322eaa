"""The instant preview: the feed-forward network's picture at the output size, following the strength and
colour controls, in a fraction of a full run's time."""

import numpy as np
import pytest
from PIL import Image

from style_core import StyleConfig
from style_core.errors import ImageError
from style_core.feedforward import balance_weight, unavailable
from style_core.images import rgb_to_yuv, to_tensor
from style_core.preview import instant_preview

pytestmark = pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))


def difference(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).mean())


def test_a_panorama_too_thin_for_the_preview_gets_the_full_runs_line(style_path):
    with pytest.raises(ImageError, match="is too long and thin for 256 px output"):
        instant_preview(Image.new("RGB", (4000, 40), "steelblue"), [style_path], StyleConfig(size=256))


def test_the_preview_is_at_the_output_size_and_follows_the_strength(content_path, style_path):
    pictures = {s: instant_preview(content_path, [style_path], StyleConfig(size=192, strength=s)) for s in (0.1, 1, 10)}
    photo = Image.open(content_path).convert("RGB").resize(pictures[1].size)
    assert max(pictures[1].size) == 192
    assert difference(pictures[0.1], pictures[10]) > 20  # mostly photo against mostly painting
    assert difference(pictures[0.1], photo) < difference(pictures[1], photo) < difference(pictures[10], photo)
    assert balance_weight(1) == 1 and balance_weight(0) == 0


def test_colour_preservation_keeps_the_photos_colours(content_path, style_path):
    photo = Image.open(content_path).convert("RGB")
    kept, painted = (
        instant_preview(content_path, [style_path], StyleConfig(size=128, color=c)) for c in ("luminance", "off")
    )
    colours = rgb_to_yuv(to_tensor(photo.resize(kept.size)))[:, 1:]

    def colour_error(picture):
        return float((rgb_to_yuv(to_tensor(picture))[:, 1:] - colours).abs().mean())

    assert colour_error(kept) < colour_error(painted) / 3


def test_two_paintings_blend_by_their_weights(content_path, style_path, second_style_path):
    styles = [style_path, second_style_path]
    first, second = (instant_preview(content_path, [s], StyleConfig(size=128)) for s in styles)
    mostly_first = instant_preview(content_path, styles, StyleConfig(size=128, style_blend=[0.9, 0.1]))
    assert difference(mostly_first, first) < difference(mostly_first, second)


def test_a_preview_made_while_a_run_was_pressed_leaves_that_runs_result(monkeypatch, content_path, style_path):
    """A quick run pressed while the instant preview is still being made may finish first: the preview, arriving
    later, must not put itself over the run's result and status."""
    from types import SimpleNamespace

    import gradio as gr

    from ui import preview as page_preview
    from ui import session_limit
    from ui.controls import config_to_values

    settings = dict(config_to_values(StyleConfig(size=64)))
    request = SimpleNamespace(session_hash="tab-1")
    monkeypatch.setattr(page_preview, "heavy_jobs_of", lambda request: 0)  # no job queued when it was asked for
    picture, status = page_preview.preview(str(content_path), str(style_path), None, request, **settings)
    assert status.startswith("Instant preview")  # alone, it shows

    def made_while_run_pressed(make):
        session_limit._note_job_asked("tab-1")  # what Run's click does (session_limit.heavy_click)
        return make()

    monkeypatch.setattr(page_preview, "paced", made_while_run_pressed)
    shown = page_preview.preview(str(content_path), str(style_path), None, request, **settings)
    assert all(isinstance(output, type(gr.skip())) for output in shown)
