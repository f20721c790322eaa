"""Style Transfer Studio: the browser page. Gradio widgets wired to style_core; no maths here.

python app.py [--share] [--server-name 0.0.0.0] [--port 7860]
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image

from style_core import PRESETS, StyleConfig, StyleCoreError, load_image, preset, read_png_settings, save_png, stylize
from style_core.cli import describe
from style_core.config import LAYER_WEIGHT_PRESETS, STYLE_LAYERS
from style_core.denoise import DenoiseConfig, denoise
from style_core.grid import GRID_KINDS, compose_grid, plan_grid, run_grid
from style_core.vgg import LAYER_NAMES

try:  # On a ZeroGPU Space this borrows a GPU for each heavy call; elsewhere it changes nothing.
    import spaces

    gpu = spaces.GPU(duration=240)
except ImportError:

    def gpu(function):
        return function


HERE = Path(__file__).resolve().parent
STYLE_EXAMPLES = sorted((HERE / "examples" / "styles").glob("*.png"))
CONTENT_EXAMPLES = sorted((HERE / "examples" / "contents").glob("*.jpg"))
RESULTS_DIR = Path(tempfile.gettempdir()) / "style_transfer_studio"
RESULT_MAX_AGE_S = 2 * 3600
MAX_UPLOAD = "20mb"
# The page's starting point: the balanced preset at a size whose first preview comes within seconds
# on a 2-core CPU; users raise the size when they like the look.
PAGE_DEFAULT = preset("balanced").replace(size=384)
ALPHA_BETA_CHOICES = ["1e-1", "1e-2", "3e-3", "1e-3", "3e-4", "1e-4", "1e-5"]
GRID_SIZE = 160
# Gradio stretches a lone gallery tile to the full width; keep result tiles thumbnail-sized.
CSS = "#results .grid-container { grid-template-columns: repeat(auto-fill, minmax(160px, 180px)) !important; }"


class PhotoInput(gr.Image):
    """gr.Image that turns an unreadable upload into a clear message instead of a generic error."""

    is_template = True  # render with the ordinary Image front end

    def preprocess(self, payload: Any) -> Any:
        try:
            return super().preprocess(payload)
        except Exception:
            try:  # style_core knows the precise reason (truncated, not an image, too large ...)
                load_image(getattr(payload, "path", None) or "", self.label)
            except StyleCoreError as error:
                raise gr.Error(str(error)) from None
            raise gr.Error(f"{self.label}: not an image, or a format that cannot be read") from None


# ---- settings <-> controls -------------------------------------------------------------------------


def controls_to_config(
    strength, size, iterations, color, seed, alpha_beta, content_layer, w1, w2, w3, w4, w5,
    tv_weight, pooling, init, optimizer, learning_rate, scales, style_scale, min_change,
) -> StyleConfig:  # fmt: skip
    style_layers = {name: float(w) for name, w in zip(STYLE_LAYERS, (w1, w2, w3, w4, w5)) if w and w > 0}
    if not style_layers:
        raise gr.Error("Give at least one style layer a weight above 0 (Advanced settings).")
    try:
        return PAGE_DEFAULT.replace(
            strength=float(strength), size=int(size), iterations=int(iterations), color=color,
            seed=int(seed), style_weight=1.0 / float(alpha_beta), content_weight=1.0,
            content_layers=[content_layer], style_layers=style_layers, tv_weight=float(tv_weight),
            pooling=pooling, init=init, optimizer=optimizer, learning_rate=float(learning_rate),
            scales=int(scales), style_scale=float(style_scale), min_change=float(min_change),
        )  # fmt: skip
    except (StyleCoreError, TypeError, ValueError) as error:
        raise gr.Error(f"Invalid setting: {error}") from None


def config_to_controls(config: StyleConfig) -> list[Any]:
    """The control values for a config, in the order of `controls_to_config`'s parameters."""
    ratio = config.content_weight / config.style_weight if config.style_weight else 1e-1
    nearest = min(ALPHA_BETA_CHOICES, key=lambda choice: abs(_log10(float(choice)) - _log10(ratio)))
    weights = [config.style_layers.get(name, 0.0) for name in STYLE_LAYERS]
    return [
        config.strength, config.size, config.iterations, config.color, config.seed, nearest,
        config.content_layers[0], *weights, config.tv_weight, config.pooling, config.init, config.optimizer,
        config.learning_rate, config.scales, config.style_scale, config.min_change,
    ]  # fmt: skip


