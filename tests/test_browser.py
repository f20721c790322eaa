"""A real browser: Chromium (Debian package) driven by Playwright picks an example photo and painting,
switches the preset, runs, then compares the presets and finds the labelled grid (a second job meanwhile
is refused). Screenshots go to
$SCREENSHOT_DIR when set (look at them)."""

import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")


def screenshot(page, name: str, full_page: bool = True) -> None:
    """A screenshot into $SCREENSHOT_DIR, to look at; none when it is unset (a full page takes up to seconds)."""
    if "SCREENSHOT_DIR" in os.environ:
        shots = Path(os.environ["SCREENSHOT_DIR"])
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shots / name, full_page=full_page)


@contextlib.contextmanager
def open_page(url: str, height: int, color_scheme: str = "light") -> Iterator:
    """The page in headless Chromium, 1400 px wide, in the system's light or dark mode."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": height}, color_scheme=color_scheme)
        page.goto(url)
        yield page
        browser.close()


def upload_photo_and_painting(page, content, style) -> None:
    page.locator("#content-input input[type=file]").set_input_files(str(content))
    page.locator("#style-input input[type=file]").set_input_files(str(style))


def set_numbers(page, values: dict[str, float]) -> None:
    """Type each value into the number box of the control labelled by its key, as a user would."""
    for label, value in values.items():
        field = number_field(page, label)
        field.fill(str(value))
        field.press("Enter")


def number_field(page, label: str):
    box = page.get_by_label(label, exact=False).first.locator("xpath=ancestor::div[contains(@class,'block')][1]")
    return box.locator("input[type=number]").first


def assert_every_painting_shows_whole(page) -> None:
    """The example paintings fit their gallery's width (none cut off at its edge), each named in its tooltip; the
    photos' and paintings' first rows start below their galleries' labels (not hidden under them)."""
    from playwright.sync_api import expect

    thumbnails = page.locator("#paintings button.thumbnail-item")
    expect(thumbnails.first).to_have_attribute("title", "The Starry Night, Vincent van Gogh")
    gallery = page.locator("#paintings").bounding_box()
    for thumbnail in thumbnails.all():
        box = thumbnail.bounding_box()
        assert gallery["x"] <= box["x"] and box["x"] + box["width"] <= gallery["x"] + gallery["width"], box
    for examples in ("#photos", "#paintings"):
        assert_first_row_below_label(page, examples)


def assert_layers_upload_labels_take_one_line(page) -> None:
    """The Layers tab's own photo and painting boxes: each label on one line, as tall as the Rows label beside
    them (a second line covers the box's upload sign)."""
    page.get_by_role("tab", name="Layers").click()
    one_line = page.get_by_text("Rows", exact=True).bounding_box()["height"]
    for name in ("Photo (or the Stylize tab's)", "Painting (or the Stylize tab's)"):
        label = page.locator("[data-testid='block-label']", has_text=name).bounding_box()
        assert label["height"] < 1.5 * one_line, (name, label, one_line)
    page.get_by_role("tab", name="Stylize").click()


def assert_first_row_below_label(page, gallery: str) -> None:
    """The gallery's first pictures start below its label, not under it."""
    label = page.locator(f"{gallery} [data-testid='block-label']").bounding_box()
    first = page.locator(f"{gallery} button.thumbnail-item").first.bounding_box()
    assert first["y"] >= label["y"] + label["height"], (gallery, label, first)


def test_the_preset_and_the_layer_weighting_say_what_they_are_however_they_were_set(page_url):
    from playwright.sync_api import expect

    from style_core.config import PRESET_HELP

    with open_page(page_url, height=1300) as page:
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        expect(page.get_by_text(f"balanced: {PRESET_HELP['balanced']}")).to_be_visible()  # the picked one's help
        expect(page.get_by_text(PRESET_HELP["thorough"])).not_to_be_visible()
        page.get_by_text("Advanced settings").click()
        layers = page.get_by_label("Style layers and weights")
        expect(page.get_by_role("radio", name="equal")).to_be_checked()  # the default's, shown from the start
        page.get_by_role("radio", name="deeper heavier").check()
        expect(layers).to_have_value("relu1_1:0.5, relu2_1:1, relu3_1:1.5, relu4_1:3, relu5_1:4")
        layers.fill("relu1_1:1, relu3_1:2")  # typed: no named weighting
        expect(page.get_by_role("radio", name="deeper heavier")).not_to_be_checked()
        expect(page.get_by_role("radio", name="equal")).not_to_be_checked()
        page.get_by_label("Preset").click()
        page.get_by_role("option", name="thorough").click()  # a preset sets the layers, and the weighting follows
        expect(page.get_by_role("radio", name="equal")).to_be_checked()
        expect(page.get_by_text(f"thorough: {PRESET_HELP['thorough']}")).to_be_visible()
        # Two blend weights and one painting: said before Run, not only by Run's error.
        page.get_by_text("Blend a second style").click()
        page.get_by_label("Style blend weights").fill("0.7, 0.3")
        expect(page.locator("#expected")).to_have_text(
            "Check the settings: 2 style blend weights given for 1 style image: give one weight per style image"
        )


