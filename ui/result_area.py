"""The result area under Run: the result, the before/after slider, the downloads and the drop zone that
restores a result PNG's settings (`render`), and the session's gallery of results (`render_gallery`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from PIL import Image

from style_core import StyleConfig
from style_core.pipeline import Result

from .controls import page_values
from .results import servable, zip_history


@dataclass
class ResultArea:
    """Where a finished result shows; `shown` holds the history item on view (what Share shares)."""

    image: gr.Image
    before_after: gr.ImageSlider
    download: gr.File
    status: gr.Markdown
    shown: gr.State


def render(history: gr.State, status: gr.Markdown) -> tuple[ResultArea, gr.File]:
    """The result, the slider and the download row; the area and the restore drop zone."""
    shown = gr.State(None)
    with gr.Row():
        result = gr.Image(label="Result", format="png", type="pil", interactive=False, height=420, elem_id="result")
        before_after = gr.ImageSlider(label="Before / after", format="png", type="pil", elem_id="before-after")
    with gr.Row():
        download = gr.File(label="Download PNG (settings embedded)", interactive=False, elem_id="download")
        download_all = gr.DownloadButton("Download all results (zip)", value=None, interactive=False)
        restore = gr.File(
            label="Drop a result PNG here to restore its settings", file_types=[".png"], elem_id="restore"
        )
    history.change(_zip_button, [history], [download_all], api_visibility="private")
    return ResultArea(result, before_after, download, status, shown), restore


def finished(result: Result, status: str, before: Image.Image, path: Path, history: list[dict]) -> tuple:
    """A finished run's outputs, in the order its events list them: the result, the status, the gallery, the
    before/after pair, the PNG, the history and the item on view."""
    return result.image, status, gallery_of(history), (before, result.image), servable(path), history, history[-1]


def gallery_of(history: list[dict]) -> list[tuple[str, str]]:
    return [(servable(item["path"]), thumbnail_caption(n, item)) for n, item in enumerate(history, start=1)]


def thumbnail_caption(number: int, item: dict) -> str:
    """What fits under a thumbnail: its number, size and strength (a click shows the whole settings line)."""
    config = StyleConfig.from_dict(item["settings"])
    notes = ["stopped"] * bool(item.get("stopped")) + ["denoised"] * bool(item.get("clean_up"))
    return ", ".join([f"{number}. {config.size} px", f"strength {config.strength:g}", *notes])


def render_gallery(history: gr.State, area: ResultArea, controls: dict) -> gr.Gallery:
    """This browser's results; a click shows one in the area and puts its settings back in the controls."""
    results = gr.Gallery(
        label="Your results (kept for two hours, through a reload): click one to see it and restore its settings",
        columns=6, height=220, format="png", elem_id="results", object_fit="contain", preview=False,
    )  # fmt: skip

    def show_item(history: list[dict], evt: gr.SelectData) -> dict:
        item = history[evt.index]
        if not (Path(item["path"]).is_file() and Path(item["before"]).is_file()):
            raise gr.Error("This result has expired (results are kept for two hours): run it again.")
        image, before = Image.open(item["path"]), Image.open(item["before"])
        values = page_values(StyleConfig.from_dict(item["settings"]), controls)
        shown = {area.image: image, area.before_after: (before, image), area.download: servable(item["path"])}
        return shown | {area.shown: item, area.status: f"One of your results: {item['caption']}", **values}

    outputs = [area.image, area.before_after, area.download, area.shown, area.status, *controls.values()]
    results.select(show_item, [history], outputs, api_visibility="private")
    return results


def _zip_button(history: list[dict]) -> gr.DownloadButton:
    path = zip_history(history)
    return gr.DownloadButton(value=path, interactive=path is not None)