def _log10(value: float) -> float:
    return math.log10(max(value, 1e-12))


# ---- the heavy work ------------------------------------------------------------------------------


def _result_path() -> Path:
    """A fresh file for one result; results older than two hours are removed."""
    RESULTS_DIR.mkdir(exist_ok=True)
    now = time.time()
    for old in RESULTS_DIR.glob("*.png"):
        if now - old.stat().st_mtime > RESULT_MAX_AGE_S:
            old.unlink(missing_ok=True)
    handle, name = tempfile.mkstemp(suffix=".png", prefix="stylised_", dir=RESULTS_DIR)
    os.close(handle)
    return Path(name)


def _status(event) -> str:
    return (
        f"Scale {event.scale}/{event.scales} ({event.size[0]}x{event.size[1]}) - step {event.total_step} of at most "
        f"{event.total_steps} - {event.elapsed:.0f} s - about {event.eta:.0f} s left"
    )


@gpu
def run_stylize(content, style, style2, style2_weight, clean_up, history, *controls, progress=gr.Progress()):
    """Stream previews, then the final image, a gallery entry, a before/after pair and the PNG."""
    if not content:
        raise gr.Error("Upload a content photo first.")
    if not style and not style2:
        raise gr.Error("Choose a style image: upload one or click an example style.")
    config = controls_to_config(*controls)
    styles = [s for s in (style, style2) if s]
    if len(styles) == 2:
        config = config.replace(style_blend=[1.0 - float(style2_weight), float(style2_weight)])
    history = list(history or [])
    final = None
    try:
        for event in stylize(content, styles, config, preview_every=2.0):
            progress((event.total_step, event.total_steps), desc="Stylising")
            if event.done:
                final, seconds = event.image, event.elapsed
            elif event.preview is not None:
                yield event.preview, _status(event), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        notes = None
        if clean_up:
            denoise_config = DenoiseConfig(seed=config.seed)
            for event in denoise(final, denoise_config):
                progress((event.step, event.total_steps), desc="Denoising")
                if event.done:
                    final = event.image
            notes = {"denoise": denoise_config.to_dict()}
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None
    path, before_path = _result_path(), _result_path()
    save_png(final, path, config.to_dict(), notes)
    before = load_image(content).resize(final.size, Image.Resampling.LANCZOS)
    before.save(before_path)  # the upload itself may be cleaned from Gradio's cache before the gallery is
    caption = describe(config) + (", denoised" if clean_up else "")
    history.append({"path": str(path), "before": str(before_path), "caption": caption, "settings": config.to_dict()})
    gallery = [(item["path"], item["caption"]) for item in history]
    yield final, f"Done in {seconds:.0f} s. {caption}", gallery, (before, final), str(path), history


@gpu
def run_grid_sweep(content, style, kind, *controls, progress=gr.Progress()):
    if not content:
        raise gr.Error("Upload a content photo first.")
    config = controls_to_config(*controls)
    base = config.replace(size=GRID_SIZE, scales=1, iterations=min(config.iterations, 40))  # seconds per cell
    if kind == "styles":
        styles = ([style] if style else []) + [str(p) for p in STYLE_EXAMPLES]
        names = (["your style"] if style else []) + [p.stem for p in STYLE_EXAMPLES]
    else:
        if not style:
            raise gr.Error("Choose a style image first.")
        styles, names = [style], ["style"]
    plan = plan_grid(kind, base, styles, names)
    cells = []
    try:
        for cell in run_grid(content, plan):
            cells.append(cell)
            progress((len(cells), len(plan.runs)), desc="Running the grid")
            yield compose_grid(cells, plan.row_labels, plan.column_labels)
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None


