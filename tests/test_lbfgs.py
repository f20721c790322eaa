"""style_core.lbfgs: the same steps as torch's L-BFGS, without torch.optim's start-up cost."""

from __future__ import annotations

import subprocess
import sys

import torch

from style_core.lbfgs import FIRST_STEP_CHANGE, LBFGS


def _loss(image: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """A small non-quadratic objective on a picture, with curvature L-BFGS has to learn."""
    features = torch.nn.functional.conv2d(image, weight, padding=1).relu()
    return (features - 0.3).pow(2).mean() + 0.1 * image.pow(4).mean()


def _run(make_optimizer, steps: int, after_first=lambda optimizer: None) -> torch.Tensor:
    generator = torch.Generator().manual_seed(0)
    weight = torch.randn(8, 3, 3, 3, generator=generator)
    image = torch.rand(1, 3, 16, 16, generator=generator).requires_grad_(True)
    optimizer = make_optimizer(image)
    for _ in range(steps):

        def closure() -> torch.Tensor:
            optimizer.zero_grad(set_to_none=True)
            loss = _loss(image, weight)
            loss.backward()
            return loss

        optimizer.step(closure)
        after_first(optimizer)
        with torch.no_grad():
            image.clamp_(0, 1)  # as the engine does after every step
    return image.detach()


def test_the_steps_are_torchs_with_the_first_step_sized_to_move_pixels():
    def torch_lbfgs(image):
        return torch.optim.LBFGS([image], lr=FIRST_STEP_CHANGE * image.numel(), max_iter=1, history_size=5)

    def lr_one(optimizer):
        optimizer.param_groups[0]["lr"] = 1.0

    ours = _run(lambda image: LBFGS(image, history=5), 12)
    theirs = _run(torch_lbfgs, 12, lr_one)
    start = _run(lambda image: LBFGS(image, history=5), 0)
    assert (ours - start).abs().mean() > 0.01  # it moved, with the history full after 5 steps
    torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-6)


def test_the_first_step_moves_a_pixel_by_the_promised_amount():
    start = _run(lambda image: LBFGS(image, history=5), 0)
    # Unclamped, the first step moves pixels by FIRST_STEP_CHANGE on average; the clamp may only shorten it.
    moved = (_run(lambda image: LBFGS(image, history=5), 1) - start).abs().mean()
    assert FIRST_STEP_CHANGE / 2 < moved <= FIRST_STEP_CHANGE * 1.001


def test_a_run_in_a_fresh_process_loads_neither_torch_dynamo_nor_sympy():
    """torch.optim imports torch._dynamo on first use, over a second of every command-line run's time; torch's
    skip_init imports sympy, about 0.4 s."""
    code = (
        "import sys; from PIL import Image; from style_core import StyleConfig; "
        "from style_core.transfer import stylize_image; "
        "image = Image.new('RGB', (64, 64), 'teal'); "
        "stylize_image(image, image, StyleConfig(size=64, scales=1, iterations=3, init='content')); "
        "print([name for name in ('torch._dynamo', 'sympy') if name in sys.modules])"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert found.stdout.strip() == "[]"