def test_the_compare_tab_explains_the_grid_picked_and_its_time_here(page_url):
    from playwright.sync_api import expect

    from style_core import PRESETS
    from style_core.grid import GRID_KIND_HELP

    with open_page(page_url, height=1300) as page:
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        page.get_by_role("tab", name="Compare").click()
        kind, line = page.locator("#compare-kind"), page.locator("#compare-expected")
        paintings = page.get_by_text("Paintings for the styles grid")
        expect(line).to_have_text(re.compile(rf"Ready: about \d+ s for {len(PRESETS)} cells at \d+ px on this"))
        expect(line).to_have_attribute("aria-live", "polite")  # read out when it changes, as the other tabs' lines
        expect(kind).to_contain_text(GRID_KIND_HELP["presets"])
        expect(paintings).not_to_be_visible()  # only the styles grid uses them
        page.get_by_role("radio", name="styles").check()
        expect(paintings).to_be_visible()
        expect(kind).to_contain_text(GRID_KIND_HELP["styles"])
        expect(line).to_have_text(re.compile(r"for 4 cells at"))  # the four paintings ticked, no painting of one's own
        page.get_by_role("checkbox", name="Udnie, Francis Picabia").check()
        expect(line).to_have_text(re.compile(r"for 5 cells at"))
        page.get_by_role("radio", name="strength x layers").check()
        expect(kind).to_contain_text(GRID_KIND_HELP["strength x layers"])
        expect(line).to_have_text(re.compile(r"for 9 cells at"))


def test_a_grid_that_cannot_be_made_says_so_on_its_line(page_url, style_path, tmp_path):
    """A panorama fine at the Stylize tab's size is too thin for the grid's small cells: the grid's line, which
    said which cell was under way, says it was not finished, beside the message that says why."""
    from playwright.sync_api import expect

    Image.new("RGB", (3000, 120), (90, 140, 200)).save(tmp_path / "panorama.png")
    with open_page(page_url, height=1300) as page:
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        upload_photo_and_painting(page, tmp_path / "panorama.png", style_path)
        expect(page.locator("#style-input img")).to_be_visible(timeout=10_000)
        page.get_by_role("tab", name="Compare").click()
        page.get_by_role("button", name="Make the grid").click()
        expect(page.get_by_text("is too long and thin for")).to_be_visible(timeout=30_000)
        expect(page.locator("#compare-status")).to_have_text(
            "Not finished: cell 1 of 6 could not be made (the message says why)."
        )


