"""The Live tab with Chromium's fake camera (a .y4m made from the example clip): stylized frames that change
over time, the frame rate shown, nothing of the stream kept on the server, and Snapshot handing the frame to
the Stylize tab."""

import re
import subprocess
from pathlib import Path

import pytest

from style_core.feedforward import unavailable

from .conftest import EXAMPLES
from .test_browser import CHROMIUM, CHROMIUM_FLAGS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def camera(tmp_path_factory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    if unavailable():
        pytest.skip(unavailable())
    import imageio_ffmpeg

    y4m = tmp_path_factory.mktemp("camera") / "camera.y4m"
    clip = EXAMPLES / "clips" / "cat_pan.mp4"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(clip), "-vf", "scale=320:-2",
               "-pix_fmt", "yuv420p", str(y4m)]  # fmt: skip
    subprocess.run(command, check=True)
    return y4m


def gradio_cache_files() -> set[Path]:
    from gradio.utils import get_upload_folder

    return set(Path(get_upload_folder()).rglob("*"))


def test_the_live_tab_stylizes_the_camera_and_a_snapshot_reaches_the_stylize_tab(page_url, camera):
    from playwright.sync_api import expect, sync_playwright

    fake_camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                   f"--use-file-for-fake-video-capture={camera}"]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS + fake_camera)
        page = browser.new_context(viewport={"width": 1400, "height": 1200}, permissions=["camera"]).new_page()
        page.goto(page_url)
        page.get_by_role("tab", name="Live").click()
        page.get_by_text("Click to Access Webcam").click()
        before = gradio_cache_files()
        page.locator("#live-camera").get_by_role("button", name="capture photo").click()  # starts the stream
        rate = page.locator("#live-rate")
        expect(rate).to_contain_text(re.compile(r"[\d.]+ frames per second at 384 px"), timeout=30_000)
        first = page.locator("#live-result img").get_attribute("src")
        expect(page.locator("#live-result img")).not_to_have_attribute("src", first, timeout=10_000)  # it moves
        screenshot(page, "14_live.png")
        page.locator("#live-paintings").get_by_label("The Great Wave off Kanagawa, Katsushika Hokusai").click()
        page.get_by_role("button", name="Snapshot: make it the Stylize tab's photo").click()
        expect(page.locator("#status")).to_contain_text("The camera's frame and the painting are on the Stylize tab")
        expect(page.get_by_role("tab", name="Stylize")).to_have_attribute("aria-selected", "true")
        expect(page.locator("#content-input img")).to_be_visible()
        expect(page.locator("#style-input img")).to_be_visible()
        browser.close()
    made = gradio_cache_files() - before
    assert len([path for path in made if path.is_file()]) <= 3, made  # the snapshot, not the stream's frames
