"""ZS-N2N ("paper" and "fast") against bm3d, OpenCV and scikit-image non-local means on Kodak24.

    pip install -r bench/requirements.txt
    python -m bench.denoise_kodak [--images all|kodim01,kodim02] [--noises g25,g50,p50]
                                  [--methods fast,paper,bm3d,opencv,skimage] [--paper-images kodim01|all]
                                  [--crop 128] [--section NAME] [--results FILE] [--threads N]

--crop N denoises the centre N x N crop of each image (the paper recipe costs ~1 hour per full image on
2 CPU cores, minutes on a 128 px crop). --section names the table in docs/EXPERIMENTS.md, so runs with
different options keep their own tables. --results FILE keeps every score in a JSON file and merges a new
run into it (a rerun of the same image, noise and method replaces the old score), so the slow parts can
run separately; the table is written from everything in the file. --threads N sets torch's and OpenCV's
thread count and is recorded beside the timings.

Noise: Gaussian sigma in 0-255 units, clipped to [0, 1] (g25u: not clipped); Poisson lambda. Seeded by the image number.
PSNR on float images in [0, 1]: 10 log10(1 / MSE). Writes the table and the command to docs/EXPERIMENTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from bench.doc_tables import heading, write_section
from style_core.denoise import DenoiseConfig, add_gaussian_noise, add_poisson_noise, denoise_tensor, psnr
from style_core.images import load_image, to_tensor

ROOT = Path(__file__).resolve().parent.parent

KODAK = ROOT.parent / "shared" / "images" / "kodak24"
NOISES = {
    "g25": ("Gaussian sigma=25", 25.0),
    "g50": ("Gaussian sigma=50", 50.0),
    "p50": ("Poisson lambda=50", 50.0),
    "g25u": ("Gaussian sigma=25, not clipped", 25.0),  # to compare with benchmarks that do not clip
}
PARAMETERS = {
    "fast": "ZS-N2N fast: {fast}",
    "paper": "ZS-N2N paper: whole image, 3000 Adam steps, lr 1e-3 halved every 1000",
    "bm3d": "bm3d.bm3d_rgb, sigma_psd = the true noise std (Poisson: sqrt(mean / lambda))",
    "opencv": "cv2.fastNlMeansDenoisingColored, h = hColor = 0.6 x sigma (0-255), template 7, search 21",
    "skimage": "skimage denoise_nl_means, fast_mode, patch 5, distance 6, h = 0.8 x sigma, sigma = the noise std",
}


def noise_std(kind: str, level: float, clean: np.ndarray) -> float:
    """The noise standard deviation in [0, 1] units that the classical peers are told."""
    return level / 255.0 if kind.startswith("g") else float(np.sqrt(clean.mean() / level))


def noisy_version(clean, noise: str, image: str):
    """The seeded noisy copy of a clean Kodak image (noise: a key of NOISES; image: e.g. "kodim01").
    The seed is the image's number less one, so the noise is the same whichever images a run covers."""
    level, seed = NOISES[noise][1], int(image.removeprefix("kodim")) - 1
    if noise.startswith("g"):
        return add_gaussian_noise(clean, level, seed=seed, clip=not noise.endswith("u"))
    return add_poisson_noise(clean, level, seed=seed)


def run_zs_n2n(noisy, config: DenoiseConfig):
    for event in denoise_tensor(noisy, config):
        if event.done:
            return event.image


