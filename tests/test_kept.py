"""Results a browser keeps: saved whole under an unguessable name with copies of what made them, brought back
by that name only (never by a path, a forged or an expired name), and a reload's update saying what it found."""

import json
import os
import time
from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from style_core import StyleConfig
from style_core.pipeline import Result
from ui import results
from ui.data import DATA_ENV
from ui.results import RESULT_MAX_AGE_S, kept_result, save_result
from ui.session_limit import IDLE, RUNNING


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def made(tmp_path) -> tuple[Result, str, list[str]]:
    content, style = tmp_path / "photo.jpg", tmp_path / "painting.png"
    Image.new("RGB", (90, 60), "red").save(content)
    Image.new("RGB", (50, 50), "blue").save(style)
    result = Result(Image.new("RGB", (96, 64), "green"), StyleConfig(size=96, strength=2.5), None, 1.0)
    return result, str(content), [str(style)]


def test_a_kept_result_comes_back_by_its_name_with_its_own_copies(data, made, tmp_path):
    result, content, styles = made
    history = []
    path, before = save_result(result, content, history, True, styles)
    assert before.size == (96, 64) and path.is_file()
    for upload in (content, *styles):  # Gradio's upload cache is cleaned later
        os.remove(upload)
    item = kept_result(history[0]["id"])
    assert item == history[0]
    assert Image.open(item["content"]).size == (90, 60) and Image.open(item["styles"][0]).size == (50, 50)
    assert StyleConfig.from_dict(item["settings"]).strength == 2.5 and item["clean_up"] is True


@pytest.mark.parametrize("name", ["", "../../etc", "x" * 22, "a" * 21, None, 7, "/etc/passwd", "share.json"])
def test_a_forged_or_unknown_name_brings_back_nothing(data, name):
    assert kept_result(name) is None


def test_an_old_or_damaged_result_is_gone(data, made):
    result, content, styles = made
    history = []
    for _ in range(3):
        save_result(result, content, history, False, styles)
    old, damaged, whole = (item["id"] for item in history)
    long_ago = time.time() - RESULT_MAX_AGE_S - 60
    os.utime(data / "results" / old / "item.json", (long_ago, long_ago))
    png = data / "results" / damaged / json.loads((data / "results" / damaged / "item.json").read_text())["path"]
    png.write_bytes(png.read_bytes()[:100])
    assert kept_result(old) is None and kept_result(damaged) is None and kept_result(whole) is not None


def test_a_full_disk_gives_one_line_and_leaves_nothing_half_made(data, made, monkeypatch):
    result, content, styles = made

    def full_disk(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Result, "save", full_disk)
    history = []
    with pytest.raises(gr.Error, match=r"could not save the result \(No space left on device\): try again later"):
        save_result(result, content, history, False, styles)
    assert history == [] and list((data / "results").iterdir()) == []


def on_load(launched_page):
    return next(fn for fn in launched_page.fns.values() if fn.name == "on_load")


def test_a_reload_brings_back_the_browsers_results_and_says_what_it_could_not(data, made, launched_page):
    result, content, styles = made
    history = []
    save_result(result, content, history, False, styles)
    restore = on_load(launched_page)
    history_state = restore.outputs[0]

    def update(kept, running, query=None):
        values = restore.fn(kept, running, SimpleNamespace(query_params=query or {}))
        assert set(values) <= set(restore.outputs)
        named = {component.elem_id: value for component, value in values.items() if component.elem_id}
        return named | {"history": values[history_state]}

    fresh = update([], IDLE)
    assert fresh["history"] == [] and "status" not in fresh  # a first visit: nothing to say
    back = update([history[0]["id"], "x" * 22], RUNNING)
    assert [item["id"] for item in back["history"]] == [history[0]["id"]]
    assert back["content-input"].endswith(".jpg") and back["result"].size == (96, 64)
    assert "Your last run did not finish" in back["status"]
    assert "Your earlier result has expired (results are kept for 2 hours)" in back["status"]
    shared = update([history[0]["id"]], IDLE, {"share": "x" * 22})  # the share link takes the area
    assert len(shared["history"]) == 1 and "result" not in shared and "content-input" not in shared


def test_old_outputs_are_removed_when_new_ones_are_made(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    old = results.result_path(".zip")
    long_ago = time.time() - RESULT_MAX_AGE_S - 60
    os.utime(old, (long_ago, long_ago))
    fresh = results.result_path()
    assert not old.exists() and fresh.exists()


def test_a_stopped_print_can_go_on_and_a_finished_one_cannot(launched_page):
    on_view = next(fn for fn in launched_page.fns.values() if fn.name == "on_view")
    settings = StyleConfig(size=2048, scales=1, iterations=4).to_dict()
    button, line = on_view.fn({"settings": settings, "path": None, "stopped": {"step": 8, "of": 24}})
    assert button.interactive and line.startswith("Goes on with this stopped print")
    button, line = on_view.fn({"settings": settings, "path": None, "stopped": None})
    assert not button.interactive and line == "This result is already 2048 px."
