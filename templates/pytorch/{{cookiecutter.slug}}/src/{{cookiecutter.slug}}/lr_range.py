"""The learning-rate range test (Smith 2017, fastai's lr_find): train with an exponentially growing learning
rate, watch the smoothed loss, suggest a rate, and write it into config.yaml on request."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from matplotlib.figure import Figure
from torch.utils.data import DataLoader

from .errors import ConfigError
from .runtime import rng_state, set_rng_state

# The loss is smoothed by an exponential moving average (bias-corrected) over about a tenth of the steps. fastai
# averages over ~50 steps (beta 0.98) whatever their number: over 100 steps that lags the curve by half its range
# of rates, and moves its minimum to rates several times too high.
SMOOTHING_SHARE = 0.1
DIVERGED = 4.0  # stop when the smoothed loss exceeds this many times its lowest value so far
RULE = "minimum / 10"


@dataclass
class Curve:
    """The learning rates tried, the raw and smoothed loss at each, and why the test stopped."""

    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    smoothed: list[float] = field(default_factory=list)
    stopped: str = "reached the last learning rate"


def batches(loader: DataLoader) -> Iterator[Any]:
    """The loader's batches, round and round: a small training split gives fewer batches than steps."""
    epoch = 0
    while True:
        epoch += 1
        if hasattr(loader.sampler, "set_epoch"):
            loader.sampler.set_epoch(epoch)
        yield from loader


def range_test(trainer: Any, loader: DataLoader, start: float, end: float, steps: int) -> Curve:
    """Train `steps` batches with the learning rate going from `start` to `end` geometrically (trainer.train_step
    with its optimizer), then put everything back: weights, optimizer, scheduler, loss scaler, random generators."""
    parts = (trainer.net, trainer.optimizer, trainer.scaler)
    saved, schedule, generators = [copy.deepcopy(part.state_dict()) for part in parts], trainer.scheduler, rng_state()
    for group in trainer.optimizer.param_groups:
        group["lr"] = group["initial_lr"] = start
    growth = (end / start) ** (1 / max(steps - 1, 1))
    trainer.scheduler = torch.optim.lr_scheduler.LambdaLR(trainer.optimizer, lambda step: growth**step)
    curve, average, best = Curve(), 0.0, math.inf
    beta = 1 - 1 / max(1.0, SMOOTHING_SHARE * steps)
    trainer.model.train()
    try:
        for step, (inputs, targets) in zip(range(steps), batches(loader), strict=False):
            lr = trainer.optimizer.param_groups[0]["lr"]
            terms, _ = trainer.train_step(*trainer.to_device(inputs, targets))
            loss = terms[0].item()  # the data loss, without the L1 term
            if not math.isfinite(loss):
                curve.stopped = f"the loss became {loss} at lr {lr:.3g}"
                break
            average = beta * average + (1 - beta) * loss
            smooth = average / (1 - beta ** (step + 1))  # bias correction: the average starts at 0
            curve.lrs.append(lr)
            curve.losses.append(loss)
            curve.smoothed.append(smooth)
            best = min(best, smooth)
            if step > 0 and smooth > DIVERGED * best:
                curve.stopped = f"the smoothed loss passed {DIVERGED:g} x its minimum at lr {lr:.3g} (diverging)"
                break
    finally:
        for part, state in zip(parts, saved, strict=True):
            part.load_state_dict(state)
        trainer.scheduler = schedule
        set_rng_state(generators)
    return curve


def suggest(curve: Curve) -> tuple[float, int]:
    """The suggested learning rate and the index of the smoothed loss's minimum.

    Rule (fastai's 'minimum'): the rate at the lowest smoothed loss, divided by 10. At the minimum the loss is
    about to blow up; a tenth of it still lies on the steep, descending part of the curve. The steepest point
    (the most negative slope) is the other common rule, but on a short, noisy curve its estimate jumps by orders
    of magnitude between runs; the minimum is stable.
    """
    if len(curve.smoothed) < 3:
        raise ConfigError(
            f"the range test stopped after {len(curve.smoothed)} steps ({curve.stopped}); "
            "start from a lower rate (--start)"
        )
    index = min(range(len(curve.smoothed)), key=curve.smoothed.__getitem__)
    return curve.lrs[index] / 10, index


def plot_range_test(curve: Curve, suggestion: float, index: int, path: Path) -> None:
    """Loss against learning rate (log scale), the minimum and the suggestion marked."""
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.plot(curve.lrs, curve.losses, color="0.75", linewidth=0.8, label="loss")
    ax.plot(curve.lrs, curve.smoothed, linewidth=1.8, label="smoothed loss")
    ax.scatter([curve.lrs[index]], [curve.smoothed[index]], color="black", zorder=3, label="minimum")
    ax.axvline(suggestion, color="tab:red", linestyle="--", label=f"suggested lr {suggestion:.2g} ({RULE})")
    top = max(curve.smoothed[0], curve.smoothed[index]) * 1.5  # the diverging tail would flatten the rest
    ax.set(xscale="log", xlabel="learning rate", ylabel="training loss", title="Learning-rate range test")
    ax.set_ylim(min(curve.losses + curve.smoothed) * 0.9, top)
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.savefig(path, dpi=100)


def rounded(lr: float) -> float:
    """Two significant digits: the test is not more precise than that."""
    return float(f"{lr:.2g}")


def yaml_float(value: float) -> str:
    """A float as YAML text that PyYAML reads back as a float (1e-05 would be a string: it needs a dot)."""
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def write_lr(path: Path, lr: float) -> str:
    """Replace the value of training.lr in the YAML file, leaving every other line (comments included) as it
    was; returns the old value's text."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    section = None
    for number, line in enumerate(lines):
        top = re.match(r"([A-Za-z_]\w*):", line)
        if top:
            section = top.group(1)
            continue
        found = re.match(r"(\s+lr:[ \t]*)([^\s#]+)(.*)", line, re.DOTALL)
        if section == "training" and found:
            lines[number] = found.group(1) + yaml_float(lr) + found.group(3)
            path.write_text("".join(lines), encoding="utf-8")
            return found.group(2)
    raise ConfigError(f"{path}: no `lr:` line in the training section; set training.lr by hand")
