"""The page for everyone: axe-core's WCAG 2 A and AA rules on every tab, in light and dark mode, and the page
used from the keyboard alone. axe-core comes from the npm registry (tests/a11y/package.json, installed by
.ci/run); without it, or without Chromium, these tests are skipped with the reason."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT
from .test_browser import CHROMIUM, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TABS = ("Stylize", "Live", "Compare", "Layers", "Video", "Denoise")
# Rules left to Gradio's own components, each with why: none at present.
ALLOWED: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/a11y)")


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})).violations"
    )
    return [
        f"{rule['id']} ({rule['impact']}) on {len(rule['nodes'])}: {rule['nodes'][0]['target']}"
        for rule in found
        if rule["id"] not in ALLOWED
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_tab_passes_axe_wcag_a_and_aa(page_url, scheme):
    from playwright.sync_api import expect

    with open_page(page_url, height=1200, color_scheme=scheme) as page:
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        page.get_by_text("Paint regions (optional)").click()  # the regions editor, open, is checked with its tab
        expect(page.locator("#regions canvas").first).to_be_visible(timeout=10_000)
        found = {}
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
            found[tab] = _violations(page)
        # Opened on a phone, all six tabs show from 360 px wide (ui/page.py); at 320 px some go into a menu, where
        # axe-core can measure the selected tab's name. (Gradio sizes its tabs as the page opens.)
        page.set_viewport_size({"width": 360, "height": 800})
        page.reload()
        for tab in TABS:
            expect(page.get_by_role("tab", name=tab)).to_be_visible()
        page.set_viewport_size({"width": 320, "height": 800})
        page.reload()
        expect(page.get_by_role("button", name="More tabs")).to_be_visible()
        page.get_by_text("Paint regions (optional)").click()
        expect(page.locator("#regions canvas").first).to_be_visible(timeout=10_000)
        # The regions editor's zoom bar would cover its label here: out of sight, still read.
        expect(page.locator("#regions [data-testid='block-label']")).to_have_css("clip-path", "inset(50%)")
        found["Stylize at 320 px"] = _violations(page)
        assert not any(found.values()), found


def _tab_to(page, name: str, presses: int = 120) -> None:
    """Press Tab until the focused element's accessible name starts with `name`: reachable by keyboard."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => document.activeElement.getAttribute('aria-label') || document.activeElement.innerText"
        )
        if (label or "").strip().startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable with the Tab key")


def test_the_page_works_from_the_keyboard_alone(page_url, content_path):
    from playwright.sync_api import expect

    with open_page(page_url, height=1200) as page:
        # Playwright starts intercepting file choosers when the first listener is added, without waiting: added
        # here, well before the Enter below, so the chooser cannot open before the interception is on.
        page.on("filechooser", lambda chooser: None)
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible(timeout=30_000)
        _tab_to(page, "Drop an image file here to upload")  # the photo's upload box
        with page.expect_file_chooser(timeout=5000) as chooser:
            page.keyboard.press("Enter")
        chooser.value.set_files(str(content_path))
        expect(page.locator("#content-input img")).to_be_visible(timeout=10_000)
        _tab_to(page, "The Starry Night, Vincent van Gogh")  # an example painting, named for a screen reader
        page.keyboard.press("Enter")
        expect(page.locator("#paintings-info")).to_contain_text("The Starry Night")
        expect(page.locator("#style-input img")).to_be_visible(timeout=10_000)
        _tab_to(page, "Run")
        page.keyboard.press("Enter")
        status = page.locator("#status")
        expect(status).to_have_attribute("aria-live", "polite")  # announced as it changes
        # The run has begun: its first line (the feed-forward start) stays up only until the first step's.
        expect(status).to_contain_text(re.compile(r"feed-forward start|Scale \d"), timeout=60_000)
        _tab_to(page, "Stop")
        page.keyboard.press("Enter")
        expect(page.locator("#result img")).to_be_visible()  # what the run had reached stays
        page.keyboard.press("Shift+Tab")  # back to the tabs: the first tab stop is the tab list
        page.locator("body").focus()
        _tab_to(page, "Compare")
        page.keyboard.press("Enter")
        expect(page.get_by_role("tab", name="Compare")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("button", name="Make the grid")).to_be_visible()
