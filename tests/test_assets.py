"""What a first visit downloads (ui/assets.py): Gradio's scripts and styles sent from memory, the same bytes,
compressed, kept by the browser; and the page itself compressed."""

from __future__ import annotations

import gzip
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from gradio.routes import BUILD_PATH_LIB


def test_the_pages_scripts_come_whole_compressed_and_kept_by_the_browser(page_url):
    script = re.search(r"/assets/(index-[\w-]+\.js)", httpx.get(page_url).text).group(1)
    on_disk = (Path(BUILD_PATH_LIB) / script).read_bytes()
    for _ in range(2):  # the first answer is kept; the second comes from memory
        answer = httpx.get(f"{page_url}assets/{script}", headers={"Accept-Encoding": "gzip"})
        assert answer.headers["content-encoding"] == "gzip"
        assert "immutable" in answer.headers["cache-control"]
        assert int(answer.headers["content-length"]) < len(on_disk) / 2
        assert answer.content == on_disk
    # Another spelling of the same file is answered, but not kept: the memory holds each file once.
    respelled = raw_get(page_url, f"/assets/x/../{script}")
    assert respelled.status == 200 and "immutable" not in (respelled.getheader("cache-control") or "")
    plain = httpx.get(f"{page_url}assets/{script}", headers={"Accept-Encoding": "identity"})
    assert plain.content == on_disk and "content-encoding" not in plain.headers


def raw_get(page_url: str, path: str) -> http.client.HTTPResponse:
    """GET `path` as written (httpx would tidy its dots away)."""
    address = urlsplit(page_url)
    connection = http.client.HTTPConnection(address.hostname, address.port)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer


def test_a_missing_or_outside_asset_is_still_refused(page_url):
    for path in ["/assets/no-such-file.js", "/assets/../../blocks.py", "/assets/%2e%2e/%2e%2e/blocks.py"]:
        answer = raw_get(page_url, path)
        assert answer.status in (403, 404), path
        assert "immutable" not in (answer.getheader("cache-control") or "")


def test_the_page_itself_comes_compressed_to_a_client_that_takes_it(page_url):
    plain = httpx.get(page_url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    for path in ("", "?share=abc", "config"):  # the page, the page opened from a share link, its configuration
        with httpx.stream("GET", page_url + path, headers={"Accept-Encoding": "gzip"}) as answer:
            sent = b"".join(answer.iter_raw())
            assert answer.headers["content-encoding"] == "gzip", path
        whole = gzip.decompress(sent)
        assert len(sent) < len(whole) / 5  # Gradio sent it whole: some 450 KB for the page
        if path == "":
            assert whole == plain.content