@gpu
def run_denoise(image, progress=gr.Progress()):
    if not image:
        raise gr.Error("Upload an image to denoise.")
    try:
        before = load_image(image, "image to denoise")
        config = DenoiseConfig()
        # About five previews a run: each applies the network to the whole image (a fraction of a second).
        for event in denoise(before, config, preview_every=max(1, config.steps // 5)):
            progress((event.step, event.total_steps), desc="Fitting the denoiser to this image")
            if event.done:
                path = _result_path()
                save_png(event.image, path, notes={"denoise": config.to_dict()})
                yield (before, event.image), str(path)
            elif event.image is not None:
                yield (before, event.image), gr.skip()
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None


# ---- small handlers ------------------------------------------------------------------------------


def apply_preset(name: str) -> list[Any]:
    return config_to_controls(preset(name).replace(size=min(preset(name).size, PAGE_DEFAULT.size)))


def apply_layer_weighting(name: str) -> list[float]:
    return list(LAYER_WEIGHT_PRESETS[name])


def pick_example_style(evt: gr.SelectData) -> str:
    return str(STYLE_EXAMPLES[evt.index])


def restore_from_png(file) -> list[Any]:
    if file is None:
        return [gr.skip()] * len(CONTROL_LABELS)
    try:
        config = StyleConfig.from_dict(read_png_settings(file))
    except StyleCoreError as error:
        raise gr.Error(str(error)) from None
    gr.Info("Settings restored from the PNG.")
    return config_to_controls(config)


def show_gallery_item(history, evt: gr.SelectData) -> list[Any]:
    item = history[evt.index]
    if not (Path(item["path"]).is_file() and Path(item["before"]).is_file()):
        raise gr.Error("This result has expired (results are kept for two hours): run it again.")
    result, before = Image.open(item["path"]), Image.open(item["before"])
    controls = config_to_controls(StyleConfig.from_dict(item["settings"]))
    return [item["path"], (before, result), item["path"], *controls]


# ---- layout --------------------------------------------------------------------------------------

CONTROL_LABELS = [
    "strength", "size", "iterations", "color", "seed", "alpha_beta", "content_layer", "w1", "w2", "w3", "w4", "w5",
    "tv_weight", "pooling", "init", "optimizer", "learning_rate", "scales", "style_scale", "min_change",
]  # fmt: skip


def build_demo() -> gr.Blocks:
    defaults = dict(zip(CONTROL_LABELS, config_to_controls(PAGE_DEFAULT)))
    with gr.Blocks(title="Style Transfer Studio", delete_cache=(3600, 7200)) as demo:
        history = gr.State([])
        gr.Markdown(
            "# Style Transfer Studio\n"
            "Drop in a photo and a painting: the photo is redrawn with the painting's textures "
            "(Gatys et al., *A Neural Algorithm of Artistic Style*). Watch it form, compare results, download them."
        )
        with gr.Tab("Stylise"):
            with gr.Row():
                with gr.Column(scale=1):
                    content = PhotoInput(
                        label="Content photo", type="filepath", image_mode=None, height=260, elem_id="content-input"
                    )
                    gr.Examples([[str(p)] for p in CONTENT_EXAMPLES], inputs=[content], label="Example photos")
                with gr.Column(scale=1):
                    style = PhotoInput(
                        label="Style image", type="filepath", image_mode=None, height=260, elem_id="style-input"
                    )
                    style_gallery = gr.Gallery(
                        [(str(p), p.stem) for p in STYLE_EXAMPLES], label="Example styles: click one to use it",
                        columns=3, height=120, allow_preview=False, format="png",
                    )  # fmt: skip
                with gr.Column(scale=1):
                    with gr.Accordion("Blend a second style", open=False):
                        style2 = PhotoInput(label="Second style image", type="filepath", image_mode=None, height=160)
                        style2_weight = gr.Slider(
                            0, 1, 0.5, step=0.05, label="Share of the second style",
                            info="0 = only the first style, 1 = only the second",
                        )  # fmt: skip
                    preset_name = gr.Dropdown(
                        list(PRESETS), value="balanced", label="Preset",
                        info="Named settings: the 2015 paper's, balanced, strong style, keep colours, fast preview",
                    )  # fmt: skip
                    strength = gr.Slider(
                        0.1, 10, defaults["strength"], step=0.1, label="Style strength",
                        info="How much painting versus photo: 1 is the paper's balance, 10 mostly painting, "
                        "0.1 mostly photo",
                    )  # fmt: skip
                    size = gr.Slider(
                        128, 1024, defaults["size"], step=32, label="Output size (long side, px)",
                        info="Larger is sharper and slower: time grows with the pixel count",
                    )  # fmt: skip
                    iterations = gr.Slider(
                        10, 500, defaults["iterations"], step=10, label="Iterations",
                        info="Steps at the first, smallest scale; each larger scale runs half as many",
                    )  # fmt: skip
                    color = gr.Radio(
                        ["off", "luminance", "match"], value=defaults["color"], label="Colour preservation",
                        info="luminance keeps the photo's colours; match recolours the painting to the photo first",
                    )  # fmt: skip
                    seed = gr.Number(defaults["seed"], precision=0, label="Seed", info="Same seed, same picture")
                    clean_up = gr.Checkbox(False, label="Clean up the result with the denoiser (ZS-N2N, ~20 s on CPU)")
            with gr.Accordion("Advanced settings", open=False):
                with gr.Row():
                    alpha_beta = gr.Dropdown(
                        ALPHA_BETA_CHOICES, value=defaults["alpha_beta"], label="Content/style ratio alpha/beta",
                        info="The paper's weights: 1e-3 balanced, 1e-4 strong; Style strength divides this further",
                    )  # fmt: skip
                    content_layer = gr.Dropdown(
                        [n for n in LAYER_NAMES if not n.startswith("pool")], value=defaults["content_layer"],
                        label="Content layer", info="Deeper layers keep the layout but not the details",
                    )  # fmt: skip
                    tv_weight = gr.Number(
                        defaults["tv_weight"], label="Smoothness (TV weight)", info="Removes speckle; 0 = off"
                    )
                with gr.Row():
                    layer_weighting = gr.Radio(
                        list(LAYER_WEIGHT_PRESETS), value="equal", label="Style layer weighting",
                        info="Deeper layers carry larger shapes, earlier ones fine texture and colour",
                    )  # fmt: skip
                with gr.Row():
                    layer_weights = [
                        gr.Slider(0, 5, defaults[f"w{i + 1}"], step=0.1, label=f"{name} weight", info="0 = off")
                        for i, name in enumerate(STYLE_LAYERS)
                    ]
                with gr.Row():
                    pooling = gr.Radio(
                        ["max", "avg"], value=defaults["pooling"], label="Pooling", info="The paper used avg"
                    )
                    init = gr.Radio(
                        ["content", "noise", "style"], value=defaults["init"], label="Start from",
                        info="noise gives freer, more painterly results",
                    )  # fmt: skip
                    optimizer = gr.Radio(
                        ["lbfgs", "adam"], value=defaults["optimizer"], label="Optimiser",
                        info="L-BFGS converges in fewer steps; Adam uses less memory",
                    )  # fmt: skip
                    learning_rate = gr.Number(
                        defaults["learning_rate"], label="Adam learning rate", info="Used by Adam only"
                    )
                with gr.Row():
                    scales = gr.Slider(
                        1, 5, defaults["scales"], step=1, label="Scales (coarse to fine)",
                        info="Start small and grow: faster, and larger brush strokes",
                    )  # fmt: skip
                    style_scale = gr.Slider(
                        0.25, 2, defaults["style_scale"], step=0.05, label="Style scale",
                        info="Size of the painting relative to the output: smaller gives bigger strokes",
                    )  # fmt: skip
                    min_change = gr.Slider(
                        0, 2, defaults["min_change"], step=0.05, label="Early stop threshold",
                        info="Move on once pixels change less than this per step (0-255 units); 0 = never",
                    )  # fmt: skip
            controls = [
                strength, size, iterations, color, seed, alpha_beta, content_layer, *layer_weights, tv_weight,
                pooling, init, optimizer, learning_rate, scales, style_scale, min_change,
            ]  # fmt: skip
            with gr.Row():
                run = gr.Button("Run", variant="primary")
                stop = gr.Button("Stop", variant="stop")
            status = gr.Markdown("Ready.")
            with gr.Row():
                result = gr.Image(
                    label="Result", format="png", type="pil", interactive=False, height=420, elem_id="result"
                )
                before_after = gr.ImageSlider(label="Before / after", format="png", type="pil", height=420)
            with gr.Row():
                download = gr.File(label="Download PNG (settings embedded)", interactive=False)
                restore = gr.File(label="Drop a result PNG here to restore its settings", file_types=[".png"])
            results = gr.Gallery(label="This session's results: click one to see it and restore its settings",
                                 columns=6, height=220, format="png", elem_id="results",
                                 object_fit="contain", preview=False)  # fmt: skip

        with gr.Tab("Compare"):
            gr.Markdown(
                "One click runs a small sweep at reduced size with the photo and style above. "
                "*strength x layers* is Figure 3 of the paper: rows use more style layers, columns more style."
            )
            grid_kind = gr.Radio(list(GRID_KINDS), value=GRID_KINDS[0], label="Grid")
            grid_button = gr.Button("Make the grid", variant="primary")
            grid_image = gr.Image(label="Comparison grid", format="png", type="pil", interactive=False)

        with gr.Tab("Denoise"):
            gr.Markdown("Zero-Shot Noise2Noise fits a tiny network to your one image: no training data needed.")
            noisy = PhotoInput(label="Image to denoise", type="filepath", image_mode=None, height=300)
            denoise_button = gr.Button("Denoise", variant="primary")
            denoised = gr.ImageSlider(label="Before / after", format="png", type="pil")
            denoised_file = gr.File(label="Download PNG", interactive=False)

        # One heavy job per device at a time; the queue shows each user their position.
        heavy = {"concurrency_limit": 1, "concurrency_id": "device"}
        run_event = run.click(
            run_stylize,
            [content, style, style2, style2_weight, clean_up, history, *controls],
            [result, status, results, before_after, download, history],
            api_name="stylize",
            show_progress="minimal",  # a small bar that leaves the streamed previews visible
            show_progress_on=[result],
            **heavy,
        )
        stop.click(None, None, None, cancels=[run_event])
        grid_event = grid_button.click(
            run_grid_sweep, [content, style, grid_kind, *controls], [grid_image], api_name="grid", **heavy
        )
        stop.click(None, None, None, cancels=[grid_event])
        denoise_button.click(run_denoise, [noisy], [denoised, denoised_file], api_name="denoise", **heavy)
        preset_name.change(apply_preset, [preset_name], controls, api_name="preset")
        layer_weighting.change(apply_layer_weighting, [layer_weighting], layer_weights, api_visibility="private")
        style_gallery.select(pick_example_style, None, [style], api_visibility="private")
        restore.upload(restore_from_png, [restore], controls, api_name="restore_settings")
        results.select(show_gallery_item, [history], [result, before_after, download, *controls])
    return demo


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the Style Transfer Studio page.")
    parser.add_argument("--share", action="store_true", help="also make a temporary public link")
    parser.add_argument("--server-name", help="address to listen on (default 127.0.0.1; 0.0.0.0 for a LAN)")
    parser.add_argument("--port", type=int, help="port (default 7860 or GRADIO_SERVER_PORT)")
    args = parser.parse_args()
    demo = build_demo()
    demo.queue(max_size=32)
    demo.launch(
        share=args.share, server_name=args.server_name, server_port=args.port, max_file_size=MAX_UPLOAD,
        theme=gr.themes.Soft(), css=CSS,
    )  # fmt: skip


if __name__ == "__main__":
    main()
