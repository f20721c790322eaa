"""Command line: `style-core` (or `python -m style_core`) `stylize|compare|explore|video|denoise|presets|settings`.

A thin layer: flags -> StyleConfig -> style_core; errors a user can fix print one line and exit 2.
Every StyleConfig field is a flag, made from its Setting (config.SETTINGS): name, help, choices.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import (
    DEFAULT_PRESET,
    PRESET_HELP,
    PRESETS,
    SETTINGS,
    StyleConfig,
    controls_table,
    describe,
    parse_names,
    parse_numbers,
    parse_style_layers,
    preset,
)
from .errors import ConfigError, StyleCoreError
from .grid import (
    GRID_KIND_HELP,
    GRID_KINDS,
    GRID_SIZE,
    GridCell,
    compose_grid,
    plan_grid,
    quick,
    run_costs,
    run_grid,
    units_done,
)
from .images import read_png_settings, save_png
from .pipeline import Result, run
from .progress_line import ProgressLine
from .transfer import Progress

EXIT_USAGE = 2
OUT_SUFFIXES = {"video": (".mp4", ".gif")}  # every other command writes a PNG
# The fields whose values are lists or mappings, and how a flag's text becomes one.
TEXT_PARSERS = {"content_layers": parse_names, "style_layers": parse_style_layers, "style_blend": parse_numbers}
FLAG_ALIASES = {"style_blend": ["--style-weights"]}  # the name earlier releases used


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _argument_type(name: str) -> Any:
    kind = StyleConfig.__dataclass_fields__[name].type
    if name in TEXT_PARSERS:
        return _text_type(TEXT_PARSERS[name])
    return {"int": int, "float": float}.get(kind, str)


def _text_type(parse: Any) -> Any:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per StyleConfig field; an unset flag keeps the preset's or --config's value."""
    group = parser.add_argument_group("settings (each overrides the preset and --config)")
    for name, spec in SETTINGS.items():
        extra = {"choices": spec.choices} if spec.choices and name not in TEXT_PARSERS else {}
        group.add_argument(
            flag(name), *FLAG_ALIASES.get(name, []), dest=name, type=_argument_type(name), help=spec.help, **extra
        )


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", required=True, help="the photo to stylize (stylize: or a folder of them)")
    parser.add_argument("--style", action="append", required=True, help="a style image; repeat for several")
    _add_run_options(parser)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset", choices=sorted(PRESETS), help=f"named settings to start from (default {DEFAULT_PRESET})"
    )
    parser.add_argument("--config", help="settings from a JSON file or from a PNG made by style_core")
    parser.add_argument("--device", help="cpu, cuda or cuda:N (default: cuda when present)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _program_name() -> str:
    """`style-core` when installed as a command, `python -m style_core` from a checkout."""
    return "python -m style_core" if Path(sys.argv[0]).name == "__main__.py" else "style-core"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=_program_name(), description="Neural style transfer (Gatys et al.).")
    commands = parser.add_subparsers(dest="command", required=True)

    _add_stylize_command(commands)

    compare = commands.add_parser(
        "compare", help="a labelled grid: the photo in every preset, in every --style, or strength x layers"
    )
    _add_inputs(compare)
    compare.add_argument("--out", "--output", "-o", required=True, help="output PNG of the grid")
    compare.add_argument(
        "--kind", choices=[kind.replace(" ", "-") for kind in GRID_KINDS], default=GRID_KINDS[0],
        help="; ".join(f"{kind.replace(' ', '-')}: {help}" for kind, help in GRID_KIND_HELP.items()),
    )  # fmt: skip
    add_setting_flags(compare)

    explore_command = commands.add_parser(
        "explore", help="the paper's Figure 1 with your images: reconstructions from single layers (content) "
        "and growing sets of layers (style)",
    )  # fmt: skip
    explore_command.add_argument("--image", required=True, help="the photo (content row) and/or painting (style row)")
    explore_command.add_argument("--style-image", help="a second image for the style row when --kind both")
    explore_command.add_argument("--kind", choices=("content", "style", "both"), default="both")
    explore_command.add_argument("--out", "--output", "-o", required=True, help="output PNG of the labelled figure")
    explore_command.add_argument("--size", type=int, default=192, help="long side of each cell in px")
    explore_command.add_argument("--steps", type=int, default=50, help="L-BFGS steps per cell")
    explore_command.add_argument("--seed", type=int, default=0)
    explore_command.add_argument("--device")
    explore_command.add_argument("--quiet", action="store_true")

    _add_video_command(commands)

    commands.add_parser("presets", help="list the named presets")
    commands.add_parser("settings", help="print the table of every setting (Markdown, as in docs/USAGE.md)")

    _add_denoise_command(commands)
    return parser


