"""How good a schedule looks, and whether its controls matter: scores at three resolutions and the controls' effect.

    python -m bench.quality look [--candidates a,b] [--neural-style DIR]
    python -m bench.quality scores [--candidates a,b] [--pairs astronaut,coffee,...]
    python -m bench.quality controls [--candidates a,b] [--pairs astronaut,coffee,...]
    python -m bench.quality grids [--pairs ...]
    python -m bench.quality every [--pairs ...] [--size 512]

look      on neural-style's Figure 2 pairs (Gatys et al.'s Tubingen with four paintings, the Golden Gate with The
          Scream), each candidate schedule against neural-style's published 512 px output (1000 L-BFGS steps on a
          GPU): the relative Gram error against the painting (the mean over relu1_1..relu5_1 of
          |G - G_painting|^2 / |G_painting|^2, both pictures shrunk to 512, 256 and 128 px long side; the large
          strokes live at the small sizes, where a network's fine texture averages away) and the content error
          against the photo (relu4_2: |F - F_photo|^2 / |F_photo|^2 at 512 px; lower keeps the photo more
          recognisable). DIR is a clone of github.com/jcjohnson/neural-style (its examples/ folder is enough).
scores    the same scores on eight pairs from ../shared/images (below), which have no published output: does
          what helps on neural-style's pairs help elsewhere?
controls  on eight pairs from ../shared/images: each candidate's mean pixel difference (0-255) between style
          strength 0.1 and 10, and between style layers relu1_1 alone and relu1_1..relu5_1.
every     the controls that promise a look (strength, style layers and their weighting, content weight, smoothness,
          style scale, colour, pooling, start), each at two ends with everything else at the default: the mean
          pixel difference (0-255) between the two pictures, pair by pair, beside a yardstick change too small to
          see. Does each setting visibly do something?
grids     the Compare tab's grids at the cell size the page gives them here: every two presets' mean pixel
          difference, and the Figure 3 grid's rows and columns against each other.

Runs one after another in this process (nothing else should run meanwhile); time in units, one float32 VGG19
forward and backward pass at 512x512 measured in the same run. Pictures side by side and 2x crops go to
bench/results/quality_*.png, to look at. Tables go into docs/BENCHMARKS.md, the scores table into docs/EXPERIMENTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from bench.doc_tables import EXPERIMENTS, cpu_name, publish_table
from bench.speed import IMAGES, OUT, side_by_side
from style_core import StyleConfig, preset, stylize_image, transfer
from style_core.config import STYLE_LAYERS, named_style_layers
from style_core.cost import measure_unit
from style_core.grid import GridCell, plan_grid, quick, run_grid
from style_core.images import load_image, resize_long_side, to_tensor
from style_core.losses import gram_matrix
from style_core.vgg import VGG19Features

ROOT = Path(__file__).resolve().parent.parent
KODAK = IMAGES / "kodak24"
SCORE_SIDES = (512, 256, 128)
# neural-style's Figure 2 pairs: (name, photo, painting, its published output), under its examples/ folder.
FIGURE2 = [
    ("tubingen x shipwreck", "inputs/tubingen.jpg", "inputs/shipwreck.jpg", "outputs/tubingen_shipwreck.png"),
    ("tubingen x starry night", "inputs/tubingen.jpg", "inputs/starry_night.jpg", "outputs/tubingen_starry.png"),
    ("tubingen x scream", "inputs/tubingen.jpg", "inputs/the_scream.jpg", "outputs/tubingen_scream.png"),
    ("tubingen x seated nude", "inputs/tubingen.jpg", "inputs/seated-nude.jpg", "outputs/tubingen_seated_nude.png"),
    ("golden gate x scream", "inputs/golden_gate.jpg", "inputs/the_scream.jpg", "outputs/golden_gate_scream.png"),
]
STYLES = IMAGES / "styles"
# Square and 3:2 photos, the seven example paintings, and Turner's blocky low-quality JPEG scan.
CONTROL_PAIRS = [
    ("astronaut", IMAGES / "contents" / "astronaut.png", STYLES / "vangogh_starry_night.jpg"),
    ("coffee", IMAGES / "contents" / "coffee.png", STYLES / "hokusai_great_wave.jpg"),
    ("chelsea", IMAGES / "contents" / "chelsea.png", STYLES / "kandinsky_composition_vii.jpg"),
    ("rocket", IMAGES / "contents" / "rocket.jpg", STYLES / "monet_cliff_walk_at_pourville.jpg"),
    ("cat", ROOT / "examples" / "contents" / "cat.jpg", STYLES / "matisse_woman_with_a_hat.jpg"),
    ("kodim16", KODAK / "kodim16.png", STYLES / "turner_wreck_of_a_transport_ship.jpg"),
    ("kodim23", KODAK / "kodim23.png", STYLES / "picabia_udnie.jpg"),
    ("kodim04", KODAK / "kodim04.png", STYLES / "vangogh_starry_night.jpg"),
]
EQUAL = dict.fromkeys(STYLE_LAYERS, 1.0)


def five_scales(init: str, iterations: int, fine_steps_ratio: float, **more: float) -> dict:
    """A candidate over five scales 1.414 apart (128..512 px), every style layer weighted equally."""
    return {
        "init": init, "scales": 5, "scale_factor": 2**0.5, "iterations": iterations,
        "fine_steps_ratio": fine_steps_ratio, "style_layers": EQUAL, **more,
    }  # fmt: skip


# Not settings: the engine's constants a candidate may set to measure them, by the name it gives them. The content's
# weighting at the finest scale, and the share of the photo's detail a finer scale starts with.
FINEST_CONTENT, PHOTO_DETAIL = "finest_content_factor", "photo_detail"
ENGINE_LEVERS = {FINEST_CONTENT: "FINEST_SCALE_CONTENT_FACTOR", PHOTO_DETAIL: "PHOTO_DETAIL"}
# Name -> settings over StyleConfig(size=512), spelled out in full so a name keeps its meaning when the default
# changes. "default" is whatever the engine's default is now.
CANDIDATES: dict[str, dict] = {
    "default": {},
    "thorough": preset("thorough").to_dict(),
    # The default before 2026-12-06: the feed-forward picture at 512 px refined by 8 steps there.
    "feedforward 512 8": {
        "init": "feedforward",
        "scales": 1,
        "iterations": 8,
        "style_layers": {**EQUAL, "relu4_1": 4.0},
    },  # fmt: skip
    "content 128..512 60/30/15/8/4": five_scales("content", 60, 0.5),
    "feedforward 128..512 48/26/15/8/4": five_scales("feedforward", 48, 0.55),
    "feedforward 128..512 44/23/12/6/3": five_scales("feedforward", 44, 0.52),
    "feedforward 128..512 48/24/12/6/3": five_scales("feedforward", 48, 0.5),
    # The default's schedule with less smoothness (tv_weight; the default 1): does it hold the fine strokes back?
    "feedforward 128..512 48/26/15/8/4 smoothness 0.3": five_scales("feedforward", 48, 0.55, tv_weight=0.3),
    "feedforward 128..512 48/26/15/8/4 smoothness 0": five_scales("feedforward", 48, 0.55, tv_weight=0.0),
    "feedforward 128..512 40/20/10/5/3": five_scales("feedforward", 40, 0.5),
    # Fewer coarse steps, the finest scale's four kept: for the float32 time target.
    "feedforward 128..512 36/21/12/7/4": five_scales("feedforward", 36, 0.58),
    "feedforward 128..512 30/18/11/6/4": five_scales("feedforward", 30, 0.6),
    # One step fewer at 362 px (and at 181 and 256 px), the finest scale's four kept.
    "feedforward 128..512 37/21/12/6/4": five_scales("feedforward", 37, 0.56),
    "feedforward 128..512 36/20/11/6/4": five_scales("feedforward", 36, 0.56),
    # The default with the finest scale's content weighting at other values (1 = the default until 2026-12-06).
    **{f"default with finest content x{factor:g}": {FINEST_CONTENT: factor} for factor in (1.0, 1.5, 3.0)},
    # The default with more or less of the photo's detail at each finer scale's start (1 = the default until
    # 2026-12-07).
    **{f"default with photo detail x{share:g}": {PHOTO_DETAIL: share} for share in (1.0, 0.7, 0.5, 0.3)},
}


class Scorer:
    """The relative Gram error against a painting at several sizes, and the content error against a photo."""

    def __init__(self) -> None:
        self.network = VGG19Features([*STYLE_LAYERS, "relu4_2"])

    @torch.no_grad()
    def features(self, image: Image.Image, side: int) -> dict[str, torch.Tensor]:
        return self.network(to_tensor(resize_long_side(image, side), torch.device("cpu")))

    def gram_error(self, result: Image.Image, painting: Image.Image, side: int) -> float:
        ours, theirs = self.features(result, side), self.features(painting, side)
        errors = []
        for name in STYLE_LAYERS:
            target = gram_matrix(theirs[name])
            errors.append(float((gram_matrix(ours[name]) - target).pow(2).sum() / target.pow(2).sum()))
        return sum(errors) / len(errors)

    def content_error(self, result: Image.Image, photo: Image.Image) -> float:
        ours = self.features(result, 512)["relu4_2"]
        theirs = self.features(photo.resize(result.size, Image.Resampling.LANCZOS), 512)["relu4_2"]
        return float((ours - theirs).pow(2).sum() / theirs.pow(2).sum())

    def scores(self, result: Image.Image, photo: Image.Image, painting: Image.Image) -> list[float]:
        """[Gram error at each of SCORE_SIDES..., content error]."""
        grams = [self.gram_error(result, painting, side) for side in SCORE_SIDES]
        return [*grams, self.content_error(result, photo)]


def settings(name: str, **changes) -> StyleConfig:
    chosen = {key: value for key, value in CANDIDATES[name].items() if key not in ENGINE_LEVERS}
    return StyleConfig(size=512).replace(**chosen).replace(**changes)


@contextlib.contextmanager
def engine_levers(name: str):
    """The candidate's engine constants (ENGINE_LEVERS), while its runs last."""
    kept = {constant: getattr(transfer, constant) for constant in ENGINE_LEVERS.values()}
    for lever, constant in ENGINE_LEVERS.items():
        setattr(transfer, constant, CANDIDATES[name].get(lever, kept[constant]))
    try:
        yield
    finally:
        for constant, value in kept.items():
            setattr(transfer, constant, value)


