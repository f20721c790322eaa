"""The whole page: one module per tab, assembled here."""

from __future__ import annotations

import gradio as gr
from starlette.middleware import Middleware

from . import api, reload, share
from .accessibility import CSS as ACCESSIBLE_CSS
from .accessibility import HEAD, THEME
from .assets import CompressedPage, KeptAssets
from .machine import UNMEASURED, Machine
from .tabs import compare, denoise, layers, live, stylize, video

MAX_UPLOAD = "20mb"
CSS = ACCESSIBLE_CSS
# Gradio stretches a lone gallery tile to the full width; keep result tiles thumbnail-sized.
CSS += "#results .grid-container { grid-template-columns: repeat(auto-fill, minmax(160px, 180px)) !important; }\n"
# A result's caption (its number, size and strength) may take a second line rather than be cut to a few words.
CSS += "#results .caption-label { max-width: calc(100% - 8px) !important; white-space: normal !important; }\n"
# Four columns of at least 100 px (Gradio's) overflow the paintings' third of a 1400 px page: as many as fit instead,
# each painting named in its tooltip and, once picked, in the line below, not in a caption cut to a few letters.
CSS += """
.example-paintings .grid-container { grid-template-columns: repeat(auto-fill, minmax(84px, 1fr)) !important; }
.example-paintings .caption-label { display: none; }
"""
# Gradio floats a gallery's label over its first row of pictures (it marks the grid "pt-6" to make room, a class
# its stylesheet does not define): every gallery's label takes its own line, one or two as the width needs, and
# the pictures start below.
GALLERIES = (".example-photos", ".example-paintings", "#sheet", "#results", "#layers-content", "#layers-style")
CSS += ", ".join(f"{gallery} [data-testid='block-label']" for gallery in GALLERIES) + " { position: relative; }\n"
# Labels out of sight but read: the Compare grid's (ui/tabs/compare.py), and at a phone's width the regions
# editor's, which its zoom bar covers there (the accordion's title names it too).
OUT_OF_SIGHT = "{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }"
CSS += f"#grid [data-testid='block-label'] {OUT_OF_SIGHT}\n"
CSS += f"@media (max-width: 480px) {{ #regions [data-testid='block-label'] {OUT_OF_SIGHT} }}\n"
# Gradio never draws a picture larger than it is, so a grid of small cells (as a CPU makes them) sat small
# in the middle of a wide page: it is drawn as wide as the page allows, up to 600 px tall.
CSS += "#grid .image-frame { width: 100%; }\n"
CSS += "#grid img { width: 100%; height: auto; max-height: min(70vh, 600px); object-fit: contain; }\n"
# A phone's width: narrower page margins and tab padding, so that all six tabs show from 360 px instead of three
# and a "More tabs" menu. Gradio decides which tabs fit by measuring a hidden copy of them (.tab-container) as
# the page opens, before it adds the page's CSS: this goes in the page's head.
PHONE_TABS = "padding: 0 6px !important; font-size: 13px !important;"
HEAD_CSS = "@media (max-width: 480px) { .main.app { padding-left: 12px !important; padding-right: 12px !important; }\n"
HEAD_CSS += f".tab-container button, button[role='tab'] {{ {PHONE_TABS} }} }}\n"
# Gradio offers a "Remove this file" button on any list of two files or more, a list of downloads too: not here.
CSS += "#video-files .label-clear-button { display: none; }\n"
# Gradio pulses a streaming output's border for as long as its job runs. A browser on the server's own machine
# spends a good part of a core redrawing it, which the job's threads need (docs/BENCHMARKS.md, "The page fits
# the machine"): the border stays, still.
CSS += ".generating { animation: none !important; }\n"
# What app.py queues and launches the page with, and the tests too: no allowed_paths (the server's files stay
# unserved); Gradio's scripts sent from memory.
# The queue holds the heavy jobs (one per browser tab or client) and the instant previews, which pass through
# it too: room for 32 people waiting on jobs while as many choose paintings.
QUEUE = {"max_size": 64}


def launch_options() -> dict:
    """A fresh set each launch: Gradio adds to its app_kwargs."""
    app_kwargs = {"middleware": [Middleware(KeptAssets), Middleware(CompressedPage)]}
    head = f"<style>{HEAD_CSS}</style>{HEAD}"
    return {"max_file_size": MAX_UPLOAD, "css": CSS, "theme": THEME, "head": head, "app_kwargs": app_kwargs}


def build_page(machine: Machine = UNMEASURED) -> gr.Blocks:
    """The page; `machine` (ui.machine.measure(), as app.py does) sets the default size and the expected times."""
    with gr.Blocks(title="Style Transfer Studio", delete_cache=(3600, 7200)) as page:
        history = gr.State([])
        gr.Markdown(
            "# Style Transfer Studio\n"
            "Drop in a photo and a painting: the photo is redrawn with the painting's textures "
            "(Gatys et al., *A Neural Algorithm of Artistic Style*). Watch it form, compare presets, download."
        )
        with gr.Tabs() as tabs:
            with gr.Tab("Stylize", id="stylize"):
                stylize_tab = stylize.render(page, history, machine)
            with gr.Tab("Live", id="live"):
                live.render(stylize_tab, tabs)
            with gr.Tab("Compare", id="compare") as compare_tab:
                compare.render(stylize_tab, machine, compare_tab)
            with gr.Tab("Layers", id="layers") as layers_tab:
                layers.render(stylize_tab, machine, layers_tab)
            with gr.Tab("Video", id="video") as video_tab:
                video.render(machine, video_tab)
            with gr.Tab("Denoise", id="denoise") as denoise_tab:
                denoise.render(machine, denoise_tab)
        api.render(machine)
        share.open_on_load(page, stylize_tab)
        reload.wire(page, stylize_tab, history)
    return page
