"""style_core.adam: the same steps as torch's Adam, without torch.optim's start-up cost."""

from __future__ import annotations

import subprocess
import sys

import torch

from style_core.adam import Adam


def _fit(make_optimizer, steps: int, halve_every: int = 10**9) -> list[torch.Tensor]:
    """A small network fitted to noise, as the denoiser fits its own; the learning rate halves every so often."""
    generator = torch.Generator().manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.LeakyReLU(0.2), torch.nn.Conv2d(8, 3, 1))
    with torch.no_grad():
        for param in net.parameters():
            param.copy_(torch.randn(param.shape, generator=generator) * 0.3)
    noisy = torch.rand(2, 3, 12, 12, generator=generator)
    optimizer, set_lr = make_optimizer(list(net.parameters()))
    for step in range(1, steps + 1):
        loss = (net(noisy) - noisy.roll(1, dims=-1)).pow(2).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        set_lr(optimizer, 0.01 * 0.5 ** ((step - 1) // halve_every))
        optimizer.step()
    return [param.detach().clone() for param in net.parameters()]


def _ours(params):
    return Adam(params, lr=0.01), lambda optimizer, lr: setattr(optimizer, "lr", lr)


def _torchs(params):
    def set_lr(optimizer, lr):
        optimizer.param_groups[0]["lr"] = lr

    return torch.optim.Adam(params, lr=0.01), set_lr


def test_the_steps_are_torchs_and_the_step_size_can_change_between_steps():
    start = _fit(_ours, 0)
    ours, theirs = _fit(_ours, 30, halve_every=10), _fit(_torchs, 30, halve_every=10)
    assert sum((a - b).abs().mean() for a, b in zip(ours, start)) > 0.01  # it moved
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-7)
    # A smaller step size from step 11 on gives other weights: the halving reaches the steps.
    assert any((a - b).abs().max() > 1e-4 for a, b in zip(ours, _fit(_ours, 30)))


def test_a_denoise_in_a_fresh_process_does_not_load_torch_dynamo():
    """torch.optim imports torch._dynamo on first use, over a second of every command-line denoise's time."""
    code = (
        "import sys; from PIL import Image; from style_core.denoise import DenoiseConfig, denoise_image; "
        "denoise_image(Image.new('RGB', (48, 48), 'teal'), DenoiseConfig(steps=3)); "
        "print('torch._dynamo' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert found.stdout.strip() == "False"
