"""The page's named API for gradio_client users: every parameter and output has a name.

    client.predict(content=handle_file("photo.jpg"), style=handle_file("painting.jpg"), preset="balanced",
                   settings={"strength": 2}, api_name="/stylize")

Each route is a hidden button's event whose inputs and outputs are hidden components: their keyword names
and labels are what `Client.view_api()` shows. Routes enforce the page's limits (`controls.page_high`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from style_core import PRESETS, StyleConfig, read_png_settings
from style_core.config import DEFAULT_PRESET
from style_core.explore import KINDS, ExploreConfig
from style_core.grid import GRID_KINDS

from .controls import settings_to_config
from .examples import PAINTINGS
from .gpu import (
    DENOISE_GPU_S,
    config_or_none,
    gpu,
    gpu_seconds,
    grid_gpu_seconds,
    layers_gpu_seconds,
    video_gpu_seconds,
)
from .jobs import (
    LAYERS_SIZE,
    LAYERS_STEPS,
    VIDEO_FPS,
    VIDEO_MAX_FPS,
    VIDEO_SIZE,
    compare_job,
    denoise_job,
    layers_job,
    styles_for,
    stylize_job,
    user_errors,
    video_job,
)
from .machine import Machine, photo_aspect
from .results import result_path
from .session_limit import HEAVY_API


class SettingsInput(gr.JSON):
    """gr.JSON whose API schema is an object: gr.JSON's own ({"type": {}}) is not valid JSON Schema, and MCP
    clients refuse every call against it."""

    is_template = True  # render with the ordinary JSON front end

    def api_info(self) -> dict[str, Any]:
        return {"type": "object", "description": "settings by name"}


def _config(preset: str, settings: dict[str, Any] | None) -> StyleConfig:
    with user_errors():
        return settings_to_config(preset or DEFAULT_PRESET, settings)


@gpu(
    lambda content, style, preset, settings, more_styles, denoise: (
        gpu_seconds(config_or_none(lambda: settings_to_config(preset or DEFAULT_PRESET, settings)))
        + DENOISE_GPU_S * bool(denoise)
    )
)
def stylize(
    content: str, style: str, preset: str, settings: dict | None, more_styles: list[str] | None, denoise: bool
) -> Iterator[tuple[str, str, Any]]:
    """Stylize a photo with a painting (Gatys et al. neural style transfer). Streams previews (JPEG); the last output
    is the PNG (its settings inside), a status line and the exact settings used.

    Args:
        content: the photo to stylize (an image file)
        style: the painting whose style is applied (an image file)
        preset: named settings to start from: gatys2015, balanced, strong_style, keep_colors, fast_preview, thorough
        settings: settings by name over the preset, e.g. {"size": 384, "strength": 2} (presets lists every one)
        more_styles: further paintings, blended by settings["style_blend"]
        denoise: clean the result with the Zero-Shot Noise2Noise denoiser
    """
    if not content or not style:
        raise gr.Error("Give a content photo and a style image.")
    config = _config(preset, settings)
    styles = [style, *(more_styles or [])]
    for image, status, result in stylize_job(content, styles, config, bool(denoise)):
        if result is None:  # a preview's file, or none this step
            yield image or gr.skip(), status, gr.skip()
        else:
            path = result_path()
            result.save(path)
            yield str(path), status, result.config.to_dict()


def make_compare(machine: Machine) -> Callable[..., Iterator[str]]:
    """The /compare route, its cells fitted to `machine` as the Compare tab's are."""

    def reserve(content, style, kind, paintings, preset, settings) -> float:
        return grid_gpu_seconds(
            machine, kind, config_or_none(lambda: settings_to_config(preset or DEFAULT_PRESET, settings))
        )

    @gpu(reserve)
    def compare(
        content: str, style: str | None, kind: str, paintings: list[str] | None, preset: str, settings: dict | None
    ) -> Iterator[str]:
        """A labelled comparison grid of small stylized cells, one image.

        Args:
            content: the photo (an image file)
            style: the painting (an image file); for kind "styles" it may be left out if paintings are named
            kind: presets (each preset), styles (this and the named paintings) or strength x layers (Figure 3)
            paintings: example paintings by caption, for kind "styles", e.g. ["The Starry Night, Vincent van Gogh"]
            preset: named settings the cells start from
            settings: settings by name applied over the preset
        """
        if not content:
            raise gr.Error("Give a content photo.")
        if kind not in GRID_KINDS:
            raise gr.Error(f"kind must be one of {', '.join(GRID_KINDS)}")
        styles, names = styles_for(kind, style, paintings or [])
        config = _config(preset, settings)
        size = machine.grid_cell_size(kind, config, len(styles), photo_aspect(content))
        for grid, _ in compare_job(content, styles, names, kind, config, size):
            if grid is None:
                yield gr.skip()
                continue
            path = result_path(what="grid")
            grid.save(path)
            yield str(path)

    return compare


