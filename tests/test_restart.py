"""The server restarted on the same data folder (STYLE_STUDIO_DATA), as a Space restarts on its persistent
storage: killed in the middle of a job, started again, its pages come back with what they had made and say
that the last run was lost, share links made before still open, and the next job works."""

import os
import re
import signal

import pytest
from gradio_client import Client, handle_file

from bench.load import start_server

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, screenshot, set_numbers, upload_photo_and_painting

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PORT = 7897


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")


def test_a_server_killed_mid_job_comes_back_with_the_results_and_shares(tmp_path, content_path, style_path):
    from playwright.sync_api import expect, sync_playwright

    data = {"STYLE_STUDIO_DATA": str(tmp_path / "data")}
    url = f"http://127.0.0.1:{PORT}/"
    server = start_server(PORT, data)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            page = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()
            page.goto(url)
            upload_photo_and_painting(page, content_path, style_path)
            for size, steps in ((96, 3), (256, 500)):  # a result to share, then a run the restart cuts short
                set_numbers(page, {"Output size (long side, px)": size, "Iterations": steps})
                page.get_by_role("button", name="Run", exact=True).first.click()
                running = "Done in" if steps == 3 else "Scale 1/"
                expect(page.locator("#status")).to_contain_text(running, timeout=240_000)
                if steps == 3:
                    page.get_by_role("button", name="Share this result").click()
                    link_box = page.locator("#share-link textarea")
                    expect(link_box).to_have_value(re.compile(r"\?share=[\w-]{22}$"), timeout=30_000)
                    link = link_box.input_value()
            server.send_signal(signal.SIGKILL)  # no goodbye: a crash, an out-of-memory kill, a host that went away
            server.wait()
            server = start_server(PORT, data)

            # The page reconnects and reloads by itself (Gradio's own), finding its result and the lost run.
            expect(page.locator("#status")).to_contain_text("Your last run did not finish", timeout=60_000)
            expect(page.locator("#status")).to_contain_text("Your results from earlier are back (1 in the gallery)")
            expect(page.locator("#results .thumbnail-item")).to_have_count(1)
            expect(page.locator("#result img")).to_be_visible()
            screenshot(page, "12_restarted.png")
            friend = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()
            friend.goto(link)
            expect(friend.locator("#status")).to_contain_text("A shared result", timeout=30_000)
            browser.close()

        client = Client(url, verbose=False, download_files=str(tmp_path))
        quick = {"size": 64, "iterations": 2, "scales": 1}
        images = {"content": handle_file(str(content_path)), "style": handle_file(str(style_path))}
        assert client.predict(**images, settings=quick, api_name="/stylize")[1].startswith("Done")
    finally:
        server.kill()
