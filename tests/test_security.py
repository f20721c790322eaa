"""The routes read only what a user uploaded and serve only what a run made (a share only through its link):
raw HTTP requests, as an attacker would send them (gradio_client uploads files from its own disk, so it cannot
send a server path)."""

from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from ui.data import data_folder
from ui.results import RESULTS_DIR
from ui.share import save_share

from .conftest import ROOT

pytestmark = pytest.mark.slow
SERVER_FILES = ["/etc/passwd", str(ROOT / "app.py"), str(ROOT / "examples" / "contents" / "cat.jpg")]


@pytest.fixture(scope="module")
def url(page_url):
    return page_url


def _file_data(path: str) -> dict:
    return {"path": path, "orig_name": "photo.png", "meta": {"_type": "gradio.FileData"}}


@pytest.mark.parametrize("server_file", SERVER_FILES)
def test_a_file_field_naming_a_server_path_is_refused_at_the_queue_and_nothing_runs(url, server_file):
    routes = httpx.get(f"{url}config").json()["dependencies"]
    stylize = next(route["id"] for route in routes if route.get("api_name") == "stylize")
    results_before = set(RESULTS_DIR.glob("*")) if RESULTS_DIR.exists() else set()
    body = {
        "data": [_file_data(server_file), _file_data(SERVER_FILES[2]), "balanced", {"size": 64}, [], False],
        "fn_index": stylize, "session_hash": "not-a-browser", "event_data": None, "trigger_id": None,
    }  # fmt: skip
    answer = httpx.post(f"{url}gradio_api/queue/join", json=body)
    assert answer.status_code == 400
    assert "not uploaded by a user" in answer.json()["detail"]
    assert (set(RESULTS_DIR.glob("*")) if RESULTS_DIR.exists() else set()) == results_before  # no job ran


def test_a_result_does_not_open_the_servers_files_or_other_results(url, content_path, style_path):
    client = Client(url, download_files=False, verbose=False)  # the result as the server's URL, not a download
    job = client.submit(
        content=handle_file(str(content_path)), style=handle_file(str(style_path)), preset="fast_preview",
        settings={"size": 64, "iterations": 1}, api_name="/stylize",
    )  # fmt: skip
    result = job.result(timeout=120)[0]
    stranger = httpx.Client(base_url=url)
    assert stranger.get(result["url"]).status_code == 200  # a result's own link is its holder's to share
    served = result["url"].split("file=", 1)[1]
    made = sorted(RESULTS_DIR.glob("stylized_*"), key=lambda path: path.stat().st_mtime)[-1]
    # Not its folder, nor where the app wrote it, nor the server's own files.
    for path in [str(Path(served).parent), str(made), str(RESULTS_DIR), *SERVER_FILES]:
        answer = stranger.get(f"gradio_api/file={path}")
        assert answer.status_code in (403, 404), (path, answer.status_code)
        assert b"root:" not in answer.content


def test_a_share_link_opens_only_through_the_page_never_its_files_by_path(url, tmp_path):
    image = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), "red").save(image)
    item = {"path": str(image), "before": str(image), "content": str(image), "styles": [str(image)]}
    name = save_share(item | {"settings": {}, "caption": "", "clean_up": False, "regions": False})
    stranger = httpx.Client(base_url=url)
    shares = data_folder("shares")
    for path in [shares, shares / name, *sorted((shares / name).iterdir())]:
        answer = stranger.get(f"gradio_api/file={path}")
        assert answer.status_code in (403, 404), (path, answer.status_code)
    assert stranger.get(f"?share={name}").status_code == 200  # the page itself, which then loads the share