def test_pick_examples_switch_preset_run_and_compare_presets(page_url):
    from playwright.sync_api import expect

    with open_page(page_url, height=1300) as page:
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        screenshot(page, "1_empty.png")
        assert_every_painting_shows_whole(page)
        page.set_viewport_size({"width": 390, "height": 1300})  # a phone: the labels take two lines
        assert_every_painting_shows_whole(page)
        assert_layers_upload_labels_take_one_line(page)
        page.set_viewport_size({"width": 1400, "height": 1300})

        page.locator("#photos").get_by_label("Chelsea the cat").click()
        page.locator("#paintings").get_by_label("The Starry Night, Vincent van Gogh").click()
        expect(page.locator("#content-input img")).to_be_visible(timeout=10_000)
        expect(page.locator("#style-input img")).to_be_visible(timeout=10_000)
        expect(page.locator("#paintings-info")).to_contain_text("The Starry Night, Vincent van Gogh (d. 1890), 1889")

        page.get_by_label("Preset").click()
        page.get_by_role("option", name="fast_preview").click()
        expect(number_field(page, "Output size (long side, px)")).to_have_value("256", timeout=10_000)
        expect(number_field(page, "Iterations")).to_have_value("4")
        screenshot(page, "2_ready.png")

        expect(page.locator("#expected")).to_contain_text("at 256 px on this machine")  # said before the run
        page.get_by_role("button", name="Run", exact=True).click()
        expect(page.get_by_text(re.compile(r"Scale 1/\d"))).to_be_visible(timeout=120_000)
        expect(page.locator("#result img")).to_be_visible()  # the streamed preview, not hidden by the progress bar
        expect(page.get_by_text("Done in")).to_be_visible(timeout=240_000)
        assert_the_finished_run_is_shown_and_named(page)
        screenshot(page, "3_done.png")

        set_numbers(page, {"Output size (long side, px)": 96})  # cells are never larger: a first cell in half the time
        page.get_by_role("tab", name="Compare").click()
        page.get_by_role("button", name="Make the grid").click()
        # Said at once, before the first cell: which cell runs, and (announced to a screen reader) how long.
        expect(page.locator("#compare-status")).to_contain_text("Cell 1 of 6 (gatys2015", timeout=10_000)
        expect(page.locator("#compare-status")).to_have_attribute("aria-live", "polite")
        expect(page.locator("#grid img")).to_be_visible(timeout=120_000)  # the first cell, labelled
        expect(page.locator("#compare-status")).to_contain_text(re.compile(r"Cell \d of 6 .* s left"))
        # Named for a screen reader by its label, which is out of sight: over the picture it hid a heading.
        expect(page.locator("#grid img")).to_have_attribute("alt", "Comparison grid")
        expect(page.locator("#grid [data-testid='block-label']")).to_have_css("clip-path", "inset(50%)")
        # A streaming output's border stays still: Gradio's pulse would take a good part of a core from the job.
        expect(page.locator("#grid .generating")).to_have_css("animation-name", "none")
        # Drawn as wide as the page allows, not at the small size of its cells in the middle of the page.
        drawn, natural = page.locator("#grid img").evaluate("img => [img.clientWidth, img.naturalWidth]")
        assert drawn > natural
        screenshot(page, "4_first_cell.png")
        page.get_by_role("tab", name="Stylize").click()
        page.get_by_role(
            "button", name="Run", exact=True
        ).first.click()  # a second heavy job while the grid runs: refused
        expect(page.get_by_text("You already have a job queued or running")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Done in")).to_be_visible()  # the earlier result is still there
        screenshot(page, "4b_busy.png", full_page=False)  # the viewport, where the message shows
        page.get_by_test_id("toast-close").first.click()
        page.get_by_role("tab", name="Compare").click()
        page.get_by_role("button", name="Stop").last.click()
        expect(page.locator("#compare-status")).to_contain_text(re.compile(r"Stopped at cell \d of 6: the cells"))

        run_layers_once_the_stopped_grid_lets_go(page)


def assert_the_finished_run_is_shown_and_named(page) -> None:
    """After a 256 px run: its gallery entry, the result and the before/after pair, each named for a screen
    reader, whole."""
    from playwright.sync_api import expect

    expect(page.locator("#results .thumbnail-item")).to_have_count(1, timeout=30_000)
    expect(page.locator("#results .thumbnail-item")).to_have_attribute("aria-label", "1. 256 px, strength 1")
    assert_first_row_below_label(page, "#results")
    expect(page.locator("#result img")).to_have_attribute("alt", re.compile("^The result: Done in .* alpha/beta"))
    expect(page.locator("#before-after img").first).to_be_visible()
    # Every picture shown is named for a screen reader, none left as decoration (Gradio's empty alt).
    expect(page.locator("#before-after img").first).to_have_attribute("alt", "Before / after: before")
    expect(page.locator("#before-after img").last).to_have_attribute("alt", "Before / after: after")
    expect(page.locator("#content-input img")).to_have_attribute("alt", "Content photo")
    shown = page.evaluate("Array.from(document.images).filter(i => i.offsetParent).map(i => i.alt)")
    assert all(shown), shown
    for image in page.locator("#before-after img").all():  # the whole picture, letterboxed, never cropped
        fit, natural = image.evaluate("e => [getComputedStyle(e).objectFit, [e.naturalWidth, e.naturalHeight]]")
        assert fit == "contain" and max(natural) == 256


def run_layers_once_the_stopped_grid_lets_go(page) -> None:
    """The Layers tab on the Stylize tab's photo and painting, small and quick, run as soon as the stopped grid
    frees the tab's one job."""
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Layers").click()
    expect(page.locator("#layers-expected")).to_have_text(
        re.compile(r"Ready: about \d+ (s|min) for 10 cells at 192 px")
    )
    set_numbers(page, {"Cell size (long side, px)": 64, "Steps per cell": 5})
    expect(page.locator("#layers-expected")).to_have_text(re.compile(r"Ready: about \d+ (s|min) for 10 cells at 64 px"))
    run_layers = page.get_by_role("button", name="Run", exact=True).last
    # The stopped grid holds the tab's one job until its current step ends: a Run pressed before that is
    # refused with the message (what a user sees), and pressing again, as a user would, runs.
    figure_done = page.locator("#layers-style .thumbnail-item").nth(4)
    busy = page.get_by_text("You already have a job queued or running")
    for _ in range(5):
        run_layers.click()
        expect(figure_done.or_(busy)).to_be_visible(timeout=120_000)
        if not busy.is_visible():
            break
        page.get_by_test_id("toast-close").first.click()
        expect(busy).not_to_be_visible()
    expect(figure_done).to_be_visible(timeout=120_000)
    expect(page.locator("#layers-status")).to_have_text(re.compile(r"Done: 10 cells at 64 px in \d+ s"))
    expect(page.locator("#layers-content")).to_contain_text("conv5_2")
    assert_first_row_below_label(page, "#layers-content")
    page.locator("#layers-content .thumbnail-item").first.click()  # a cell, large
    expect(page.locator("#layers-content caption")).to_have_text("conv1_2")  # the preview's caption
    screenshot(page, "5_layers.png")


def test_paint_two_regions_with_two_paintings_and_run(page_url, content_path, style_path, second_style_path):
    from playwright.sync_api import expect

    with open_page(page_url, height=1500) as page:
        upload_photo_and_painting(page, content_path, style_path)
        page.get_by_text("Blend a second style").click()
        page.locator("#second-style-input input[type=file]").set_input_files(str(second_style_path))
        set_numbers(page, {"Output size (long side, px)": 96, "Iterations": 4})
        page.get_by_text("Paint regions (optional)").click()
        editor = page.locator("#regions")
        expect(editor.locator("canvas").first).to_be_visible(timeout=10_000)
        # The photo is in once the editor fits it: at its own size, which this window has room for.
        expect(editor.get_by_text("100%")).to_be_visible(timeout=10_000)
        editor.get_by_role("button", name="Brush Size").click()
        editor.locator("input[type=range]").fill("60")
        box = editor.locator("canvas").last.bounding_box()
        for swatch, (top, bottom) in ((0, (0.15, 0.45)), (1, (0.6, 0.85))):  # red: style, blue: second style
            editor.get_by_role("button", name="Color").click()
            editor.locator("button:not([aria-label])").nth(swatch).click()
            editor.get_by_role("button", name="Brush", exact=True).click()
            # One long stroke across the band: each mouse move redraws the editor (a fraction of a second).
            y = box["y"] + box["height"] * (top + bottom) / 2
            page.mouse.move(box["x"] + box["width"] * 0.15, y)
            page.mouse.down()
            for step in range(4):
                page.mouse.move(box["x"] + box["width"] * (0.15 + 0.7 * step / 3), y)
            page.mouse.up()
        screenshot(page, "6_painted.png")
        page.get_by_role("button", name="Run", exact=True).first.click()
        expect(page.get_by_text("Done in")).to_be_visible(timeout=240_000)
        screenshot(page, "7_regions_result.png")
        png = page.request.get(page.locator("#download a").first.get_attribute("href")).body()
        masks = json.loads(Image.open(io.BytesIO(png)).text["style_core:notes"])["masks"]
        assert len(masks) == 2 and all(masks)  # both painted regions reached the engine


def test_a_share_link_opens_the_result_and_settings_in_another_browser(page_url, content_path, style_path, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        sharer = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()
        sharer.goto(page_url)
        upload_photo_and_painting(sharer, content_path, style_path)
        set_numbers(sharer, {"Output size (long side, px)": 128, "Iterations": 3, "Style strength": 2.5})
        sharer.get_by_role("button", name="Run", exact=True).first.click()
        expect(sharer.get_by_text("Done in")).to_be_visible(timeout=240_000)
        expect(sharer.locator("#print-expected")).to_contain_text("min here")  # a print's time, said before
        sharer.get_by_role("button", name="Share this result").click()
        link_box = sharer.locator("#share-link textarea")
        expect(link_box).to_have_value(re.compile(r"\?share=[\w-]{22}$"), timeout=30_000)
        link = link_box.input_value()
        saved = tmp_path / "result.png"
        saved.write_bytes(sharer.request.get(sharer.locator("#download a").first.get_attribute("href")).body())
        for _ in range(2):  # a PNG dropped is read, and the zone is ready for the next
            set_numbers(sharer, {"Style strength": 7})
            expect(sharer.locator("#restore input[type=file]")).to_have_count(1)
            sharer.locator("#restore input[type=file]").set_input_files(saved)
            expect(number_field(sharer, "Style strength")).to_have_value("2.5")

        friend = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()  # no cookies, no session
        friend.goto(link)
        expect(friend.locator("#status")).to_contain_text("A shared result", timeout=30_000)
        for image in ("#content-input img", "#style-input img", "#result img"):
            expect(friend.locator(image).first).to_be_visible(timeout=10_000)
        for label, value in (("Output size (long side, px)", "128"), ("Iterations", "3"), ("Style strength", "2.5")):
            expect(number_field(friend, label)).to_have_value(value)
        natural = friend.locator("#result img").first.evaluate("e => [e.naturalWidth, e.naturalHeight]")
        assert max(natural) == 128
        expect(friend.get_by_role("button", name="Print size (2048 px)")).to_be_enabled()  # the result can go on
        expect(friend.locator("#print-expected")).to_contain_text("to 2048 px for printing")
        screenshot(friend, "8_shared.png")
        friend.get_by_role("button", name="Run", exact=True).first.click()  # ready to run again, as it was made
        expect(friend.get_by_text("Done in")).to_be_visible(timeout=240_000)

        friend.goto(re.sub(r"share=[\w-]+", "share=" + "x" * 22, link))  # a link whose share is gone
        expect(friend.locator("#status")).to_contain_text("This shared result has expired", timeout=30_000)
        expect(friend.get_by_role("button", name="Run", exact=True).first).to_be_enabled()  # the page itself works
        screenshot(friend, "9_expired.png", full_page=False)
        browser.close()


def test_the_video_tab_stylizes_a_clip_and_plays_it(page_url, content_path, tmp_path):
    from playwright.sync_api import expect

    from style_core.config import PRESET_HELP

    pytest.importorskip("cv2")
    from style_core.video import write_mp4

    photo = Image.open(content_path).convert("RGB")
    write_mp4([photo.crop((6 * k, 0, 6 * k + 120, 80)) for k in range(3)], 6, tmp_path / "pan.mp4")
    with open_page(page_url, height=1300) as page:
        page.get_by_role("tab", name="Video").click()
        page.locator("#video-input input[type=file]").set_input_files(str(tmp_path / "pan.mp4"))
        page.locator("#video-paintings").get_by_label("The Great Wave off Kanagawa, Katsushika Hokusai").click()
        expect(page.locator("#video-paintings-info")).to_contain_text("The Great Wave")
        settings = page.locator("#video-settings")
        settings.get_by_label("Preset").click()
        page.get_by_role("option", name="fast_preview").click()
        expect(settings).to_contain_text(f"fast_preview: {PRESET_HELP['fast_preview']}")  # what the pick does
        field = number_field(settings, "Output size (long side, px)")
        field.fill("64")
        field.press("Enter")
        expect(page.locator("#video-expected")).to_contain_text(
            "for this 0.5 s clip on this machine: 3 frames at 6 fps"
        )
        expect(page.locator("#video-expected")).to_contain_text("64 px")
        page.get_by_role("button", name="Stylize the clip").click()
        expect(page.locator("#video-status")).to_contain_text("Done: 3 frames at 6 fps", timeout=180_000)
        expect(page.locator("#video-result video")).to_have_attribute("src", re.compile(r"\.mp4"))
        expect(page.locator("#video-files")).to_contain_text(".gif")
        expect(page.get_by_role("button", name="Remove this file")).to_have_count(0)  # downloads, not uploads
        screenshot(page, "10_video.png")


def test_stop_keeps_the_picture_and_a_reload_brings_every_result_back(page_url, content_path, style_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()
        page.goto(page_url)
        upload_photo_and_painting(page, content_path, style_path)
        for size, steps in ((96, 3), (256, 500)):  # a quick run, then a long one, stopped
            set_numbers(page, {"Output size (long side, px)": size, "Iterations": steps})
            page.get_by_role("button", name="Run", exact=True).first.click()
            expect(page.locator("#status")).to_contain_text("Done in" if steps == 3 else "Scale 1/", timeout=240_000)
        page.get_by_role("button", name="Stop").first.click()
        expect(page.locator("#status")).to_contain_text(re.compile(r"Stopped at step \d+ of \d+"), timeout=60_000)
        expect(page.locator("#results .thumbnail-item")).to_have_count(2)
        stopped = page.locator("#results .thumbnail-item").last
        expect(stopped).to_have_attribute("aria-label", "2. 256 px, strength 1, stopped")
        png = page.request.get(page.locator("#download a").first.get_attribute("href")).body()
        assert Image.open(io.BytesIO(png)).size[0] == 256  # the picture it had reached, its settings inside
        assert json.loads(Image.open(io.BytesIO(png)).text["style_core:settings"])["iterations"] == 500

        page.reload()
        expect(page.locator("#results .thumbnail-item")).to_have_count(2, timeout=30_000)
        expect(page.locator("#status")).to_contain_text("Your results from earlier are back (2 in the gallery)")
        for shown in ("#result img", "#content-input img", "#style-input img", "#before-after img"):
            expect(page.locator(shown).first).to_be_visible()
        expect(number_field(page, "Output size (long side, px)")).to_have_value("256")
        screenshot(page, "11_reloaded.png")

        stranger = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()  # another browser
        stranger.goto(page_url)
        expect(stranger.locator("#status")).to_be_empty(timeout=30_000)
        expect(stranger.get_by_role("button", name="Run", exact=True).first).to_be_enabled()
        expect(stranger.locator("#results .thumbnail-item")).to_have_count(0)
        browser.close()


def test_the_instant_preview_follows_the_painting_drops_stale_requests_and_the_sheet_picks(page_url, monkeypatch):
    import threading

    from playwright.sync_api import expect

    import ui.preview
    from style_core.preview import instant_preview

    colours, entered, gate = [], threading.Event(), threading.Event()
    gate.set()

    def watched(content, styles, config):
        colours.append(config.color)
        entered.set()
        gate.wait(timeout=60)
        return instant_preview(content, styles, config)

    monkeypatch.setattr(ui.preview, "instant_preview", watched)
    with open_page(page_url, height=1500) as page:
        page.locator("#photos").get_by_label("Chelsea the cat").click()
        expect(page.locator("#content-input img")).to_be_visible(timeout=10_000)
        page.locator("#paintings").get_by_label("The Starry Night, Vincent van Gogh").click()
        expect(page.locator("#status")).to_contain_text("Instant preview", timeout=30_000)  # no Run pressed
        expect(page.locator("#result img")).to_have_attribute("src", re.compile(r"\.jpg$"))  # quick to make and send
        first = page.locator("#result img").get_attribute("src")
        page.locator("#paintings").get_by_label("The Great Wave off Kanagawa, Katsushika Hokusai").click()
        expect(page.locator("#result img")).not_to_have_attribute("src", first, timeout=30_000)

        gate.clear()
        entered.clear()
        del colours[:]
        for colour in ("luminance", "match", "off", "match", "luminance"):  # faster than previews are made
            page.get_by_label(colour, exact=True).check()
        assert entered.wait(timeout=30)
        gate.set()
        expect(page.locator("#result img")).to_be_visible()
        page.get_by_role("button", name="Try every painting on this photo").click()  # queued after the previews
        expect(page.locator("#sheet .thumbnail-item")).to_have_count(7, timeout=60_000)
        assert_first_row_below_label(page, "#sheet")
        assert colours[:2] == ["luminance", "luminance"]  # the first, then only the newest of the four after it
        assert len(colours) == 2 + 7  # and the sheet's cells

        page.locator("#sheet").get_by_label("The Cliff Walk at Pourville, Claude Monet").click()
        expect(page.locator("#paintings-info")).to_contain_text("The Cliff Walk at Pourville")
        screenshot(page, "13_sheet.png")