@gpu(lambda photo, painting, kind, size, steps: layers_gpu_seconds(size, steps))
def layers(
    photo: str | None = None,
    painting: str | None = None,
    kind: str = "both",
    size: float = LAYERS_SIZE[2],
    steps: float = LAYERS_STEPS[2],
) -> Iterator[tuple[list, list, str]]:
    """The paper's Figure 1 with your images: the photo rebuilt from single VGG19 layers (the content row) and the
    painting's texture from growing sets of layers (the style row), each cell from white noise. Streams both rows
    and the labelled figure as each cell finishes.

    Args:
        photo: the photo for the content row (an image file; needed unless kind is style)
        painting: the painting for the style row (an image file; needed unless kind is content)
        kind: which rows: content, style or both
        size: each cell's long side in px (64 to 256, default 192)
        steps: L-BFGS steps per cell (10 to 200, default 50)
    """
    if kind not in KINDS:
        raise gr.Error(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    config = ExploreConfig(
        kind=kind, size=_whole("size", size, LAYERS_SIZE), steps=_whole("steps", steps, LAYERS_STEPS)
    )
    for content_row, style_row, figure, _ in layers_job(photo, painting, config):
        yield content_row, style_row, figure


def _whole(name: str, value: Any, limits: tuple[int, int, int]) -> int:
    """A whole number within the page's limits for a setting; its default when not given."""
    low, high, default = limits
    if value is None:
        return default
    try:
        whole = int(value)
    except (TypeError, ValueError, OverflowError):  # text, NaN, infinity
        whole = None
    if isinstance(value, bool) or whole is None or whole != value or not low <= whole <= high:
        raise gr.Error(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return whole


@gpu(lambda image: DENOISE_GPU_S)
def denoise(image: str) -> Iterator[str]:
    """Remove noise from a photo with Zero-Shot Noise2Noise (a small network fitted to this one image).

    Args:
        image: the noisy image (an image file)
    """
    if not image:
        raise gr.Error("Give an image to denoise.")
    for *_, path in denoise_job(image, previews=False):
        yield path or gr.skip()  # no change, at most once a second until the end: a client's cancel lands within it


def video_reservation(clip, style, preset, settings, fps) -> float:
    config = config_or_none(
        lambda: settings_to_config(preset or DEFAULT_PRESET, {"size": VIDEO_SIZE, **(settings or {})})
    )
    return video_gpu_seconds(config, _fps(fps)) if config else 0.0


def _fps(fps: float | None) -> float:
    try:
        value = float(fps or VIDEO_FPS)
    except (TypeError, ValueError):
        raise gr.Error(f"fps must be a number of frames per second, not {fps!r}") from None
    if not 1 <= value <= VIDEO_MAX_FPS:
        raise gr.Error(f"fps must be from 1 to {VIDEO_MAX_FPS}, not {value:g}")
    return value


@gpu(video_reservation)
def video(
    clip: str, style: str, preset: str, settings: dict | None, fps: float = VIDEO_FPS
) -> Iterator[tuple[Any, Any, str]]:
    """Stylize a short clip without flicker (each frame starts from the last result moved along the optical
    flow, Ruder et al. 2016). Streams a status line; the last outputs are the MP4 (H.264) and a GIF.

    Args:
        clip: the clip (MP4, WebM, MOV or GIF; at most 10 s and 300 frames)
        style: the painting whose style is applied (an image file)
        preset: named settings to start from, as for stylize
        settings: settings by name over the preset; size defaults to 256 here, e.g. {"size": 320}
        fps: frames per second to make, at most the clip's own (default 12); the result lasts as long as the clip
    """
    if not clip or not style:
        raise gr.Error("Give a clip and a style image.")
    config = _config(preset, {"size": VIDEO_SIZE, **(settings or {})})
    for _, status, files in video_job(clip, style, config, _fps(fps)):
        yield (files[0], files[1], status) if files else (gr.skip(), gr.skip(), status)


def settings_from_png(png: str) -> dict:
    """The exact settings a result PNG of this app carries, to rerun or change them.

    Args:
        png: a PNG made by this app
    """
    with user_errors():
        return StyleConfig.from_dict(read_png_settings(png)).to_dict()


def presets() -> dict:
    """Every named preset's full settings: the names and values the other tools' settings take."""
    return {name: config.to_dict() for name, config in PRESETS.items()}


def render(machine: Machine) -> None:
    with gr.Column(visible=False):
        content, style = gr.File(label="content"), gr.File(label="style")
        more_styles = gr.File([], file_count="multiple", label="more_styles")
        image, png = gr.File(label="image"), gr.File(label="png")
        # The inputs check no value themselves (custom values allowed, no range): the validator runs them as a call
        # joins the queue, where Gradio answers a value it refuses with a bare "400 Bad Request". The routes check
        # them instead, and say what is wrong. The choices still give the schema its list.
        preset = gr.Dropdown(list(PRESETS), value=DEFAULT_PRESET, label="preset", allow_custom_value=True)
        settings = SettingsInput({}, label="settings")
        denoise_flag = gr.Checkbox(False, label="denoise")
        kind = gr.Dropdown(list(GRID_KINDS), value=GRID_KINDS[0], label="kind", allow_custom_value=True)
        paintings = gr.Dropdown(
            [p.caption for p in PAINTINGS], value=[], multiselect=True, label="paintings", allow_custom_value=True
        )
        result, grid, denoised = gr.File(label="image"), gr.File(label="grid"), gr.File(label="denoised")
        status, used = gr.Textbox(label="status"), gr.JSON(label="settings")
        found, all_presets = gr.JSON(label="settings"), gr.JSON(label="presets")
        photo, painting = gr.File(label="photo"), gr.File(label="painting")
        layer_kind = gr.Dropdown(list(KINDS), value="both", label="kind", allow_custom_value=True)
        cell_size, cell_steps = gr.Number(LAYERS_SIZE[2], label="size"), gr.Number(LAYERS_STEPS[2], label="steps")
        content_row, style_row = (
            gr.Gallery(label="content_row", format="png"),
            gr.Gallery(label="style_row", format="png"),
        )
        figure = gr.File(label="figure")
        clip, mp4, gif = gr.File(label="clip"), gr.File(label="mp4"), gr.File(label="gif")
        fps = gr.Number(VIDEO_FPS, label="fps")
        video_status = gr.Textbox(label="status")
        route = {
            name: gr.Button(visible=False)
            for name in ("stylize", "compare", "layers", "denoise", "png", "presets", "video")
        }
    common = {"preset": preset, "settings": settings}
    stylize_inputs = {"content": content, "style": style, **common, "more_styles": more_styles}
    route["stylize"].click(
        stylize, None, [result, status, used], api_name="stylize", **HEAVY_API,
        inputs_kwargs={**stylize_inputs, "denoise": denoise_flag},
    )  # fmt: skip
    route["compare"].click(
        make_compare(machine), None, [grid], api_name="compare", **HEAVY_API,
        inputs_kwargs={"content": content, "style": style, "kind": kind, "paintings": paintings, **common},
    )  # fmt: skip
    figure_inputs = {"photo": photo, "painting": painting, "kind": layer_kind, "size": cell_size, "steps": cell_steps}
    route["layers"].click(
        layers, None, [content_row, style_row, figure], api_name="layers", inputs_kwargs=figure_inputs, **HEAVY_API
    )
    route["denoise"].click(denoise, None, [denoised], inputs_kwargs={"image": image}, api_name="denoise", **HEAVY_API)
    route["png"].click(settings_from_png, None, [found], inputs_kwargs={"png": png}, api_name="settings_from_png")
    route["presets"].click(presets, None, [all_presets], api_name="presets")
    route["video"].click(
        video, None, [mp4, gif, video_status], api_name="video", **HEAVY_API,
        inputs_kwargs={"clip": clip, "style": style, **common, "fps": fps},
    )  # fmt: skip
