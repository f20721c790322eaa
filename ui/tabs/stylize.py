"""The Stylize tab: a photo, a painting (or two), a preset or the controls; previews, results, downloads."""

from __future__ import annotations

from typing import Any

import gradio as gr

from style_core import PRESETS, SETTINGS, StyleConfig, StyleCoreError, preset, read_png_settings
from style_core.config import (
    DEFAULT_PRESET,
    LAYER_WEIGHT_PRESETS,
    format_style_layers,
    named_style_layers,
    parse_style_layers,
    style_layers_name,
)
from style_core.transfer import blend_weights

from .. import preview, print_size, reload, result_area, share
from ..controls import PhotoInput, make_controls, page_values, preset_info, values_to_config
from ..examples import painting_gallery, photo_gallery
from ..gpu import DENOISE_GPU_S, config_or_none, gpu, gpu_seconds
from ..jobs import stylize_job, user_errors
from ..machine import LINE_UPDATE, Machine, browser_on_this_machine, photo_aspect
from ..regions import LEGEND, make_editor, masks_from_editor
from ..results import save_result
from ..session_limit import heavy_click
from ..stopped import put_in_gallery
from ..stylize_inputs import StylizeInputs


def stylize_seconds(
    content, style, second_style, clean_up, regions, history, request=None, progress=None, **settings
) -> float:
    return gpu_seconds(config_or_none(lambda: values_to_config(settings))) + DENOISE_GPU_S * bool(clean_up)


@gpu(stylize_seconds)
def stylize(
    content, style, second_style, clean_up, regions, history, request: gr.Request, progress=gr.Progress(), **settings
):
    """Stream previews, then the final image, a gallery entry, a before/after pair and the PNG; a stopped run
    leaves its picture for Stop (ui.stopped)."""
    if not content:
        raise gr.Error("Upload a content photo first.")
    styles = [s for s in (style, second_style) if s]
    if not styles:
        raise gr.Error("Choose a style image: upload one or click an example painting.")
    with user_errors():
        config = values_to_config(settings)
    masks = masks_from_editor(regions, len(styles))
    history = list(history or [])
    job = stylize_job(content, styles, config, clean_up, progress, masks, session=request.session_hash)
    for image, status, result in job:
        if result is None:
            yield image if image is not None else gr.skip(), status, *[gr.skip()] * 5
        else:
            path, before = save_result(result, content, history, clean_up, styles, regions=masks is not None)
            yield result_area.finished(result, status, before, path, history)


