"""README's picture of the page, taken from the running app: `python -m bench.screenshot`.

Starts `python app.py` on a free port (as bench/load.py does), opens it in Debian's Chromium (Playwright, no
browser download), picks the example cat photo and The Starry Night, runs the default settings, and saves the top
of the Stylize tab (inputs, settings and the finished result) as docs/page.png, scaled down and palette-quantised
to stay small.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from PIL import Image

from bench.load import start_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "page.png"
WIDTH = 1280  # the browser's viewport; the PNG is scaled to SAVED_WIDTH
SAVED_WIDTH = 800
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def take(url: str, path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 1400})
        page.goto(url)
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=60_000)
        page.locator("#photos").get_by_label("Chelsea the cat").click()
        page.locator("#paintings").get_by_label("The Starry Night, Vincent van Gogh").click()
        expect(page.locator("#style-input img")).to_be_visible(timeout=10_000)
        page.get_by_role("button", name="Run", exact=True).click()
        expect(page.get_by_text("Done in")).to_be_visible(timeout=300_000)
        expect(page.locator("#before-after img").first).to_be_visible()
        expect(page.locator("#result img")).to_be_visible()
        loaded = "[...document.querySelectorAll('#result img, #before-after img')].every(i => i.naturalWidth)"
        page.wait_for_function(f"() => {loaded}")  # the result's images in, so the area has its final height
        bottom = page.locator("#before-after").bounding_box()
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": bottom["y"] + bottom["height"] + 8}
        page.screenshot(path=path, clip=clip, full_page=True)
        browser.close()


def main() -> None:
    if not shutil.which("chromium"):
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    port = free_port()
    app = start_server(port)
    try:
        take(f"http://127.0.0.1:{port}/", OUT)
    finally:
        app.terminate()
        app.wait(timeout=30)
    image = Image.open(OUT).convert("RGB")
    image = image.resize((SAVED_WIDTH, round(image.height * SAVED_WIDTH / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(OUT, optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)} ({image.width}x{image.height}, {OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
