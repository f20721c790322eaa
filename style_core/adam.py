"""Adam (Kingma and Ba 2015) as torch.optim.Adam takes its steps with its defaults on a CPU: the same moment
updates, bias corrections and epsilon, one tensor at a time (tests/test_adam.py checks they agree).

It is written out here for the reason style_core/lbfgs.py is: any torch.optim optimiser imports torch._dynamo on
its first use, more than a second of every denoise on the command line and of the page's first denoise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch

BETAS = (0.9, 0.999)  # torch's defaults, the paper's
EPS = 1e-8


class Adam:
    """Minimises a loss over `params`; set `lr` between steps to change the step size."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float):
        self.params = list(params)
        self.lr = lr
        self.steps = 0
        self.exp_avg = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]

    def zero_grad(self, set_to_none: bool = True) -> None:
        for param in self.params:
            param.grad = None

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """Evaluate the closure, if given (it sets the gradients), and move every parameter that has a gradient
        once; returns the closure's loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.steps += 1
        beta1, beta2 = BETAS
        step_size = self.lr / (1 - beta1**self.steps)
        correction2_sqrt = (1 - beta2**self.steps) ** 0.5
        for param, exp_avg, exp_avg_sq in zip(self.params, self.exp_avg, self.exp_avg_sq):
            if param.grad is None:
                continue
            grad = param.grad
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denominator = (exp_avg_sq.sqrt() / correction2_sqrt).add_(EPS)
            param.addcdiv_(exp_avg, denominator, value=-step_size)
        return loss
