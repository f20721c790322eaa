"""Speed of style_core against pastiche (the Gatys peer that runs offline here), on real images.

    python bench/speed.py [--parts equal,quality,feel,growth] [--quality-steps 300] [--growth-sizes 256,512,1024]

Parts (each prints a table; all tables and this command go into docs/BENCHMARKS.md):
  equal    equal work, one 512 px L-BFGS run each, interleaved A B A B in fresh processes:
           seconds per iteration (median) and peak RSS of style_core and pastiche
  quality  time to quality: one fixed evaluator (below) scores (a) style_core single-scale L-BFGS at
           512 px for --quality-steps steps, (b) style_core's default schedule, (c) pastiche's
           --quality-steps-step output; when (b) first reaches (a)'s final loss; images side by side
  feel     seconds from the start of a default 512 px run to the first preview and to the final image
  growth   time and peak RSS of the default schedule at each size, and how cost grows with pixels
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import DOC, write_section  # noqa: E402  (bench/report.py)

IMAGES = ROOT.parent / "shared" / "images"
PAIRS = [
    ("astronaut", IMAGES / "contents" / "astronaut.png", IMAGES / "styles" / "vangogh_starry_night.jpg"),
    ("coffee", IMAGES / "contents" / "coffee.png", IMAGES / "styles" / "hokusai_great_wave.jpg"),
]
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


def child_style_core(content: str, style: str, size: int, steps: int, schedule: str) -> dict:
    from style_core import StyleConfig, stylize

    if schedule == "single":
        config = StyleConfig(size=size, scales=1, iterations=steps)
    else:
        config = StyleConfig(size=size)
    start = time.perf_counter()
    times, first_preview, final_at = [], None, None
    for event in stylize(content, style, config, preview_every=3.0):
        if event.done:
            final_at = time.perf_counter() - start
        else:
            times.append(event.elapsed)
            if first_preview is None and event.preview is not None:
                first_preview = time.perf_counter() - start
    per_step = [b - a for a, b in zip(times[1:], times[2:])]  # skip the first step (set-up, warm-up)
    return {"per_step": statistics.median(per_step) if per_step else None, "first_preview": first_preview,
            "final": final_at, "steps": len(times), "rss_mb": peak_rss_mb()}  # fmt: skip


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


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- the parts -----------------------------------------------------------------------------------


def part_equal(steps: int) -> str:
    rows = ["| pair | tool | s / iteration (median of 2 runs) | peak RSS MB | runs (s/it) |", "|---|---|---|---|---|"]
    for name, content, style in PAIRS:
        results: dict[str, list[dict]] = {"style_core": [], "pastiche": []}
        for _ in range(2):  # interleaved A B A B
            results["style_core"].append(run_child("style_core", str(content), str(style), "512", str(steps), "single"))
            results["pastiche"].append(run_child("pastiche", str(content), str(style), "512", str(steps)))
        medians = {}
        for tool, runs in results.items():
            medians[tool] = statistics.median(r["per_step"] for r in runs)
            rows.append(
                f"| {name} | {tool} | {medians[tool]:.2f} | {max(r['rss_mb'] for r in runs):.0f} | "
                + ", ".join(f"{r['per_step']:.2f}" for r in runs) + " |"
            )  # fmt: skip
        rows.append(
            f"| {name} | ratio pastiche / style_core | **{medians['pastiche'] / medians['style_core']:.2f}x** | | |"
        )
    return "\n".join(rows)


class Evaluator:
    """The plain Gatys loss at 512 px: content relu4_2 + 1e5 x style relu1_1..relu5_1 + 1e-3 x TV."""

    def __init__(self, content_path: Path, style_path: Path):
        import torch

        from style_core.images import load_image, resize_long_side, to_tensor
        from style_core.losses import gram_matrix
        from style_core.vgg import VGG19Features

        self.torch, self.gram = torch, gram_matrix
        self.model = VGG19Features(["relu4_2", *STYLE_LAYERS])
        content = resize_long_side(load_image(content_path), EVAL_SIZE)
        self.size = content.size
        with torch.no_grad():
            self.content = self.model(to_tensor(content))["relu4_2"]
            style = self.model(to_tensor(resize_long_side(load_image(style_path), EVAL_SIZE)))
            self.grams = {n: gram_matrix(style[n]) for n in STYLE_LAYERS}
        self.to_tensor = to_tensor

    def __call__(self, image) -> float:
        torch = self.torch
        from PIL import Image

        x = self.to_tensor(image.resize(self.size, Image.Resampling.BICUBIC))
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
    from PIL import Image, ImageDraw

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

    OUT.mkdir(parents=True, exist_ok=True)
    panels = [(f"style_core {steps} steps, 1 scale", single_final), ("style_core default schedule", default_final),
              (f"pastiche {steps} steps", pastiche_image)]  # fmt: skip
    width, height = single_final.size
    sheet = Image.new("RGB", (width * 3, height + 22), "white")
    for i, (label, image) in enumerate(panels):
        sheet.paste(image.resize((width, height)), (i * width, 22))
        ImageDraw.Draw(sheet).text((i * width + 4, 4), label, fill="black")
    sheet.save(OUT / "quality_side_by_side.png")
    (OUT / "quality_curves.json").write_text(json.dumps({"single": single_curve, "default": default_curve}))

    rows = [
        "| run | wall s | evaluator loss |", "|---|---|---|",
        f"| (a) style_core single scale, {steps} L-BFGS steps at 512 px | {single_curve[-1][0]:.0f} | {target:.4g} |",
        f"| (b) style_core default schedule (256/362/512 px, 80/40/20 steps) | {default_curve[-1][0]:.0f} | "
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


def part_feel() -> str:
    rows = ["| pair | first preview s | final image s |", "|---|---|---|"]
    for name, content, style in PAIRS:
        result = run_child("style_core", str(content), str(style), "512", "0", "default")
        rows.append(f"| {name} | {result['first_preview']:.1f} | {result['final']:.0f} |")
    return "\n".join(rows)


def part_growth(sizes: list[int]) -> str:
    rows = ["| long side px | pixels | final image s | peak RSS MB | s per megapixel |", "|---|---|---|---|---|"]
    name, content, style = PAIRS[0]
    for size in sizes:
        result = run_child("style_core", str(content), str(style), str(size), "0", "default")
        megapixels = size * size / 1e6  # astronaut is square
        rows.append(f"| {size} | {size * size} | {result['final']:.0f} | {result['rss_mb']:.0f} | "
                    f"{result['final'] / megapixels:.0f} |")  # fmt: skip
    return "\n".join(rows)


def write_doc(command: str, sections: dict[str, str]) -> None:
    import platform

    import torch

    header = (f"Machine: {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
              f"torch {torch.__version__}, {torch.get_num_threads()} threads.")  # fmt: skip
    body = f"## Speed (bench/speed.py)\n\nCommand: `{command}`\n\n{header}\n\n" + "\n\n".join(
        f"### {title}\n\n{table}" for title, table in sections.items()
    )
    write_section("speed", body)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        tool, content, style, size, steps, *rest = sys.argv[2:]
        if tool == "style_core":
            result = child_style_core(content, style, int(size), int(steps), rest[0])
        else:
            result = child_pastiche(content, style, int(size), int(steps))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="equal,quality,feel,growth")
    parser.add_argument("--equal-steps", type=int, default=8)
    parser.add_argument("--quality-steps", type=int, default=300)
    parser.add_argument("--growth-sizes", default="256,512,1024")
    args = parser.parse_args()
    command = "python bench/speed.py " + " ".join(sys.argv[1:])
    sections = {}
    titles = {
        "equal": "Equal work (512 px, L-BFGS, same layers)",
        "quality": "Time to quality (astronaut x Starry Night)",
        "feel": "What a user feels (default settings, 512 px)",
        "growth": "Growth with size (default schedule)",
    }
    for part in args.parts.split(","):
        started = time.perf_counter()
        if part == "equal":
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
    print(f"\nwritten to {DOC.relative_to(ROOT)}; command: {command}")


if __name__ == "__main__":
    main()