def timed(photo, painting, name: str) -> tuple[Image.Image, float]:
    started = time.perf_counter()
    with engine_levers(name):
        image = stylize_image(photo, painting, settings(name))
    return image, time.perf_counter() - started


def difference(a: Image.Image, b: Image.Image) -> float:
    b = b.resize(a.size, Image.Resampling.LANCZOS) if b.size != a.size else b
    return float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).mean())


def crops(panels: list[tuple[str, Image.Image]], box: tuple[float, float, float, float], path: Path) -> None:
    """Each picture's `box` (fractions of its width and height) enlarged 2x, side by side."""
    cut = []
    for label, image in panels:
        w, h = image.size
        piece = image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))
        cut.append((label, piece.resize((piece.width * 2, piece.height * 2), Image.Resampling.NEAREST)))
    side_by_side(cut, path)


def look(names: list[str], folder: Path) -> list[str]:
    scorer, rows = Scorer(), []
    for pair, photo_path, painting_path, published in FIGURE2:
        photo, painting = load_image(folder / photo_path), load_image(folder / painting_path)
        unit = measure_unit(precision="float32")
        theirs = load_image(folder / published)
        panels = [("neural-style 1000 steps", theirs)]
        rows.append(_look_row(pair, "neural-style (published)", scorer.scores(theirs, photo, painting), None))
        for name in names:
            image, seconds = timed(photo, painting, name)
            panels.append((name, image))
            rows.append(_look_row(pair, name, scorer.scores(image, photo, painting), seconds / unit))
        stem = pair.replace(" x ", "_").replace(" ", "_")
        side_by_side(panels, OUT / f"quality_{stem}.png")
        crops(panels, (0.25, 0.0, 0.75, 0.4), OUT / f"quality_{stem}_sky.png")
    return rows


