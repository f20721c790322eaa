"""ZS-N2N ("paper" and "fast") against bm3d, OpenCV and scikit-image non-local means on Kodak24.

    pip install -r bench/requirements.txt
    python bench/denoise_kodak.py [--images all|kodim01,kodim02] [--noises g25,g50,p50]
                                  [--methods fast,paper,bm3d,opencv,skimage] [--paper-images kodim01|all]
                                  [--crop 128] [--section NAME]

--crop N denoises the centre N x N crop of each image (the paper recipe costs ~1 hour per full image on
2 CPU cores, minutes on a 128 px crop). --section names the table in docs/BENCHMARKS.md, so runs with
different options keep their own tables.

Noise: Gaussian sigma in 0-255 units, clipped to [0, 1]; Poisson lambda. Seeded by the image index.
PSNR on float images in [0, 1]: 10 log10(1 / MSE). Writes the table and the command to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import write_section  # noqa: E402  (bench/report.py)

from style_core.denoise import DenoiseConfig, add_gaussian_noise, add_poisson_noise, denoise_tensor, psnr  # noqa: E402
from style_core.images import load_image, to_tensor  # noqa: E402

KODAK = ROOT.parent / "shared" / "images" / "kodak24"
NOISES = {"g25": ("Gaussian sigma=25", 25.0), "g50": ("Gaussian sigma=50", 50.0), "p50": ("Poisson lambda=50", 50.0)}
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


def run_zs_n2n(noisy, mode: str):
    config = DenoiseConfig(mode=mode)
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
        eight_bit = np.round(noisy * 255).astype(np.uint8)
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
    args = parser.parse_args()
    command = "python bench/denoise_kodak.py " + " ".join(sys.argv[1:])
    paths = sorted(KODAK.glob("kodim*.png"))
    if args.images != "all":
        paths = [KODAK / f"{name}.png" for name in args.images.split(",")]
    paper_images = set(args.paper_images.split(","))
    methods = args.methods.split(",")
    # (noise, method) -> list of (image, psnr, seconds)
    results: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    for index, path in enumerate(paths):
        clean = to_tensor(load_image(path))
        if args.crop:
            top, left = (clean.shape[2] - args.crop) // 2, (clean.shape[3] - args.crop) // 2
            clean = clean[..., top : top + args.crop, left : left + args.crop].contiguous()
        for noise in args.noises.split(","):
            label, level = NOISES[noise]
            noisy = (
                add_gaussian_noise(clean, level, seed=index)
                if noise.startswith("g")
                else add_poisson_noise(clean, level, seed=index)
            )
            results.setdefault((noise, "noisy input"), []).append((path.stem, psnr(clean, noisy), 0.0))
            noisy_np = noisy[0].permute(1, 2, 0).double().numpy()
            sigma = noise_std(noise, level, clean.numpy())
            for method in methods:
                if method == "paper" and path.stem not in paper_images and "all" not in paper_images:
                    continue
                started = time.perf_counter()
                if method in ("fast", "paper"):
                    estimate = run_zs_n2n(noisy, method)
                else:
                    estimate = to_tensor_np(run_peer(method, noisy_np, sigma))
                seconds = time.perf_counter() - started
                score = psnr(clean, estimate)
                results.setdefault((noise, method), []).append((path.stem, score, seconds))
                print(f"{path.stem} {noise} {method}: {score:.2f} dB, {seconds:.1f} s", flush=True)
        write_table(command, results, index + 1, args)


def to_tensor_np(array: np.ndarray):
    import torch

    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).float()


def write_table(command: str, results, image_count: int, args: argparse.Namespace) -> None:
    fast = DenoiseConfig(mode="fast")
    rows = [
        "| noise | method | images | mean PSNR dB | mean s / image |",
        "|---|---|---|---|---|",
    ]
    for (noise, method), runs in sorted(results.items()):
        rows.append(
            f"| {NOISES[noise][0]} | {method} | {len(runs)} | {statistics.mean(r[1] for r in runs):.2f} | "
            f"{statistics.mean(r[2] for r in runs):.1f} |"
        )
    # The fast recipe on exactly the images the paper recipe ran on, for the like-for-like gap.
    for noise in sorted({n for n, _ in results}):
        paper = {name: score for name, score, _ in results.get((noise, "paper"), [])}
        fast_runs = {name: score for name, score, _ in results.get((noise, "fast"), []) if name in paper}
        if paper and fast_runs:
            gap = statistics.mean(fast_runs[n] - paper[n] for n in fast_runs)
            rows.append(f"| {NOISES[noise][0]} | fast - paper, on {', '.join(sorted(fast_runs))} | "
                        f"{len(fast_runs)} | {gap:+.2f} | |")  # fmt: skip
    settings = "\n".join(
        f"- {m}: " + PARAMETERS[m].format(fast=f"{fast.steps} steps on {fast.crops_per_step} random {fast.crop}px "
                                         f"crops, lr {fast.learning_rate} halved every {fast.halve_every}")
        for m in PARAMETERS
    )  # fmt: skip
    what = f"centre {args.crop}x{args.crop} crops" if args.crop else "full-size images (768x512)"
    body = (
        f"### Denoising, {args.section}: {what} (bench/denoise_kodak.py)\n\nCommand: `{command}`\n\n"
        f"{image_count} images done; the paper recipe on: {args.paper_images}.\n\n"
        + "\n".join(rows) + f"\n\nSettings:\n{settings}\n"
    )  # fmt: skip
    write_section("denoise " + args.section.replace(" ", "-"), body)


if __name__ == "__main__":
    main()
