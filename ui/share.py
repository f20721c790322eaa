"""Share links: a finished result kept with its photo, paintings and settings under an unguessable name, and
the page's own address with `?share=<name>`, which opens it again, ready to run, in any browser.

Gradio's gr.DeepLinkButton saves every component's value but points at upload-cache files that the cache
cleanup removes, after which the page opens broken; a share here owns copies of its files, and an expired or
mistyped link says so in one line.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from PIL import Image

from style_core import StyleConfig
from style_core.files import written_whole

from .controls import page_values
from .data import data_folder, remove_older_than
from .results import servable
from .stylize_inputs import StylizeInputs

SHARE_MAX_AGE_S = 24 * 3600
MAX_SHARES = 300  # the oldest go first beyond this: each holds a photo, one or two paintings and a result
NAME = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)
EXPIRED = "This shared result has expired (shared results are kept for 24 hours): ask for a new link, or run it again."
NOT_A_LINK = "This share link is not valid: check that the whole link was copied."
# The link is made in the browser from the address it shows (a Space's own address, a --share link, localhost):
# the server cannot know the public address it is reached by.
LINK_JS = """(name) => {
    if (!name) return "";
    const url = new URL(window.location.href);
    url.search = ""; url.hash = "";
    url.searchParams.set("share", name);
    navigator.clipboard?.writeText(url.toString()).catch(() => {});
    return url.toString();
}"""


class ShareError(Exception):
    """A share link that cannot be opened; the message is for the user."""


@dataclass(frozen=True)
class Share:
    content: Path
    styles: list[Path]
    result: Path
    before: Path
    settings: dict
    clean_up: bool
    caption: str
    regions: bool  # the run had painted regions, which a share does not carry


def save_share(item: dict) -> str:
    """Copy one history item's files (see ui.results.save_result) into a new share; its name for the link."""
    remove_older_than(data_folder("shares"), SHARE_MAX_AGE_S, keep_newest=MAX_SHARES)
    name = secrets.token_urlsafe(16)
    folder = data_folder("shares") / name
    folder.mkdir()
    # The upload itself may be gone from Gradio's cache: then the photo at the result's size stands in.
    content = item.get("content") if Path(item.get("content") or "").is_file() else item["before"]
    files = {"content": content, "result": item["path"], "before": item["before"]}
    files |= {f"style_{n}": path for n, path in enumerate(item.get("styles", [])) if Path(path).is_file()}
    for key, path in files.items():
        shutil.copyfile(path, folder / f"{key}{Path(path).suffix.lower()}")
    record = {key: f"{key}{Path(path).suffix.lower()}" for key, path in files.items()}
    record |= {key: item.get(key) for key in ("settings", "caption", "clean_up", "regions")}
    with written_whole(folder / "share.json") as partial:  # written last: a folder without it is no share
        partial.write_text(json.dumps(record))
    return name


def open_share(name: str) -> Share:
    """The share called `name`, or ShareError with the reason a user can act on."""
    if not NAME.fullmatch(name or ""):
        raise ShareError(NOT_A_LINK)
    folder = data_folder("shares") / name
    try:
        record = json.loads((folder / "share.json").read_text())
        if time.time() - (folder / "share.json").stat().st_mtime > SHARE_MAX_AGE_S:
            raise ShareError(EXPIRED)
        styles = [folder / record[key] for key in sorted(record) if key.startswith("style_")]
        share = Share(
            folder / record["content"], styles, folder / record["result"], folder / record["before"],
            record["settings"], bool(record["clean_up"]), record["caption"], bool(record["regions"]),
        )  # fmt: skip
        for path in (share.content, share.result, share.before, *share.styles):
            with Image.open(path) as image:
                image.verify()  # a missing or damaged file: the share cannot be shown
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        raise ShareError(EXPIRED) from None
    return share


def render(shown: gr.State) -> gr.Button:
    """The Share button under a result and the box its link appears in (with a copy button)."""
    with gr.Row(equal_height=True):
        button = gr.Button("Share this result", interactive=False, elem_id="share", scale=1)
        link = gr.Textbox(
            label="Link to this result", placeholder="Press Share this result: a link anyone can open appears here",
            buttons=["copy"], interactive=False, elem_id="share-link", scale=4,
        )  # fmt: skip
        name = gr.Textbox(visible="hidden")

    def new_result(item: dict | None) -> tuple:
        return gr.Button(interactive=item is not None), ""

    def make_share(item: dict | None) -> str:
        if not item:
            raise gr.Error("Run first: there is no result to share yet.")
        try:
            return save_share(item)
        except OSError as error:
            raise gr.Error(f"The result could not be saved for sharing ({error.strerror}): run it again.") from None

    shown.change(new_result, [shown], [button, link], api_visibility="private", queue=False)
    button.click(make_share, [shown], [name], api_visibility="private").success(
        None, [name], [link], js=LINK_JS, api_visibility="private"
    )
    return button


def open_on_load(page: gr.Blocks, tab: StylizeInputs) -> None:
    """A page opened with ?share=<name> shows that share's photo, paintings, settings and result."""
    area = tab.result

    def restore(request: gr.Request) -> dict:
        name = request.query_params.get("share")
        if name is None:  # (an empty dict would be taken as one value, not as "change nothing")
            return {area.status: gr.skip()}
        try:
            shared = open_share(name)
        except ShareError as error:
            gr.Warning(str(error))
            return {area.status: str(error)}
        result, before = Image.open(shared.result), Image.open(shared.before)
        second = servable(shared.styles[1]) if len(shared.styles) > 1 else None
        status = f"A shared result: {shared.caption}. Press Run to make it again, or change the settings first."
        if shared.regions:
            status += " It was made with painted regions, which a link does not carry: paint them again."
        return {
            tab.content: servable(shared.content), tab.style: servable(shared.styles[0]), tab.second_style: second,
            tab.clean_up: shared.clean_up, area.image: result, area.before_after: (before, result),
            area.download: servable(shared.result), area.status: status, area.shown: history_item(shared),
            tab.share: gr.Button(interactive=True),
        } | page_values(StyleConfig.from_dict(shared.settings), tab.controls)  # fmt: skip

    outputs = [tab.content, tab.style, tab.second_style, tab.clean_up, *tab.controls.values()]
    outputs += [area.image, area.before_after, area.download, area.status, area.shown, tab.share]
    page.load(restore, None, outputs, api_visibility="private", show_progress="hidden")


def history_item(shared: Share) -> dict:
    """The share as the page's history holds a result (ui.results.save_result), so it can be shared again."""
    paths = {"path": str(shared.result), "before": str(shared.before), "content": str(shared.content)}
    return paths | {
        "styles": [str(path) for path in shared.styles], "settings": shared.settings, "caption": shared.caption,
        "clean_up": shared.clean_up, "regions": shared.regions,
    }  # fmt: skip
