"""L-BFGS with a fixed step and no line search, as jcjohnson/neural-style runs it: one function evaluation per
step() call (torch's `LBFGS(max_iter=1)`), the curvature history kept between calls.

It follows torch.optim.LBFGS step for step (tests/test_lbfgs.py checks they agree). It is written out here
because any torch.optim optimiser imports torch._dynamo on its first use, which costs a fresh process more
than a second: every command-line run and every page start paid it.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

FIRST_STEP_CHANGE = 3 / 255  # how far (0-1) the first step at each scale moves a pixel on average
TOLERANCE_GRAD = 1e-7  # torch's defaults: a gradient this small is a minimum, a slope this flat no way down
TOLERANCE_CHANGE = 1e-9


class LBFGS:
    """Minimises a closure's loss over one image tensor. Its first step moves a pixel by `first_step_change`
    (0-1) on average, at most. torch sizes the first step as lr / (the gradient's L1 norm), which with lr 1
    moves a pixel by 1 / (the number of values): nothing, and each scale's first step would be lost."""

    def __init__(self, image: torch.Tensor, history: int, first_step_change: float = FIRST_STEP_CHANGE):
        self.image, self.history = image, history
        self.first_lr = first_step_change * image.numel()
        self.steps = 0
        self.direction: torch.Tensor | None = None
        self.step_size: float | torch.Tensor = 0.0
        self.previous_grad: torch.Tensor | None = None
        self.old_dirs: list[torch.Tensor] = []  # gradient changes (y)
        self.old_steps: list[torch.Tensor] = []  # moves (s)
        self.rho: list[torch.Tensor] = []  # 1 / (y . s)
        self.hessian_diag: float | torch.Tensor = 1.0

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.image.grad = None

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor]) -> torch.Tensor:
        """Evaluate the closure (which sets the image's gradient) and move the image once; returns the loss at
        the image it started from."""
        with torch.enable_grad():
            loss = closure()
        grad = self.image.grad.reshape(-1)
        if grad.abs().max() <= TOLERANCE_GRAD:
            return loss
        self.steps += 1
        if self.steps == 1:
            direction = grad.neg()
            step_size = min(1.0, 1.0 / grad.abs().sum()) * self.first_lr
        else:
            self._remember(grad)
            direction = self._direction(grad)
            step_size = 1.0
        if self.previous_grad is None:
            self.previous_grad = grad.clone()
        else:
            self.previous_grad.copy_(grad)
        self.direction, self.step_size = direction, step_size
        if grad.dot(direction) > -TOLERANCE_CHANGE:
            return loss
        self.image.add_(direction.view_as(self.image), alpha=step_size)
        return loss

    def _remember(self, grad: torch.Tensor) -> None:
        """Add the last step's gradient change and move to the history, when they keep it positive definite."""
        y = grad.sub(self.previous_grad)
        s = self.direction.mul(self.step_size)
        ys = y.dot(s)
        if ys > 1e-10:
            if len(self.old_dirs) == self.history:  # the oldest pair goes
                for kept in (self.old_dirs, self.old_steps, self.rho):
                    kept.pop(0)
            self.old_dirs.append(y)
            self.old_steps.append(s)
            self.rho.append(1.0 / ys)
            self.hessian_diag = ys / y.dot(y)

    def _direction(self, grad: torch.Tensor) -> torch.Tensor:
        """The two-loop recursion: the history's inverse Hessian times the negative gradient."""
        q = grad.neg()
        alphas = [torch.zeros(())] * len(self.old_dirs)
        for i in range(len(self.old_dirs) - 1, -1, -1):
            alphas[i] = self.old_steps[i].dot(q) * self.rho[i]
            q.add_(self.old_dirs[i], alpha=-alphas[i])
        r = torch.mul(q, self.hessian_diag)
        for i in range(len(self.old_dirs)):
            beta = self.old_dirs[i].dot(r) * self.rho[i]
            r.add_(self.old_steps[i], alpha=alphas[i] - beta)
        return r
