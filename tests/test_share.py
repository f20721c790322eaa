"""Share links: a share keeps its own copies of a result's files; an old, missing or mangled link gets one line."""

import json
import os
import time

import pytest
from PIL import Image

from style_core import StyleConfig
from ui import share
from ui.data import DATA_ENV
from ui.share import EXPIRED, NOT_A_LINK, ShareError, open_share, save_share


@pytest.fixture
def shares(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    return tmp_path / "data" / "shares"


@pytest.fixture
def item(tmp_path) -> dict:
    """A history item as ui.results.save_result writes it."""
    paths = {}
    images = {"content": ("red", (90, 60)), "style": ("blue", (50, 50)), "result": ("green", (48, 32))}
    for name, (colour, size) in images.items():
        paths[name] = tmp_path / f"{name}.png"
        Image.new("RGB", size, colour).save(paths[name])
    paths["before"] = tmp_path / "before.png"
    Image.new("RGB", (48, 32), "red").save(paths["before"])
    settings = StyleConfig(size=96, strength=2.5).to_dict()
    return {
        "path": str(paths["result"]), "before": str(paths["before"]), "caption": "48 px", "settings": settings,
        "content": str(paths["content"]), "styles": [str(paths["style"])], "clean_up": True, "regions": False,
    }  # fmt: skip


def test_a_share_reopens_with_its_own_copies_of_the_files_and_the_exact_settings(shares, item):
    name = save_share(item)
    for path in (item["path"], item["before"], item["content"], *item["styles"]):  # cleaned up by the page later
        os.remove(path)
    shared = open_share(name)
    assert Image.open(shared.content).size == (90, 60) and Image.open(shared.result).size == (48, 32)
    assert [Image.open(path).getpixel((0, 0)) for path in shared.styles] == [(0, 0, 255)]
    assert StyleConfig.from_dict(shared.settings) == StyleConfig(size=96, strength=2.5)
    assert shared.clean_up and shared.caption == "48 px"
    assert all(path.parent == shares / name for path in (shared.content, shared.result, *shared.styles))


def test_when_the_upload_is_gone_the_photo_at_the_results_size_stands_in(shares, item):
    os.remove(item["content"])
    assert Image.open(open_share(save_share(item)).content).size == (48, 32)


@pytest.mark.parametrize("name", ["", "../../etc/passwd", "a" * 21, "a" * 23, "share.json", "aaaaaaaaaaaaaaaaaaaa/."])
def test_a_mangled_link_says_it_is_not_valid(shares, name):
    with pytest.raises(ShareError, match=NOT_A_LINK):
        open_share(name)


def test_an_unknown_old_or_damaged_share_says_it_has_expired(shares, item):
    with pytest.raises(ShareError, match="expired"):
        open_share("x" * 22)
    old, damaged = save_share(item), save_share(item)
    long_ago = time.time() - share.SHARE_MAX_AGE_S - 60
    os.utime(shares / old / "share.json", (long_ago, long_ago))
    with pytest.raises(ShareError, match="expired"):
        open_share(old)
    (shares / damaged / json.loads((shares / damaged / "share.json").read_text())["result"]).unlink()
    with pytest.raises(ShareError) as error:
        open_share(damaged)
    assert str(error.value) == EXPIRED


@pytest.mark.parametrize("part", ["result", "content", "share.json"])
def test_a_share_with_a_corrupt_file_says_it_has_expired(shares, item, part):
    name = save_share(item)
    record = json.loads((shares / name / "share.json").read_text())
    damaged = shares / name / record.get(part, part)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 3])  # a disk that filled up, say
    with pytest.raises(ShareError) as error:
        open_share(name)
    assert str(error.value) == EXPIRED


def test_old_shares_are_removed_and_their_number_is_capped(shares, item, monkeypatch):
    old = save_share(item)
    long_ago = time.time() - share.SHARE_MAX_AGE_S - 60
    os.utime(shares / old, (long_ago, long_ago))
    monkeypatch.setattr(share, "MAX_SHARES", 2)
    names = [save_share(item) for _ in range(3)]
    assert not (shares / old).exists()
    assert len(list(shares.iterdir())) == 3  # two kept before the newest was made
    assert (shares / names[-1]).is_dir()


def test_the_page_opened_with_or_without_a_share_link_gets_a_valid_update(shares, item, launched_page):
    """Gradio takes a handler's dict as "these components' new values" only when it is not empty: an empty one
    is one value for all the outputs, and every page load would fail."""
    from types import SimpleNamespace

    restore = next(fn for fn in launched_page.fns.values() if fn.name == "restore")
    name = save_share(item)
    for query in ({}, {"share": name}, {"share": "x" * 22}):
        update = restore.fn(SimpleNamespace(query_params=query))
        assert update and set(update) <= set(restore.outputs)
    assert len(restore.fn(SimpleNamespace(query_params={"share": name}))) == len(restore.outputs)