def scores(names: list[str], pairs: list[str]) -> list[str]:
    scorer, rows = Scorer(), []
    for pair, photo_path, painting_path in CONTROL_PAIRS:
        if pair not in pairs:
            continue
        photo, painting = load_image(photo_path), load_image(painting_path)
        unit = measure_unit(precision="float32")
        for name in names:
            image, seconds = timed(photo, painting, name)
            rows.append(
                _look_row(f"{pair} x {painting_path.stem}", name, scorer.scores(image, photo, painting), seconds / unit)
            )
    return rows


def _look_row(pair: str, name: str, scores: list[float], units: float | None) -> str:
    row = f"| {pair} | {name} | " + " | ".join(f"{score:.3f}" for score in scores)
    row += f" | {'' if units is None else f'{units:.1f}'} |"
    print(row, flush=True)
    return row


def controls(names: list[str], pairs: list[str]) -> list[str]:
    rows = []
    for pair, photo, painting in CONTROL_PAIRS:
        if pair not in pairs:
            continue
        panels, found = [], []
        for name in names:
            with engine_levers(name):
                ends = [stylize_image(photo, painting, settings(name, strength=s)) for s in (0.1, 10.0)]
                depths = [dict.fromkeys(STYLE_LAYERS[:d], 1.0) for d in (1, 5)]
                layers = [stylize_image(photo, painting, settings(name, style_layers=depth)) for depth in depths]
            found.append((difference(*ends), difference(*layers)))
            panels += [(f"{name}: 0.1", ends[0]), ("strength 10", ends[1])]
        side_by_side(panels, OUT / f"quality_controls_{pair}.png")
        for name, (strength, depth) in zip(names, found):
            rows.append(f"| {pair} x {painting.stem} | {name} | {strength:.1f} | {depth:.1f} |")
            print(rows[-1], flush=True)
    return rows


