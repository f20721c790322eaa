"""Command line: `python -m style_core stylize ...`, `... presets`, `... denoise ...`.

A thin layer: flags -> StyleConfig -> stylize(); errors a user can fix print one line and exit 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .config import COLOR_MODES, DEFAULT_PRESET, INITS, OPTIMIZERS, PRESETS, StyleConfig, preset
from .errors import ConfigError, StyleCoreError
from .images import read_png_settings, save_png
from .transfer import Progress, stylize
from .vgg import POOLING, WEIGHT_SOURCES

EXIT_USAGE = 2


def _floats(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}") from None


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


# flag -> (StyleConfig field, type, help). Every control is a flag; unset flags keep the preset/config value.
STYLE_FLAGS: dict[str, tuple[str, type | object, str]] = {
    "--size": ("size", int, "long side of the output in px"),
    "--iterations": ("iterations", int, "optimiser steps at the coarsest scale (the only one if --scales 1)"),
    "--seed": ("seed", int, "random seed: the same seed and settings give the same image"),
    "--content-layers": ("content_layers", _names, "comma-separated VGG19 layers for content, e.g. relu4_2"),
    "--content-weight": ("content_weight", float, "alpha, the content weight"),
    "--style-weight": ("style_weight", float, "beta, the style weight (alpha/beta = 1e-3 is the paper's balance)"),
    "--strength": ("strength", float, "multiplies the style weight: 2 = twice as much style"),
    "--tv-weight": ("tv_weight", float, "total-variation weight: smooths speckle; 0 turns it off"),
    "--pooling": ("pooling", POOLING, "max or avg pooling in VGG19 (the paper used avg)"),
    "--weights": ("weights", WEIGHT_SOURCES, "VGG19 weights: bundled (Caffe, offline) or torchvision (download)"),
    "--init": ("init", INITS, "start from the content, noise or the style image"),
    "--optimizer": ("optimizer", OPTIMIZERS, "lbfgs (fewer steps) or adam (less memory)"),
    "--learning-rate": ("learning_rate", float, "Adam step size on pixels in [0, 1]"),
    "--lbfgs-history": ("lbfgs_history", int, "L-BFGS curvature history length"),
    "--scales": ("scales", int, "number of coarse-to-fine scales (1 = single scale)"),
    "--scale-factor": ("scale_factor", float, "size ratio between scales"),
    "--fine-steps-ratio": (
        "fine_steps_ratio",
        float,
        "each finer scale runs this fraction of the previous one's steps",
    ),
    "--min-change": ("min_change", float, "stop a scale once pixels move less than this per step (0-255; 0 = never)"),
    "--style-scale": ("style_scale", float, "style image size relative to the output (smaller = larger brush strokes)"),
    "--color": (
        "color",
        COLOR_MODES,
        "colour preservation: off, luminance (keep content colours), match (recolour the style)",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m style_core", description="Neural style transfer (Gatys et al.).")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("stylize", help="stylise a content image with one or more style images")
    run.add_argument("--content", required=True, help="the photo to stylise")
    run.add_argument("--style", action="append", required=True, help="a style image; repeat for several")
    run.add_argument("--style-weights", type=_floats, help="blend weights of the style images, e.g. 0.7,0.3")
    run.add_argument("--out", required=True, help="output PNG (the full settings are stored inside it)")
    run.add_argument(
        "--preset", choices=sorted(PRESETS), help=f"named settings to start from (default {DEFAULT_PRESET})"
    )
    run.add_argument("--config", help="settings from a JSON file or from a PNG made by style_core")
    run.add_argument(
        "--style-layers",
        help="comma-separated style layers, each optionally with a weight: relu1_1:1,relu2_1:0.5",
    )
    for flag, (name, kind, text) in STYLE_FLAGS.items():
        if isinstance(kind, tuple):
            run.add_argument(flag, dest=name, choices=kind, help=text)
        else:
            run.add_argument(flag, dest=name, type=kind, help=text)
    run.add_argument("--device", help="cpu, cuda or cuda:N (default: cuda when present)")
    run.add_argument("--denoise", action="store_true", help="clean the result with the ZS-N2N denoiser (fast mode)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    commands.add_parser("presets", help="list the named presets")

    clean = commands.add_parser("denoise", help="denoise an image with Zero-Shot Noise2Noise")
    clean.add_argument("--input", required=True)
    clean.add_argument("--out", required=True)
    clean.add_argument(
        "--mode", choices=("fast", "paper"), default="fast",
        help="fast: ~20 s on 2 CPU cores, within 0.3 dB of paper on Kodak; "
        "paper: the published recipe, ~1 h there",
    )  # fmt: skip
    clean.add_argument("--steps", type=int, help="training steps (default: the mode's)")
    clean.add_argument("--seed", type=int, default=0)
    clean.add_argument("--device")
    clean.add_argument("--quiet", action="store_true")
    return parser


def config_from_args(args: argparse.Namespace) -> StyleConfig:
    """Preset, then --config, then each flag given: later ones win."""
    settings = preset(args.preset or DEFAULT_PRESET).to_dict()
    if args.config:
        settings.update(_read_config_file(args.config))
    for name, _, _ in STYLE_FLAGS.values():
        value = getattr(args, name)
        if value is not None:
            settings[name] = value
    if args.style_layers:
        settings["style_layers"] = _parse_style_layers(args.style_layers)
    if args.style_weights is not None:
        settings["style_blend"] = args.style_weights
    return StyleConfig.from_dict(settings)


def _read_config_file(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{path}: no such settings file")
    if file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
        return read_png_settings(file)
    return StyleConfig.from_json(file.read_text(encoding="utf-8", errors="replace")).to_dict()


def _parse_style_layers(text: str) -> dict[str, float]:
    layers = {}
    for part in _names(text):
        name, _, weight = part.partition(":")
        try:
            layers[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise ConfigError(f"style layer weight {weight!r} for {name} is not a number") from None
    return layers


class ProgressBar:
    """One self-rewriting line on stderr."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr is not None

    def show(self, event: Progress, label: str = "") -> None:
        if not self.enabled:
            return
        done = event.total_step / max(1, event.total_steps)
        bar = "#" * round(24 * done) + "." * (24 - round(24 * done))
        loss = event.losses.get("total")
        text = (
            f"\r{label}scale {event.scale}/{event.scales} {event.size[0]}x{event.size[1]} [{bar}] "
            f"step {event.total_step}/{event.total_steps}"
            + (f" loss {loss:.3g}" if loss is not None else "")
            + f" {event.elapsed:.0f}s, ~{event.eta:.0f}s left  "
        )
        sys.stderr.write(text)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def run_stylize(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    bar = ProgressBar(not args.quiet)
    started = time.perf_counter()
    result = None
    for event in stylize(args.content, args.style, config, device=args.device):
        bar.show(event)
        if event.done:
            result = event.image
    bar.close()
    notes = None
    if args.denoise:
        from .denoise import DenoiseConfig, denoise_image

        denoise_config = DenoiseConfig(seed=config.seed)
        result = denoise_image(result, denoise_config, device=args.device)
        notes = {"denoise": denoise_config.to_dict()}
    save_png(result, args.out, config.to_dict(), notes)
    if not args.quiet:
        print(f"wrote {args.out} ({result.width}x{result.height}) in {time.perf_counter() - started:.1f}s")
    return 0


def run_denoise(args: argparse.Namespace) -> int:
    from .denoise import DenoiseConfig, denoise
    from .images import load_image

    config = DenoiseConfig(mode=args.mode, seed=args.seed, **({"steps": args.steps} if args.steps else {}))
    image = load_image(args.input, "input image")
    bar = ProgressBar(not args.quiet)
    result = None
    for event in denoise(image, config, device=args.device):
        if bar.enabled:
            sys.stderr.write(
                f"\rdenoise step {event.step}/{event.total_steps} loss {event.loss:.3g} {event.elapsed:.0f}s  "
            )
        if event.done:
            result = event.image
    bar.close()
    save_png(result, args.out, notes={"denoise": config.to_dict()})
    if not args.quiet:
        print(f"wrote {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "presets":
            for name, config in PRESETS.items():
                print(f"{name:14s} {describe(config)}")
            return 0
        if args.command == "stylize":
            return run_stylize(args)
        return run_denoise(args)
    except StyleCoreError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 130


def describe(config: StyleConfig) -> str:
    """A one-line caption of the settings a user most often changes."""
    ratio = (
        config.content_weight / (config.style_weight * config.strength)
        if config.style_weight * config.strength
        else float("inf")
    )
    sizes = "/".join(str(s) for s in config.scale_sizes())
    parts = [
        f"alpha/beta {ratio:.0e}",
        f"{sizes} px",
        "/".join(str(n) for n in config.scale_iterations()) + " steps",
        f"{config.optimizer}",
        f"{config.pooling} pool",
        f"init {config.init}",
    ]
    if config.color != "off":
        parts.append(f"colour {config.color}")
    if config.tv_weight:
        parts.append(f"tv {config.tv_weight:g}")
    return ", ".join(parts)
