"""What a reload brings back: each browser keeps the names of its results (gr.BrowserState, in its own
localStorage), and a page that opens again shows them, the last one in the result area with its photo,
paintings and settings. Only names travel: each is checked on the server (ui.results.kept_result), and one
browser cannot name another's results, as the names are unguessable. A page whose last run never ended (it was
reloaded or closed meanwhile, or the server restarted) says so."""

from __future__ import annotations

import gradio as gr
from PIL import Image

from style_core import StyleConfig

from .controls import page_values
from .result_area import gallery_of
from .results import RESULT_MAX_AGE_S, kept_result, servable
from .session_limit import IDLE, RUNNING
from .stylize_inputs import StylizeInputs

# BrowserState encrypts what it stores with this, but the browser is given it to do so: it keeps nothing from
# whoever holds the browser. The names it stores are what is checked. A fixed value lets a restarted server
# read what its predecessor's pages stored.
STORAGE_SECRET = "style-transfer-studio-results"
INTERRUPTED = (
    "Your last run did not finish (the page was reloaded or closed while it ran, or the server restarted): "
    "press Run to make it again."
)


def render() -> tuple[gr.BrowserState, gr.BrowserState]:
    """The browser's list of its results' names, and whether a job of its is under way (RUNNING or IDLE:
    BrowserState never stores a value JavaScript counts as false, such as False itself)."""
    kept = gr.BrowserState([], storage_key="style_studio_results", secret=STORAGE_SECRET)
    running = gr.BrowserState(IDLE, storage_key="style_studio_running", secret=STORAGE_SECRET)
    return kept, running


def expired_line(count: int) -> str:
    results = "result has" if count == 1 else f"{count} results have"
    return f"Your earlier {results} expired (results are kept for {RESULT_MAX_AGE_S // 3600} hours)."


def restore(kept: list, running: dict, request: gr.Request, tab: StylizeInputs, history: gr.State) -> dict:
    """The page's update on load: the gallery and history from `kept`; without a share link, the last result
    in the area with what made it; a line for expired results and for a run that never ended."""
    names = [name for name in kept if isinstance(name, str)] if isinstance(kept, list) else []
    items = [item for item in map(kept_result, names) if item]
    lines = [INTERRUPTED] if running == RUNNING else []
    if len(items) < len(names):
        lines.append(expired_line(len(names) - len(items)))
    update = {history: items, tab.gallery: gallery_of(items), tab.running: IDLE}
    if request.query_params.get("share") is not None:  # the shared result takes the area (ui.share)
        for line in lines:
            gr.Warning(line)
        return update
    if items:
        update |= _show(tab, items[-1])
        lines.append(f"Your results from earlier are back ({len(items)} in the gallery); the last one is shown.")
    return update | {tab.result.status: " ".join(lines)} if lines else update


def _show(tab: StylizeInputs, item: dict) -> dict:
    """The area, inputs and controls as they were for `item`."""
    area = tab.result
    image, before = Image.open(item["path"]), Image.open(item["before"])
    styles = [servable(path) for path in item["styles"]] + [None]
    return {
        area.image: image, area.before_after: (before, image), area.download: servable(item["path"]),
        area.shown: item, tab.content: servable(item["content"]), tab.style: styles[0], tab.second_style: styles[1],
        tab.clean_up: item["clean_up"], tab.share: gr.Button(interactive=True),
    } | page_values(StyleConfig.from_dict(item["settings"]), tab.controls)  # fmt: skip


def wire(page: gr.Blocks, tab: StylizeInputs, history: gr.State) -> None:
    """Restore on load; keep the browser's list of names up to date with the history."""
    area = tab.result
    outputs = [history, tab.gallery, tab.running, area.status, area.image, area.before_after, area.download, area.shown]
    outputs += [tab.content, tab.style, tab.second_style, tab.clean_up, tab.share, *tab.controls.values()]

    def on_load(kept: list, running: dict, request: gr.Request) -> dict:
        return restore(kept, running, request, tab, history)

    page.load(on_load, [tab.kept, tab.running], outputs, api_visibility="private", show_progress="hidden")
    history.change(
        lambda items: [item["id"] for item in items or [] if "id" in item], [history], [tab.kept],
        api_visibility="private", queue=False,
    )  # fmt: skip