# Each control at two ends, everything else at the default: (what, one end, the other); {} is the default itself.
# The first row is a yardstick: a change too small to see still moves pixels, as L-BFGS takes another path.
CONTROL_ENDS = [
    ("yardstick: style strength 1 (default) / 1.1", {}, {"strength": 1.1}),
    ("style strength 0.1 / 10", {"strength": 0.1}, {"strength": 10.0}),
    ("style layers relu1_1 / relu1_1..relu5_1", {"style_layers": {"relu1_1": 1.0}}, {"style_layers": EQUAL}),
    ("layer weighting earlier / deeper heavier", {"style_layers": named_style_layers("earlier heavier")},
     {"style_layers": named_style_layers("deeper heavier")}),
    ("content weight 0.1 / 10", {"content_weight": 0.1}, {"content_weight": 10.0}),
    ("smoothness 0 / 1 (default)", {"tv_weight": 0.0}, {}),
    ("smoothness 1 (default) / 10", {}, {"tv_weight": 10.0}),
    ("smoothness 1 (default) / 100", {}, {"tv_weight": 100.0}),
    ("style scale 0.5 / 2", {"style_scale": 0.5}, {"style_scale": 2.0}),
    ("colour off (default) / luminance", {}, {"color": "luminance"}),
    ("pooling max (default) / average", {}, {"pooling": "avg"}),
    ("start feed-forward (default) / photo", {}, {"init": "content"}),
]  # fmt: skip


def every(pairs: list[str], size: int) -> list[str]:
    """One row per control: its two ends' mean pixel difference on each pair."""
    found: dict[str, list[float]] = {what: [] for what, _, _ in CONTROL_ENDS}
    for pair, photo, painting in CONTROL_PAIRS:
        if pair not in pairs:
            continue
        panels = []
        for (what, *_), ends in zip(CONTROL_ENDS, _every_end(photo, painting, size)):
            found[what].append(difference(*ends))
            print(f"{pair}: {what}: {found[what][-1]:.1f}", flush=True)
            left, right = what.split(" / ")
            panels += [(left, ends[0]), (right, ends[1])]
        side_by_side(panels, OUT / f"quality_every_{pair}.png")
    return [f"| {what} | " + " | ".join(f"{value:.1f}" for value in values) + " |" for what, values in found.items()]


def _every_end(photo: Path, painting: Path, size: int) -> list[tuple[Image.Image, Image.Image]]:
    """Each control's two pictures; the default's, shared by several controls, made once."""
    made: dict[str, Image.Image] = {}

    def picture(changes: dict) -> Image.Image:
        key = repr(sorted(changes.items()))
        if key not in made:
            made[key] = stylize_image(photo, painting, StyleConfig(size=size).replace(**changes))
        return made[key]

    return [(picture(one), picture(other)) for _, one, other in CONTROL_ENDS]


