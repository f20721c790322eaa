"""The Stylize tab while you choose: the instant preview (the feed-forward network's picture, style_core.preview)
in the result area as soon as a photo and a painting are both there and on every change of painting, blend,
strength or colour preservation; and the sheet of the photo in every painting, a click on one choosing it.

Previews are cheap but not free. They run one at a time on their own thread (its memory bounded, as the
engine's), beside the heavy jobs' queue; while a job runs, they are paced to take at most JOB_SHARE of the
machine, so a Run's wait hardly grows however many people are choosing; only the newest of a user's pending
previews runs (trigger_mode "always_last"); and none replaces the pictures of a job started while it was made.
The Live tab's frames go the same way."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import gradio as gr
from PIL import Image

from style_core import StyleConfig, StyleCoreError, load_image
from style_core.preview import instant_preview
from style_core.transfer import at_output_size

from .controls import values_to_config
from .engine_thread import engine_busy
from .examples import PAINTINGS, example_painting
from .jobs import user_errors
from .results import preview_file
from .session_limit import heavy_jobs_of, job_asked_since

T = TypeVar("T")

PREVIEWS = {"trigger_mode": "always_last", "concurrency_limit": 4, "concurrency_id": "preview"}
JOB_SHARE = 0.04  # while a job runs, the most of the machine's time previews may take (bench/load.py)


def paced(make: Callable[[], T]) -> T:
    """`make()` on the preview thread, after the pause that keeps previews within JOB_SHARE while a job runs."""
    return _preview_thread.submit(_pace_then, make).result()


def _pace_then(make: Callable[[], T]) -> T:
    if engine_busy():
        rest = _last["took"] * (1 / JOB_SHARE - 1) - (time.perf_counter() - _last["end"])
        if rest > 0:
            time.sleep(rest)  # the running job's share of the machine, kept
    started = time.perf_counter()
    try:
        return make()
    finally:
        _last["end"] = time.perf_counter()
        _last["took"] = _last["end"] - started


_preview_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview")
_last = {"end": 0.0, "took": 0.0}
SHEET_CELL = 256  # px, long side: seven cells in about two seconds on a 2-core CPU
# The controls whose change changes the preview (the others shape only the full run).
PREVIEW_CONTROLS = ("strength", "color", "style_blend")


def preview(content, style, second_style, request: gr.Request, **settings) -> tuple:
    """The instant preview and its status line; nothing while a photo or painting is missing, the settings
    do not parse yet, or a job of this session owns the result area: one running, or one started while this
    preview was made (a quick run may have finished by then, and its result stays)."""
    asked = time.monotonic()
    if not content or not style or heavy_jobs_of(request):
        return gr.skip(), gr.skip()
    try:
        config = values_to_config(settings)
        started = time.perf_counter()
        picture = paced(lambda: instant_preview(content, [s for s in (style, second_style) if s], config))
    except StyleCoreError:
        return gr.skip(), gr.skip()  # the page's other checks say what is wrong, at Run
    if job_asked_since(request, asked):
        return gr.skip(), gr.skip()
    seconds = time.perf_counter() - started
    status = (
        f"Instant preview ({seconds:.1f} s, the feed-forward network) at {config.size} px: press Run for the full "
        "result, the painting's own strokes and textures."
    )
    return preview_file(picture), status


def warm_up() -> None:
    """The example paintings' style vectors, worked out once at start (style_core.preview keeps them), so the
    first preview with each is as quick as the next."""
    photo = Image.new("RGB", (64, 64), "gray")
    for painting in PAINTINGS:
        instant_preview(photo, [painting.path], StyleConfig(size=64))


def wire(
    triggers: Sequence, picks: Sequence[gr.events.Dependency], inputs: list, controls: dict, outputs: list
) -> None:
    """Previews into `outputs` (the result image, the status) after each of `triggers` and `picks` (example
    clicks); `inputs` are the photo, painting and second painting, `controls` every setting."""
    options = {"show_progress": "hidden", **PREVIEWS}
    triggers = [*triggers, *(controls[name].input for name in PREVIEW_CONTROLS)]
    # Named, for bench/load.py's previewing users; undocumented, as the page's other own events.
    gr.on(triggers, preview, inputs, outputs, inputs_kwargs=controls, api_name="preview_page",
          api_visibility="undocumented", **options)  # fmt: skip
    for pick in picks:
        pick.then(preview, inputs, outputs, inputs_kwargs=controls, api_visibility="private", **options)


def sheet_paintings(style: str | None) -> list[tuple[str, str]]:
    """(path, caption) of each example painting, after the painting in use if it is not one of them."""
    paintings = [(str(p.path), p.caption) for p in PAINTINGS]
    return ([(style, "Your painting")] if style and example_painting(style) is None else []) + paintings


def sheet_cells(content: str | None, paintings: list[tuple[str, str]], settings: dict) -> list[tuple]:
    """(picture, caption) of the photo in each of `paintings`."""
    if not content:
        raise gr.Error("Upload a content photo first (or click an example photo).")
    with user_errors():  # a setting that does not parse, a photo that cannot be read or is too thin for a cell
        config = values_to_config(settings).replace(size=SHEET_CELL)
        # Read and shrunk to the cell once, not once a cell: a camera's photo takes a second each time.
        photo = at_output_size(load_image(content, "content image"), SHEET_CELL)
        return paced(lambda: [(instant_preview(photo, [path], config), caption) for path, caption in paintings])


def render_sheet() -> tuple[gr.Button, gr.Gallery]:
    """The button and the sheet, hidden until made (wired by `wire_sheet`)."""
    with gr.Row(equal_height=True):
        button = gr.Button("Try every painting on this photo", elem_id="try-all", scale=1)
        gr.Markdown(
            "The photo in each example painting at once, by the feed-forward network (a second or two): click one "
            "to use it.", elem_id="try-all-info",
        )  # fmt: skip
    sheet = gr.Gallery(
        label="Your photo in every painting: click one to use it", columns=8, height=220, format="jpeg",
        allow_preview=False, visible=False, elem_id="sheet", buttons=[],
    )  # fmt: skip
    return button, sheet


def wire_sheet(
    parts: tuple[gr.Button, gr.Gallery], content: gr.Image, style: gr.Image, info: gr.Markdown, controls: dict
) -> gr.events.Dependency:
    """The button makes the sheet; a click on a cell puts its painting in `style` and its credit in `info` (that
    event returned, to chain on)."""
    button, sheet = parts
    shown = gr.State([])  # the sheet's paintings, in its order

    def make(content: str | None, style: str | None, **settings) -> tuple:
        paintings = sheet_paintings(style)
        cells = sheet_cells(content, paintings, settings)
        return gr.Gallery(cells, visible=True), [path for path, _ in paintings]

    def choose(chosen: list[str], evt: gr.SelectData) -> tuple:
        painting = example_painting(chosen[evt.index])
        return chosen[evt.index], painting.credit if painting else ""

    button.click(make, [content, style], [sheet, shown], inputs_kwargs=controls, api_visibility="private")
    return sheet.select(choose, [shown], [style, info], api_visibility="private")