def run_peer(method: str, noisy: np.ndarray, sigma: float) -> np.ndarray:
    if method == "bm3d":
        import bm3d

        return np.clip(bm3d.bm3d_rgb(noisy, sigma_psd=sigma), 0, 1)
    if method == "opencv":
        import cv2

        h = 0.6 * sigma * 255
        eight_bit = np.round(np.clip(noisy, 0, 1) * 255).astype(np.uint8)  # Poisson noise is not clipped
        return cv2.fastNlMeansDenoisingColored(eight_bit, None, h, h, 7, 21).astype(np.float64) / 255
    from skimage.restoration import denoise_nl_means

    return np.clip(
        denoise_nl_means(noisy, patch_size=5, patch_distance=6, h=0.8 * sigma, sigma=sigma, fast_mode=True,
                         channel_axis=-1),
        0, 1,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", default="all")
    parser.add_argument("--noises", default="g25,g50,p50")
    parser.add_argument("--methods", default="fast,bm3d,opencv,skimage,paper")
    parser.add_argument("--paper-images", default="kodim01", help="the slow paper recipe runs on these only (or all)")
    parser.add_argument("--crop", type=int, help="use the centre crop of this size")
    parser.add_argument("--section", default="full images")
    parser.add_argument("--results", type=Path, help="JSON file of scores to merge this run into")
    parser.add_argument("--threads", type=int, help="torch and OpenCV threads (default: all cores)")
    args = parser.parse_args()
    if args.threads:
        import cv2
        import torch

        torch.set_num_threads(args.threads)
        cv2.setNumThreads(args.threads)
    command = "python -m bench.denoise_kodak " + " ".join(sys.argv[1:])
    paths = sorted(KODAK.glob("kodim*.png"))
    if args.images != "all":
        paths = [KODAK / f"{name}.png" for name in args.images.split(",")]
    paper_images = set(args.paper_images.split(","))
    methods = [method for method in args.methods.split(",") if method]
    threads = args.threads or os.cpu_count()
    # (image, noise, method) -> {"psnr": dB, "seconds": s, "threads": n}; this run's scores only
    new: dict[tuple[str, str, str], dict] = {}
    for path in paths:
        clean = to_tensor(load_image(path))
        if args.crop:
            top, left = (clean.shape[2] - args.crop) // 2, (clean.shape[3] - args.crop) // 2
            clean = clean[..., top : top + args.crop, left : left + args.crop].contiguous()
        for noise in args.noises.split(","):
            noisy = noisy_version(clean, noise, path.stem)
            new[path.stem, noise, "noisy input"] = {"psnr": psnr(clean, noisy), "seconds": 0.0, "threads": 0}
            noisy_np = noisy[0].permute(1, 2, 0).double().numpy()
            sigma = noise_std(noise, NOISES[noise][1], clean.numpy())
            for method in methods:
                if method == "paper" and path.stem not in paper_images and "all" not in paper_images:
                    continue
                started = time.perf_counter()
                if method in ("fast", "paper"):
                    estimate = run_zs_n2n(noisy, DenoiseConfig(mode=method))
                else:
                    estimate = to_tensor_np(run_peer(method, noisy_np, sigma))
                seconds = time.perf_counter() - started
                score = psnr(clean, estimate)
                new[path.stem, noise, method] = {"psnr": score, "seconds": seconds, "threads": threads}
                print(f"{path.stem} {noise} {method}: {score:.2f} dB, {seconds:.1f} s", flush=True)
        all_commands, results = [command], new
        if args.results:
            # Read the file again before writing: another run may have added to it meanwhile.
            saved_commands, saved = load_results(args.results)
            all_commands = saved_commands + ([command] if command not in saved_commands else [])
            results = {**saved, **new}
            scores = {"/".join(key): value for key, value in results.items()}
            args.results.write_text(json.dumps({"commands": all_commands, "scores": scores}, indent=1))
        write_table(all_commands, results, args)


def load_results(path: Path) -> tuple[list[str], dict[tuple[str, str, str], dict]]:
    """The commands and scores kept in a --results file (none if it does not exist yet)."""
    if not path.exists():
        return [], {}
    saved = json.loads(path.read_text())
    return saved["commands"], {tuple(key.split("/")): score for key, score in saved["scores"].items()}


def to_tensor_np(array: np.ndarray):
    import torch

    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).float()


def mean(scores: dict[str, dict], field: str) -> float:
    return statistics.mean(score[field] for score in scores.values())


def write_table(commands: list[str], results: dict[tuple[str, str, str], dict], args: argparse.Namespace) -> None:
    groups: dict[tuple[str, str], dict[str, dict]] = {}  # (noise, method) -> image -> score
    for (image, noise, method), score in results.items():
        groups.setdefault((noise, method), {})[image] = score
    rows = [
        "| noise | method | images | mean PSNR dB | mean s / image | threads |",
        "|---|---|---|---|---|---|",
    ]
    for (noise, method), scores in sorted(groups.items()):
        threads = ", ".join(str(t) for t in sorted({s["threads"] for s in scores.values()}))
        rows.append(
            f"| {NOISES[noise][0]} | {method} | {len(scores)} | {mean(scores, 'psnr'):.2f}"
            f" | {mean(scores, 'seconds'):.1f} | {threads} |"
        )
    # Like for like: each method against the paper recipe on exactly the images the paper recipe ran on.
    for (noise, method), scores in sorted(groups.items()):
        paper = groups.get((noise, "paper"), {})
        shared = sorted(set(paper) & set(scores))
        if method != "paper" and shared:
            gap = statistics.mean(scores[n]["psnr"] - paper[n]["psnr"] for n in shared)
            rows.append(f"| {NOISES[noise][0]} | {method} - paper, on {', '.join(shared)} | {len(shared)} | "
                        f"{gap:+.2f} | | |")  # fmt: skip
    images = sorted({image for image, _, _ in results})
    paper_images = sorted({image for image, _, method in results if method == "paper"})
    fast = DenoiseConfig(mode="fast")
    loss = "residual + consistency loss" if fast.consistency_loss else "residual loss only"
    settings = "\n".join(
        f"- {m}: " + PARAMETERS[m].format(fast=f"{fast.steps} steps on {fast.crops_per_step} random {fast.crop}px "
                                         f"crops, {loss}, lr {fast.learning_rate} halved every {fast.halve_every}, "
                                         f"{fast.precision} convolutions")
        for m in PARAMETERS
    )  # fmt: skip
    what = f"centre {args.crop}x{args.crop} crops" if args.crop else "full-size images (768x512)"
    body = (
        heading(f"Denoising, {args.section}: {what}", "denoise_kodak") + "\n\n"
        + "".join(f"Command: `{command}`\n\n" for command in commands)
        +
        f"{len(images)} images; the paper recipe on: {', '.join(paper_images) or 'none'}.\n\n"
        + "\n".join(rows) + f"\n\nSettings:\n{settings}\n"
    )  # fmt: skip
    write_section("denoise " + args.section.replace(" ", "-"), body)


if __name__ == "__main__":
    main()