def grids(pairs: list[str], cell: int) -> list[str]:
    rows = []
    for pair, photo, painting in CONTROL_PAIRS:
        if pair not in pairs:
            continue
        presets_plan = plan_grid("presets", quick(StyleConfig(), cell), [painting], [painting.stem])
        cells = {c.column: c.image for c in run_grid(photo, presets_plan) if isinstance(c, GridCell)}
        names = presets_plan.column_labels
        apart = {
            (a, b): difference(cells[i], cells[j]) for (i, a), (j, b) in itertools.combinations(enumerate(names), 2)
        }
        side_by_side([(name, cells[i]) for i, name in enumerate(names)], OUT / f"quality_presets_{pair}.png")
        looks = {pair: value for pair, value in apart.items() if "fast_preview" not in pair}  # it promises speed
        figure3 = plan_grid("strength x layers", quick(StyleConfig(), cell), [painting], [painting.stem])
        grid = {(c.row, c.column): c.image for c in run_grid(photo, figure3) if isinstance(c, GridCell)}
        side_by_side(
            [(f"{r},{c}", grid[r, c]) for r in range(3) for c in range(3)], OUT / f"quality_figure3_{pair}.png"
        )
        rows_apart = min(difference(grid[0, c], grid[2, c]) for c in range(3))
        columns_apart = min(difference(grid[r, 0], grid[r, 2]) for r in range(3))
        closest = min(looks, key=looks.get)
        rows.append(f"| {pair} x {painting.stem} | {looks[closest]:.1f} ({' / '.join(closest)}) | "
                    f"{rows_apart:.1f} | {columns_apart:.1f} |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=("look", "scores", "controls", "grids", "every"))
    parser.add_argument("--candidates", default="default,thorough", help="comma-separated names of CANDIDATES")
    parser.add_argument("--pairs", default=",".join(name for name, _, _ in CONTROL_PAIRS))
    where = "neural-style's examples/ folder (a clone of github.com/jcjohnson/neural-style)"
    parser.add_argument("--neural-style", type=Path, default=ROOT.parent / "neural-style" / "examples", help=where)
    parser.add_argument("--cell", type=int, default=192, help="the grids' cell size (the page's here)")
    parser.add_argument("--size", type=int, default=512, help="every: the pictures' long side")
    parser.add_argument("--no-write", action="store_true", help="print the tables only")
    args = parser.parse_args()
    names, pairs = args.candidates.split(","), args.pairs.split(",")
    command = f"python -m bench.quality {shlex.join(sys.argv[1:])}"  # quoted: a candidate's name has spaces
    date = f"Measured {time.strftime('%Y-%m-%d')}: `{command}`, {cpu_name()}, the precision each setting picks"
    score_columns = ["pair", "schedule", *(f"Gram error {side} px" for side in SCORE_SIDES), "content error", "units"]
    score_intro = f"{date}; lower is closer (Gram: to the painting; content: to the photo); units of a float32 pass."
    if args.part == "look":
        rows = look(names, args.neural_style)
        publish_table("quality look", score_intro, score_columns, rows, write=not args.no_write)
    elif args.part == "scores":
        rows = scores(names, pairs)
        publish_table("quality scores", score_intro, score_columns, rows, write=not args.no_write, doc=EXPERIMENTS)
    elif args.part == "controls":
        columns = ["pair", "schedule", "strength 0.1 / 10", "relu1_1 / relu1_1..relu5_1"]
        intro = f"{date}; mean pixel difference, 0-255, between each control's two ends at 512 px."
        publish_table("quality controls", intro, columns, controls(names, pairs), write=not args.no_write)
    elif args.part == "every":
        chosen = [f"{pair} x {painting.stem}" for pair, _, painting in CONTROL_PAIRS if pair in pairs]
        intro = f"{date}; mean pixel difference, 0-255, between each control's two ends at {args.size} px."
        publish_table("quality every", intro, ["control", *chosen], every(pairs, args.size), write=not args.no_write)
    else:
        columns = [
            "pair",
            "closest two presets",
            "Figure 3: rows 1 and 3, closest column",
            "columns 1 and 3, closest row",
        ]
        intro = f"{date}; the Compare tab's grids at {args.cell} px cells; mean pixel difference, 0-255."
        publish_table("quality grids", intro, columns, grids(pairs, args.cell), write=not args.no_write)


if __name__ == "__main__":
    main()