def _add_stylize_command(commands: Any) -> None:
    stylize_command = commands.add_parser("stylize", help="stylize a content image with one or more style images")
    _add_inputs(stylize_command)
    stylize_command.add_argument(
        "--out",
        "--output",
        "-o",
        required=True,
        help="output PNG (the full settings are stored inside it); a folder when --content is",
    )
    stylize_command.add_argument(
        "--denoise", action="store_true", help="clean the result with the ZS-N2N denoiser (fast mode)"
    )
    stylize_command.add_argument(
        "--mask", action="append",
        help="where the matching --style goes (white = its region; black = not there); one per --style, in the "
        "same order; where no mask is white the photo is kept",
    )  # fmt: skip
    stylize_command.add_argument(
        "--start", help="refine this picture (e.g. a result PNG, with --config of the same PNG and a larger --size: "
        "a print of it) instead of starting afresh",
    )  # fmt: skip
    add_setting_flags(stylize_command)


def _add_denoise_command(commands: Any) -> None:
    from .denoise import MODES

    clean = commands.add_parser("denoise", help="denoise an image with Zero-Shot Noise2Noise")
    clean.add_argument("--input", required=True)
    clean.add_argument("--out", "--output", "-o", required=True)
    clean.add_argument(
        "--mode", choices=MODES, default="fast",
        help="fast: random crops and a short schedule, for CPUs (its time and quality: docs/BENCHMARKS.md); "
        "paper: the published recipe, about an hour on a CPU",
    )  # fmt: skip
    clean.add_argument("--steps", type=int, help="training steps (default: the mode's)")
    clean.add_argument("--seed", type=int, default=0)
    clean.add_argument("--device")
    clean.add_argument("--quiet", action="store_true")


def _add_video_command(commands: Any) -> None:
    video = commands.add_parser(
        "video", help="stylize a clip (MP4, WebM, MOV, GIF) without flicker: each frame starts from the last, "
        "warped along the optical flow (Ruder et al. 2016)",
    )  # fmt: skip
    video.add_argument("--input", required=True, help="the clip")
    video.add_argument("--style", action="append", required=True, help="a style image; repeat for several")
    _add_run_options(video)
    video.add_argument("--out", "--output", "-o", required=True, help="output .mp4 (H.264) or .gif")
    video.add_argument("--gif", help="also write the result as this GIF")
    video.add_argument("--fps", type=float, help="frames per second to keep (default: the clip's)")
    video.add_argument("--frame-steps", type=int, help="optimiser steps on each frame after the first")
    video.add_argument("--frame-by-frame", action="store_true", help="no temporal loss (flickers; for comparison)")
    add_setting_flags(video)


def config_from_args(args: argparse.Namespace) -> StyleConfig:
    """Preset, then --config, then each flag given: later ones win."""
    settings = preset(args.preset or DEFAULT_PRESET).to_dict()
    if args.config:
        settings.update(_read_config_file(args.config))
    for name in SETTINGS:
        value = getattr(args, name, None)
        if value is not None:
            settings[name] = value
    return StyleConfig.from_dict(settings)


