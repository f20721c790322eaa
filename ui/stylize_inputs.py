"""The Stylize tab's inputs that the rest of the page reads: the Compare and Layers tabs take its photo,
painting and settings, share links fill them in, and its Stop stops their jobs too."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from .result_area import ResultArea


@dataclass
class StylizeInputs:
    content: gr.Image
    style: gr.Image
    second_style: gr.Image
    clean_up: gr.Checkbox
    controls: dict[str, gr.Component]  # keyed by StyleConfig field, in the fields' order
    run: gr.Button
    stop: gr.Button
    result: ResultArea
    share: gr.Button  # under the result: enabled while a result is on view
    gallery: gr.Gallery  # the results this browser made (ui.reload brings them back)
    kept: gr.BrowserState  # their names, in the browser
    running: gr.BrowserState  # True while a job of this browser is under way
