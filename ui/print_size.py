"""Print size on the Stylize tab: the result on view taken to PRINT_SIZE px (style_core.config.print_settings),
refined tile by tile in bounded memory (style_core.tiles). The page's size limit holds everywhere else."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from style_core import StyleConfig
from style_core.config import PRINT_SIZE, print_settings

from .gpu import config_or_none, gpu, gpu_seconds
from .jobs import stylize_job
from .machine import Machine, duration, photo_aspect
from .regions import masks_from_editor
from .result_area import ResultArea, finished
from .results import save_result
from .session_limit import heavy_click

GONE = (
    "This result's photo or painting is no longer on the server (uploads are kept for two hours): "
    "run it again, then press Print size."
)


def render() -> tuple[gr.Button, gr.Markdown]:
    """The button and the line saying what it will take (wired by `wire`)."""
    with gr.Row(equal_height=True):
        button = gr.Button(f"Print size ({PRINT_SIZE} px)", interactive=False, elem_id="print", scale=1)
        line = gr.Markdown(
            f"Takes the result on view to {PRINT_SIZE} px for printing: the painting's strokes redrawn at that "
            "resolution, tile by tile.", elem_id="print-expected",
        )  # fmt: skip
    return button, line


def print_seconds(item, regions, history, request=None, progress=None) -> float:
    settings = (item or {}).get("settings")
    return gpu_seconds(config_or_none(lambda: print_settings(StyleConfig.from_dict(settings))))


@gpu(print_seconds)
def print_job(
    item: dict | None, regions: dict | None, history: list[dict], request: gr.Request, progress=gr.Progress()
):
    """Stream previews of the print, then the print, a gallery entry, a before/after pair and its PNG; a
    stopped print leaves its picture for Stop (ui.stopped), from which a later print goes on."""
    if not item:
        raise gr.Error("Run first: Print size enlarges a finished result.")
    styles = item.get("styles") or []
    if not styles or not all(Path(path).is_file() for path in [item.get("content") or "", *styles, item["path"]]):
        raise gr.Error(GONE)
    masks = masks_from_editor(regions, len(styles)) if item.get("regions") else None
    if item.get("regions") and masks is None:
        raise gr.Error("This result was made with painted regions: paint them again, then press Print size.")
    config = print_settings(StyleConfig.from_dict(item["settings"]), PRINT_SIZE)
    history = list(history or [])
    session = request.session_hash
    job = stylize_job(item["content"], styles, config, False, progress, masks, start=item["path"], session=session)
    for image, status, result in job:
        if result is None:
            yield image if image is not None else gr.skip(), status, *[gr.skip()] * 5
        else:
            path, before = save_result(result, item["content"], history, False, styles, regions=masks is not None)
            yield finished(result, status, before, path, history)


def wire(
    machine: Machine,
    button: gr.Button,
    line: gr.Markdown,
    area: ResultArea,
    history: gr.State,
    results: gr.Gallery,
    regions: gr.ImageEditor,
    running: gr.BrowserState,
) -> gr.events.Dependency:
    """`button` (from `render`) enabled, with its expected time in `line`, while a result smaller than a print
    (or a stopped print) is on view in `area`; its job (returned, for Stop) adds the print to `history` and
    `results`."""

    def on_view(item: dict | None) -> tuple:
        if not item:
            return gr.Button(interactive=False), gr.skip()
        made = StyleConfig.from_dict(item["settings"])
        if made.size >= PRINT_SIZE and not item.get("stopped"):
            return gr.Button(interactive=False), f"This result is already {made.size} px."
        seconds = machine.seconds(print_settings(made), aspect=photo_aspect(item.get("path")))
        line = f"Takes this result to {PRINT_SIZE} px for printing, tile by tile: about {duration(seconds)} here."
        if made.size >= PRINT_SIZE:  # a stopped print
            line = f"Goes on with this stopped print, tile by tile: about {duration(seconds)} here."
        return gr.Button(interactive=True), line

    area.shown.change(on_view, [area.shown], [button, line], api_visibility="private", queue=False)
    outputs = [area.image, area.status, results, area.before_after, area.download, history, area.shown]
    return heavy_click(
        button, print_job, [area.shown, regions, history], outputs, running, api_visibility="private",
        show_progress="minimal", show_progress_on=[area.image],
    )  # fmt: skip