def _read_config_file(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{path}: no such settings file")
    if file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
        return read_png_settings(file)
    return StyleConfig.from_json(file.read_text(encoding="utf-8", errors="replace")).to_dict()


def run_stylize(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if Path(args.content).is_dir():
        return _stylize_folder(args, config)
    _stylize_one(args, config, args.content, args.out)
    return 0


def _stylize_one(args: argparse.Namespace, config: StyleConfig, content: str, out: str, label: str = "") -> None:
    bar, cleaning, reached = None, None, None
    options = {"masks": args.mask, "clean_up": args.denoise, "device": args.device, "start": args.start}
    try:
        for event in run(content, args.style, config, **options):
            if isinstance(event, Progress):
                reached = event
                bar = bar or ProgressLine(event.total_steps, label, not args.quiet, pace=False)
                _show_step(bar, event)
            elif isinstance(event, Result):
                result = event
            else:
                cleaning = cleaning or ProgressLine(event.total_steps, f"{label}denoise ", not args.quiet)
                cleaning.update(event.step, f"step {event.step}/{event.total_steps}")
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see main): keep what the run had reached
        _keep_partial(reached, config, out)
        raise
    finally:
        for line in (bar, cleaning):
            if line:
                line.close()
    result.save(out)
    if not args.quiet:
        print(f"wrote {out} ({result.image.width}x{result.image.height}) in {result.seconds:.1f}s")


def partial_path(out: str | os.PathLike) -> Path:
    """Where a stopped run's picture goes: out.png -> out.partial.png."""
    return Path(out).with_name(Path(out).stem + ".partial.png")


def _keep_partial(reached: Progress | None, config: StyleConfig, out: str) -> None:
    picture = reached.current() if reached and reached.current else None
    if picture is None:
        return
    where = partial_path(out)
    stopped = {"step": reached.total_step, "of": reached.total_steps}
    save_png(picture, where, config.to_dict(), {"stopped": stopped})
    print(
        f"\nstopped at step {stopped['step']} of {stopped['of']}: wrote {where} (its settings inside); "
        f"to go on from it, run the same command with --start {where}",
        file=sys.stderr,
    )


def _show_step(bar: ProgressLine, event: Progress) -> None:
    if event.note:
        bar.note(event.note)
    loss = event.losses.get("total", math.nan)  # nan before the first step
    width, height = event.size
    text = f"scale {event.scale}/{event.scales} {width}x{height} step {event.total_step}/{event.total_steps}"
    text += f" loss {loss:.3g}" if math.isfinite(loss) else ""
    measured = event.step >= 2 or event.scale > 1  # the first step also holds the set-up: no pace yet
    bar.update(event.total_step, text, event.eta if measured else None)


PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def _stylize_folder(args: argparse.Namespace, config: StyleConfig) -> int:
    """Every photo in the --content folder into the --out folder as <name>.png; a bad file is reported and
    skipped, the rest still run."""
    photos = sorted(p for p in Path(args.content).iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
    if not photos:
        raise ConfigError(f"{args.content}: no photos in this folder ({', '.join(sorted(PHOTO_SUFFIXES))})")
    if args.mask or args.start:
        raise ConfigError("--mask and --start apply to one photo, not to a folder")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for number, photo in enumerate(photos, start=1):
        try:
            _stylize_one(args, config, str(photo), str(out / f"{photo.stem}.png"), f"[{number}/{len(photos)}] ")
        except StyleCoreError as error:
            failed += 1
            print(f"skipped {photo.name}: {error}", file=sys.stderr)
    return EXIT_USAGE if failed else 0


def run_video(args: argparse.Namespace) -> int:
    from .video import FRAME_STEPS, read_clip, resample, stylize_video, write_gif, write_mp4

    config = config_from_args(args)
    clip = read_clip(args.input, long_side=config.size)
    clip = resample(clip, args.fps) if args.fps else clip
    for note in clip.notes:
        print(f"note: {Path(args.input).name}: {note}", file=sys.stderr)
    steps = args.frame_steps or FRAME_STEPS
    events = stylize_video(clip, args.style, config, temporal=not args.frame_by_frame, frame_steps=steps,
                           device=args.device)  # fmt: skip
    bar = ProgressLine(len(clip.frames), "", not args.quiet, pace=False)
    for event in events:
        if event.note:
            bar.note(event.note)
        finished = event.frame - (event.done_frame is None)
        measured = event.step >= 2 or event.frame > 1  # the first step also holds the set-up: no pace yet
        bar.update(finished, f"frame {event.frame}/{event.frames} step {event.step}", event.eta if measured else None)
        if event.done:
            frames = event.result
    bar.close()
    writers = {".gif": write_gif}
    writers.get(Path(args.out).suffix.lower(), write_mp4)(frames, clip.fps, args.out)
    if args.gif:
        write_gif(frames, clip.fps, args.gif)
    if not args.quiet:
        print(f"wrote {args.out} ({len(frames)} frames, {frames[0].width}x{frames[0].height}, {clip.fps:g} fps)")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    size = args.size or GRID_SIZE
    base = quick(config_from_args(args).replace(size=size), size)
    kind = args.kind.replace("-", " ")
    plan = plan_grid(kind, base, args.style, [Path(style).stem for style in args.style])
    costs = run_costs(plan)  # cells differ in cost (a preset's schedule): the time left weighs each by its own
    bar = ProgressLine(sum(costs), "", not args.quiet)
    started, cells = time.perf_counter(), []
    for event in run_grid(args.content, plan, device=args.device):
        if isinstance(event, GridCell):
            cells.append(event)
        elif event.step < 2:  # a cell's first step also holds its set-up: no pace from it
            continue
        share = 0.0 if isinstance(event, GridCell) else event.total_step / max(1, event.total_steps)
        under_way = min(len(cells) + 1, len(costs))
        bar.update(units_done(costs, len(cells), share), f"cell {under_way}/{len(plan.runs)}")
    bar.close()
    save_png(compose_grid(cells, plan.row_labels, plan.column_labels), args.out)
    if not args.quiet:
        print(f"wrote {args.out} ({len(cells)} cells) in {time.perf_counter() - started:.1f}s")
    return 0


def run_explore(args: argparse.Namespace) -> int:
    from .explore import ExploreConfig, explore_grid, plan_cells

    config = ExploreConfig(kind=args.kind, size=args.size, steps=args.steps, seed=args.seed)
    started, figure, cells = time.perf_counter(), None, len(plan_cells(config))
    bar = ProgressLine(cells, "", not args.quiet)
    for done, grid in enumerate(
        explore_grid(args.image, args.style_image or args.image, config, device=args.device), 1
    ):
        figure = grid
        bar.update(done, f"cell {done}/{cells}")
    bar.close()
    save_png(figure.image, args.out)
    if not args.quiet:
        print(f"wrote {args.out} in {time.perf_counter() - started:.1f}s")
    return 0


def run_denoise(args: argparse.Namespace) -> int:
    from .denoise import DenoiseConfig, denoise
    from .images import load_image

    config = DenoiseConfig(mode=args.mode, seed=args.seed, **({"steps": args.steps} if args.steps else {}))
    image = load_image(args.input, "input image")
    bar, result = None, None
    for event in denoise(image, config, device=args.device):
        bar = bar or ProgressLine(event.total_steps, "denoise ", not args.quiet)
        bar.update(event.step, f"step {event.step}/{event.total_steps}")
        if event.done:
            result = event.image
    bar.close()
    save_png(result, args.out, notes={"denoise": config.to_dict()})
    if not args.quiet:
        print(f"wrote {args.out}")
    return 0


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # a SIGTERM (a killed job, a stopped container) stops like Ctrl-C: output kept


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if threading.current_thread() is not threading.main_thread():  # signals can only be handled there
        return _main(args)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return _main(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_out(args: argparse.Namespace) -> None:
    """Refuse, before any work, an --out the run could not write: a folder that does not exist, or a kind of file
    the command does not make (a name ending .jpg would hold PNG data)."""
    out = Path(args.out)
    if args.command == "stylize" and Path(args.content).is_dir():
        return  # a folder of results, made if missing
    suffixes = OUT_SUFFIXES.get(args.command, (".png",))
    if out.suffix.lower() not in suffixes:
        kinds = " or ".join(suffixes) + (" (the settings travel inside it)" if suffixes == (".png",) else "")
        raise ConfigError(f"--out {out}: {args.command} writes {kinds}: name it {out.with_suffix(suffixes[0]).name}")
    if not out.parent.is_dir():
        raise ConfigError(f"--out {out}: the folder {out.parent} does not exist")


def _main(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "out", None) is not None:
            check_out(args)
        if args.command == "presets":
            for name, config in PRESETS.items():
                print(f"{name:14s} {PRESET_HELP[name]}\n{'':14s} {describe(config)}")
            return 0
        if args.command == "settings":
            print(controls_table())
            return 0
        if args.command == "stylize":
            return run_stylize(args)
        if args.command == "compare":
            return run_compare(args)
        if args.command == "explore":
            return run_explore(args)
        if args.command == "video":
            return run_video(args)
        return run_denoise(args)
    except StyleCoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:  # piped into e.g. `head`, which has read what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error as Python exits
        return 0
