"""What the page adds for screen readers, keyboards and low vision where Gradio's components fall short
(axe-core's WCAG 2 A and AA rules, tests/test_accessibility.py): a theme, with a few lines of CSS, whose text meets
4.5:1 in light and dark mode, and a few lines of script that name what Gradio leaves unnamed and announce the
status lines."""

from __future__ import annotations

import json

import gradio as gr

THEME = gr.themes.Soft(
    # System fonts: Soft's Google fonts are a stylesheet the browser waits for before it shows the page's text
    # (and cannot fetch offline at all).
    font=["ui-sans-serif", "system-ui", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
).set(
    # Soft's indigo labels (primary 500) on their pale indigo (primary 100) reach 3.6:1, its grey hints 2.5:1:
    # darker shades for text in light mode (dark mode's own label colours pass).
    block_label_text_color="*primary_700",
    block_title_text_color="*primary_700",
    block_info_text_color="*neutral_600",
    block_info_text_color_dark="*neutral_300",
    body_text_color_subdued="*neutral_600",
    body_text_color_subdued_dark="*neutral_300",
    checkbox_label_background_fill_selected="*primary_600",
    checkbox_label_background_fill_selected_dark="*primary_600",
    button_primary_background_fill="*primary_600",
    button_primary_background_fill_hover="*primary_700",
)

# The selected tab's name is in the accent colour (primary 500): 4.47:1 on white and 4.29:1 on dark mode's
# background, under 4.5:1 in both, and the theme has no dark accent of its own. axe-core catches it only where the
# tabs overflow (a phone's width); elsewhere the tab's underline keeps it from measuring the background.
CSS = """
button[role="tab"].selected { color: var(--primary-600); }
.dark button[role="tab"].selected { color: var(--primary-400); }
"""

# Elements whose text changes as a job runs: announced to screen readers as it changes.
STATUS_LINES = (
    "status",
    "expected",
    "video-status",
    "video-expected",
    "layers-expected",
    "layers-status",
    "compare-expected",
    "compare-status",
    "denoise-status",
    "denoise-expected",
    "paintings-info",
    "video-paintings-info",
)

# Run on every change to the page (Gradio renders and re-renders its components at will).
HEAD = """<script>
(() => {
  const statusLines = STATUS_LINES;
  const fix = () => {
    // Gradio's empty image and file boxes put aria-label on a bare div (axe: aria-prohibited-attr).
    document.querySelectorAll('.empty[aria-label]:not([role])').forEach(e => e.setAttribute('role', 'img'));
    // Gallery thumbnails are named "Thumbnail 1 of 7": name each by its caption (a painting's title and
    // artist, a photo, a result's settings, a layer), and show it as the tooltip.
    document.querySelectorAll('button.thumbnail-item').forEach(button => {
      const caption = button.querySelector('.caption-label');
      if (caption && button.getAttribute('aria-label') !== caption.textContent.trim()) {
        button.setAttribute('aria-label', caption.textContent.trim());
        button.title = caption.textContent.trim();
      }
    });
    // Gradio gives a shown picture (a chosen photo, a before/after pair) an empty alt, which marks it as
    // decoration: name it by its box's label, and a pair's two sides as before and after.
    document.querySelectorAll('.block img[alt=""]').forEach(img => {
      const block = img.closest('.block'), label = block.querySelector('[data-testid="block-label"]');
      const pair = Array.from(block.querySelectorAll('img[data-testid="imageslider-image"]'));
      if (label && label.innerText.trim()) {
        const side = pair.length === 2 ? (pair[0] === img ? ': before' : ': after') : '';
        img.alt = label.innerText.trim() + side;
      }
    });
    // The result picture is described by the status line: the run's settings when done, its step before.
    const result = document.querySelector('#result img'), status = document.getElementById('status');
    if (result && status && result.alt !== 'The result: ' + status.innerText.trim()) {
      result.alt = 'The result: ' + status.innerText.trim();
    }
    for (const id of statusLines) {
      const line = document.getElementById(id);
      if (line && !line.hasAttribute('aria-live')) {
        line.setAttribute('role', 'status');
        line.setAttribute('aria-live', 'polite');
      }
    }
  };
  let queued = false;  // one pass per frame, however many changes it brought
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; fix(); });
    }
  }).observe(document.documentElement, {childList: true, characterData: true, subtree: true});
})();
</script>""".replace("STATUS_LINES", json.dumps(STATUS_LINES))
