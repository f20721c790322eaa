"""A real browser: Chromium (Debian package) driven by Playwright uploads two images, runs a short job and
finds the result in the gallery. Screenshots go to $SCREENSHOT_DIR when set (look at them)."""

import os
import shutil
from pathlib import Path

import pytest

import app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def page_url():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    demo = app.build_demo()
    demo.queue()
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, css=app.CSS)
    yield url
    demo.close()


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=False).locator("xpath=ancestor::div[contains(@class,'block')][1]")
    field = box.locator("input[type=number]").first
    field.fill(str(value))
    field.press("Enter")


def test_upload_run_and_find_the_result_in_the_gallery(page_url, content_path, style_path, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(page_url)
        expect(page.get_by_role("button", name="Run")).to_be_visible(timeout=30_000)
        page.screenshot(path=shots / "1_empty.png", full_page=True)

        page.locator("#content-input input[type=file]").set_input_files(str(content_path))
        page.locator("#style-input input[type=file]").set_input_files(str(style_path))
        set_number(page, "Output size (long side, px)", 192)
        set_number(page, "Iterations", 30)
        expect(page.locator("img").first).to_be_visible()
        page.screenshot(path=shots / "2_ready.png", full_page=True)

        page.get_by_role("button", name="Run").click()
        expect(page.get_by_text("Scale 2/3")).to_be_visible(timeout=120_000)
        expect(page.locator("#result img")).to_be_visible()  # the streamed preview, not hidden by the progress bar
        page.screenshot(path=shots / "3_running.png", full_page=True)

        expect(page.get_by_text("Done in")).to_be_visible(timeout=240_000)
        expect(page.locator("#results").get_by_label("Thumbnail 1 of 1")).to_be_visible(timeout=30_000)
        page.screenshot(path=shots / "4_done.png", full_page=True)
        browser.close()