def render(page: gr.Blocks, history: gr.State, machine: Machine) -> StylizeInputs:
    defaults = machine.default_config()
    with gr.Row():
        content, style, painting_info, picks = _image_inputs()
        second_style, preset_name, controls, clean_up = _everyday_column(defaults)
    sheet = preview.render_sheet()
    with gr.Accordion("Paint regions (optional)", open=False):
        gr.Markdown(LEGEND)
        with gr.Row():
            regions = make_editor()
            with gr.Column():
                controls |= make_controls("regions", defaults)
    content.change(lambda photo: photo, [content], [regions], api_visibility="private")
    with gr.Accordion("Advanced settings", open=False):
        layer_weighting = gr.Radio(
            list(LAYER_WEIGHT_PRESETS), value=style_layers_name(defaults.style_layers),
            label="Style layer weighting",
            info="Fills the style layers below (the default and the paper weigh them equally): deeper "
            "layers carry larger shapes, earlier ones fine texture",
        )  # fmt: skip
        controls |= make_controls("advanced", defaults, columns=3)
    controls = {name: controls[name] for name in SETTINGS}  # events pass them in the fields' order
    with gr.Row():
        run = gr.Button("Run", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    expected = gr.Markdown(machine.expected(defaults), elem_id="expected")
    status = gr.Markdown("", elem_id="status")
    area, restore = result_area.render(history, status)
    share_button = share.render(area.shown)
    print_button, print_line = print_size.render()
    results = result_area.render_gallery(history, area, controls)
    kept, running = reload.render()
    outputs = [area.image, status, results, area.before_after, area.download, history, area.shown]
    run_event = heavy_click(
        run, stylize, [content, style, second_style, clean_up, regions, history], outputs, running,
        inputs_kwargs=controls, api_visibility="undocumented", api_name="stylize_page",
        show_progress="minimal", show_progress_on=[area.image],
    )  # fmt: skip
    print_event = print_size.wire(machine, print_button, print_line, area, history, results, regions, running)
    # Gradio runs one click's events in turn, each to its end: the cancel first, then what it leaves behind.
    stopping = stop.click(None, None, None, cancels=[run_event, print_event])
    stopping.then(put_in_gallery, [history], outputs, api_visibility="private")
    picks.append(preview.wire_sheet(sheet, content, style, painting_info, controls))
    uploads = [content.upload, style.upload, second_style.upload]
    preview.wire(uploads, picks, [content, style, second_style], controls, [area.image, status])
    _wire_settings(controls, preset_name, layer_weighting, restore, defaults.size)
    _wire_expected(page, machine, expected, content, second_style, clean_up, controls)
    made = (content, style, second_style, clean_up, controls, run, stop, area, share_button)
    return StylizeInputs(*made, results, kept, running)


def _everyday_column(defaults: StyleConfig) -> tuple[gr.Image, gr.Dropdown, dict, gr.Checkbox]:
    """The second painting (folded away), the preset, the everyday controls and the clean-up box."""
    with gr.Column(scale=1):
        with gr.Accordion("Blend a second style", open=False):
            second_style = PhotoInput(
                label="Second style image", type="filepath", image_mode=None, height=160,
                elem_id="second-style-input",
            )  # fmt: skip
            controls = make_controls("styles", defaults)
        preset_name = gr.Dropdown(
            list(PRESETS), value=DEFAULT_PRESET, label="Preset",
            info=preset_info(DEFAULT_PRESET),
        )  # fmt: skip
        controls |= make_controls("everyday", defaults)
        clean_up = gr.Checkbox(False, label="Clean up the result with the denoiser (Zero-Shot Noise2Noise)")
    return second_style, preset_name, controls, clean_up


def _image_inputs() -> tuple[gr.Image, gr.Image, gr.Markdown, list]:
    """The photo with its examples, the painting with the example paintings (title and artist on a pick, in
    the Markdown returned); the example clicks' events."""
    with gr.Column(scale=1):
        content = PhotoInput(
            label="Content photo", type="filepath", image_mode=None, height=260, elem_id="content-input"
        )
        photo_picked = photo_gallery(content, "photos")
    with gr.Column(scale=1):
        style = PhotoInput(label="Style image", type="filepath", image_mode=None, height=260, elem_id="style-input")
        info, painting_picked = painting_gallery(style, "paintings")
    return content, style, info, [photo_picked, painting_picked]


def _wire_expected(
    page: gr.Blocks, machine: Machine, line: gr.Markdown, content: gr.Image, second_style: gr.Image,
    clean_up: gr.Checkbox, controls: dict,
) -> None:  # fmt: skip
    """The line beside Run: the time these settings take on this machine, for this photo's shape, and for a
    browser on this machine once the page knows where it was opened."""

    def expected(content: str | None, second_style: str | None, clean_up: bool, request: gr.Request, **settings) -> str:
        try:
            config = values_to_config(settings)
            blend_weights(config, 1 + bool(second_style))
        except StyleCoreError as error:
            return f"Check the settings: {error}"
        return machine.expected(config, photo_aspect(content), clean_up, browser_on_this_machine(request))

    triggers = [page.load, content.change, second_style.change, clean_up.change]
    inputs = {"content": content, "second_style": second_style, "clean_up": clean_up, **controls}
    gr.on([*triggers, *(control.change for control in controls.values())], expected, None, [line],
          inputs_kwargs=inputs, **LINE_UPDATE)  # fmt: skip


def _wire_settings(
    controls: dict, preset_name: gr.Dropdown, layer_weighting: gr.Radio, restore: gr.File, page_size: int
) -> None:
    outputs = list(controls.values())

    def apply_preset(name: str) -> dict:
        config = preset(name)
        values = page_values(config.replace(size=min(config.size, page_size)), controls)
        return values | {preset_name: gr.Dropdown(info=preset_info(name))}

    def restore_from_png(file: str | None) -> dict:
        if file is None:
            return {component: gr.skip() for component in outputs}
        with user_errors():
            config = StyleConfig.from_dict(read_png_settings(file))
        gr.Info("Settings restored from the PNG.")
        return page_values(config, controls)

    def apply_layer_weighting(name: str | None) -> Any:
        if not name:
            return gr.skip()
        return format_style_layers(named_style_layers(name))

    def weighting_of(text: str) -> str | None:
        try:
            return style_layers_name(parse_style_layers(text or ""))
        except StyleCoreError:  # mid-typing: the field says what is wrong when Run is pressed
            return None

    preset_name.change(apply_preset, [preset_name], [*outputs, preset_name], api_visibility="private")
    # The person's pick fills the layers; the layers, however they were set (typed, a preset, a share link),
    # show which weighting they are, or none.
    layer_weighting.input(
        apply_layer_weighting, [layer_weighting], [controls["style_layers"]], api_visibility="private"
    )
    controls["style_layers"].change(weighting_of, [controls["style_layers"]], [layer_weighting], **LINE_UPDATE)
    restore.upload(restore_from_png, [restore], outputs, api_name="restore_page", api_visibility="undocumented").then(
        lambda: None, None, [restore], api_visibility="private", show_progress="hidden"
    )  # read and cleared, restored or not: ready for the next PNG
