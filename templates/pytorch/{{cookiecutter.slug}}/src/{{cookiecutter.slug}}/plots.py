{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""PNG plots: training curves, {% if f.single_label %}the confusion matrix, {% endif %}and the capacity test's loss curve (no display needed)."""

from __future__ import annotations

{% if f.single_label -%}
from collections.abc import Sequence
{% endif -%}
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure  # the object API renders to files without a GUI backend


{% if f.regression -%}
def plot_curves(history: list[dict[str, Any]], path: Path) -> None:
    """Loss (train and validation), validation MAE / RMSE (in the target's units) and R² per epoch."""
    epochs = [row["epoch"] for row in history]
    fig = Figure(figsize=(14, 4), layout="constrained")
    loss_ax, error_ax, r2_ax = fig.subplots(1, 3)
    loss_ax.plot(epochs, [row["train_loss"] for row in history], marker="o", label="train")
    loss_ax.plot(epochs, [row["val_loss"] for row in history], marker="o", label="validation")
    loss_ax.set(title="Loss", xlabel="epoch", ylabel="loss")
    error_ax.plot(epochs, [row["val_mae"] for row in history], marker="o", label="validation MAE")
    error_ax.plot(epochs, [row["val_rmse"] for row in history], marker="o", label="validation RMSE")
    error_ax.set(title="Validation error", xlabel="epoch", ylabel="target units")
    r2 = [row["val_r2"] for row in history]
    r2_ax.plot(epochs, r2, marker="o", label="validation R²")
    # below -1 is off the chart: far worse than predicting the mean, the shape of the curve matters there
    r2_ax.set(title="Validation R²", xlabel="epoch", ylabel="R²", ylim=(max(-1.0, min(0.0, *r2)), 1.02))
    for ax in (loss_ax, error_ax, r2_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.savefig(path, dpi=100)
{%- else -%}
def plot_curves(history: list[dict[str, Any]], path: Path) -> None:
    """Loss (train and validation) and validation macro F1 / accuracy per epoch."""
    epochs = [row["epoch"] for row in history]
    fig = Figure(figsize=(10, 4), layout="constrained")
    loss_ax, score_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, [row["train_loss"] for row in history], marker="o", label="train")
    loss_ax.plot(epochs, [row["val_loss"] for row in history], marker="o", label="validation")
    loss_ax.set(title="Loss", xlabel="epoch", ylabel="loss")
    score_ax.plot(epochs, [row["val_macro_f1"] for row in history], marker="o", label="validation macro F1")
    score_ax.plot(epochs, [row["val_accuracy"] for row in history], marker="o", label="validation {{ "per-label " if f.multilabel else "" }}accuracy")
    score_ax.set(title="Validation scores", xlabel="epoch", ylabel="score", ylim=(0, 1.02))
    for ax in (loss_ax, score_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.savefig(path, dpi=100)
{%- endif %}
{%- if f.single_label %}


def plot_confusion_matrix(counts: Sequence[Sequence[int]], classes: list[str], path: Path) -> None:
    """Rows: true class, columns: predicted class; each cell shows its count."""
    size = min(4 + 0.5 * len(classes), 20)
    fig = Figure(figsize=(size, size), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(counts, cmap="Blues")
    fig.colorbar(image, ax=ax, shrink=0.8)
    ticks = range(len(classes))
    ax.set_xticks(ticks, classes, rotation=45, ha="right")
    ax.set_yticks(ticks, classes)
    ax.set(title="Confusion matrix", xlabel="predicted class", ylabel="true class")
    if len(classes) <= 30:
        peak = max(max(row) for row in counts) or 1
        for i, row in enumerate(counts):
            for j, count in enumerate(row):
                ax.text(j, i, str(count), ha="center", va="center", color="white" if count > peak / 2 else "black")
    fig.savefig(path, dpi=100)
{%- endif %}


def plot_loss_curves(curves: dict[str, list[float]], path: Path, title: str, reference: dict[str, float]) -> None:
    """Loss per step for each run (log scale), with horizontal reference lines (e.g. ln C, the pass line)."""
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    for label, losses in curves.items():
        ax.plot(range(1, len(losses) + 1), [max(loss, 1e-6) for loss in losses], label=label)
    for label, value in reference.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="grey")
        ax.annotate(label, (1, value), textcoords="offset points", xytext=(4, 3), fontsize=8, color="grey")
    ax.set_yscale("log")
    ax.set(title=title, xlabel="step", ylabel="training loss (log scale)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.savefig(path, dpi=100)
