"""The Compare tab: the photo in every preset, in a chosen set of paintings, or the paper's Figure 3 sweep,
small and labelled, each cell appearing as it finishes."""

from __future__ import annotations

import gradio as gr

from style_core import StyleCoreError
from style_core.grid import GRID_KIND_HELP, GRID_KINDS

from ..controls import values_to_config
from ..examples import PAINTINGS
from ..gpu import config_or_none, gpu, grid_gpu_seconds
from ..jobs import compare_job, styles_for, user_errors
from ..machine import LINE_UPDATE, TARGET_SECONDS, Machine, browser_on_this_machine, photo_aspect
from ..session_limit import heavy_click
from ..stopped import part_lines, wire_end_lines
from ..stylize_inputs import StylizeInputs

INTRO = (
    "The photo and the painting on the Stylize tab, with its settings, run small and side by side. "
    "Cells appear as they finish; the grid's cells are as large as fit about {seconds:.0f} s on this machine."
)


def make_compare(machine: Machine):
    """The Compare button's job, with the cell size fitted to `machine`."""

    def compare_seconds(content, style, kind, chosen, request=None, progress=None, **settings) -> float:
        return grid_gpu_seconds(machine, kind, config_or_none(lambda: values_to_config(settings)))

    @gpu(compare_seconds)
    def compare(content, style, kind, chosen, request: gr.Request, progress=gr.Progress(), **settings):
        if not content:
            raise gr.Error("Upload a content photo on the Stylize tab first.")
        styles, names = styles_for(kind, style, chosen or [])
        with user_errors():
            config = values_to_config(settings)
        here = browser_on_this_machine(request)  # as the line beside the button counted it
        size = machine.grid_cell_size(kind, config, len(styles), photo_aspect(content), here)
        for grid, status in compare_job(content, styles, names, kind, config, size, progress):
            yield gr.skip() if grid is None else grid, status

    return compare


stopped_line, failed_line = part_lines(
    "cell", "Stopped at cell {}: the cells made before it stay above; press Make the grid to start again."
)


def render(stylize: StylizeInputs, machine: Machine, tab: gr.Tab) -> None:
    gr.Markdown(INTRO.format(seconds=TARGET_SECONDS))
    first = GRID_KINDS[0]
    with gr.Row():  # side by side, or one above the other on a phone (min_width), not two thin columns
        kind = gr.Radio(
            list(GRID_KINDS), value=first, label="Compare", info=GRID_KIND_HELP[first], min_width=320,
            elem_id="compare-kind",
        )  # fmt: skip
        chosen = gr.CheckboxGroup(
            [p.caption for p in PAINTINGS], value=[p.caption for p in PAINTINGS[:4]],
            label="Paintings for the styles grid (besides yours)", min_width=320, visible=first == "styles",
        )  # fmt: skip
    with gr.Row():
        button = gr.Button("Make the grid", variant="primary")
        stop = gr.Button("Stop", variant="stop")
    expected = gr.Markdown(
        machine.grid_expected(first, machine.default_config(), 1), elem_id="compare-expected"
    )  # fmt: skip
    status = gr.Markdown("", elem_id="compare-status")
    # Its label box is hidden from sight (ui/page.py's CSS): over the picture it hid the first column's heading.
    # It stays for screen readers, and names the picture.
    grid = gr.Image(label="Comparison grid", format="png", type="pil", interactive=False, elem_id="grid")
    event = heavy_click(
        button, make_compare(machine), [stylize.content, stylize.style, kind, chosen], [grid, status],
        inputs_kwargs=stylize.controls, api_visibility="undocumented", api_name="compare_page", show_progress_on=[grid],
    )  # fmt: skip
    wire_end_lines(event, [stop, stylize.stop], status, stopped_line, failed_line)
    kind.change(_show_kind, [kind], [kind, chosen], **LINE_UPDATE)
    _wire_expected(machine, tab, stylize, kind, chosen, expected)


def _show_kind(kind: str) -> tuple:
    """The picked kind's help under it, and the paintings to tick only for the styles grid."""
    return gr.Radio(info=GRID_KIND_HELP.get(kind, "")), gr.CheckboxGroup(visible=kind == "styles")


def _wire_expected(
    machine: Machine, tab: gr.Tab, stylize: StylizeInputs, kind: gr.Radio, chosen: gr.CheckboxGroup, line: gr.Markdown
) -> None:
    """The line beside Make the grid: its cells' size and time here, for this photo and these settings (which
    only the Stylize tab changes: the line is remade when this tab opens)."""

    def expected(content, style, kind, chosen, request: gr.Request, **settings) -> str:
        try:
            config = values_to_config(settings)
        except StyleCoreError as error:
            return f"Check the settings on the Stylize tab: {error}"
        try:
            styles = len(styles_for(kind, style, chosen or [])[0])
        except gr.Error:  # no painting yet: said when the grid is asked for
            styles = 1
        here = browser_on_this_machine(request)
        return machine.grid_expected(kind, config, styles, photo_aspect(content), here)

    inputs = {"content": stylize.content, "style": stylize.style, "kind": kind, "chosen": chosen}
    triggers = [tab.select, kind.change, chosen.change]
    gr.on(triggers, expected, None, [line], inputs_kwargs=inputs | stylize.controls, **LINE_UPDATE)
