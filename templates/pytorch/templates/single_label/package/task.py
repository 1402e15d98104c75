"""What training does for single-label classification: accuracy during training, predicted classes, the
validation metrics of each epoch and the final report with its confusion matrix. engine.py calls these;
scripts/evaluate.py and scripts/baseline.py the last ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .checkpoint import class_names
from .data import Datasets
from .losses import build_loss
from .metrics import classification_report, format_report
from .plots import plot_confusion_matrix

# The monitored metric (regularization.early_stopping.monitor) also picks the best checkpoint.
HIGHER_IS_BETTER = {"val_loss": False, "val_accuracy": True, "val_macro_f1": True}
# What train_metrics measures on each training batch (metrics.csv columns, averaged over the epoch)
TRAIN_METRICS = ("train_accuracy",)


def describe(data: Datasets) -> str:
    """The classes, for the first line of a run."""
    return f"{len(data.classes)} classes"


def loss_for(cfg: dict[str, Any], data: Datasets) -> nn.Module:
    """The training loss, built from the training split's class counts."""
    return build_loss(cfg, data.class_counts())


def train_metrics(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """TRAIN_METRICS of a batch, kept on the device: the share of correct predictions."""
    return torch.stack([(logits.argmax(dim=1) == targets).float().mean()])


def predictions(logits: torch.Tensor) -> torch.Tensor:
    """What evaluation collects from the model's outputs: the predicted class."""
    return logits.argmax(dim=1)


def validation_metrics(data: Datasets, y_true: list[int], y_pred: list[int]) -> dict[str, float]:
    """An epoch's validation metrics (metrics.csv columns): accuracy and macro F1."""
    report = classification_report(y_true, y_pred, data.classes)
    return {"val_accuracy": report["accuracy"], "val_macro_f1": report["macro_f1"]}


def summary(row: dict[str, Any]) -> tuple[str, str]:
    """An epoch's row of metrics.csv as text: the training part and the validation part."""
    return (
        f"train loss {row['train_loss']:.4f} acc {row['train_accuracy']:.3f}",
        f"val loss {row['val_loss']:.4f} acc {row['val_accuracy']:.3f} macro F1 {row['val_macro_f1']:.3f}",
    )


def checkpoint_extras(data: Datasets, y_true: list[int], y_pred: list[int]) -> dict[str, Any]:
    """What a checkpoint holds for this task besides the training state: the class names and their indices."""
    return {"class_to_idx": data.class_to_idx}


def final_report(data: Datasets, y_true: list[int], y_pred: list[int], best: dict[str, Any]) -> dict[str, Any]:
    """report.json's metrics of the best epoch: per-class precision, recall and F1, accuracy, the confusion matrix."""
    return classification_report(y_true, y_pred, data.classes)


def present(report: dict[str, Any], data: Datasets, run_dir: Path) -> str:
    """Write the confusion matrix next to report.json; return the report as text."""
    plot_confusion_matrix(report["confusion_matrix"], data.classes, run_dir / "confusion_matrix.png")
    return format_report(report)


# --- scripts/evaluate.py and scripts/baseline.py ---


def split_fingerprint(dataset: Any) -> str:
{%- if f.tabular %}
    """A short hash of a split's rows (line and cells): baseline.py records it, evaluate.py compares it to know
    the split is the same."""
    digest = hashlib.sha256()
    for row in dataset.rows:
        digest.update(json.dumps([row.line, row.cells], sort_keys=True).encode("utf-8"))
{%- else %}
    """A short hash of a split's images (path and label): baseline.py records it, evaluate.py compares it to know
    the split is the same."""
    digest = hashlib.sha256()
    for sample in dataset.samples:
        digest.update(json.dumps([str(sample.path), sample.label]).encode("utf-8"))
{%- endif %}
    return digest.hexdigest()[:16]


def checkpoint_report(
    state: dict[str, Any], y_true: list[int], y_pred: list[int], source: str = "checkpoint"
) -> dict[str, Any]:
    """evaluate.py's metrics of a checkpoint's predictions: per-class precision, recall and F1, macro F1,
    accuracy and the confusion matrix."""
    return classification_report(y_true, y_pred, class_names(state, source))


def present_evaluation(report: dict[str, Any], state: dict[str, Any], out: Path, split: str) -> None:
    """What evaluate.py writes besides its JSON report: the confusion matrix."""
    plot_confusion_matrix(report["confusion_matrix"], class_names(state), out / f"confusion_matrix_{split}.png")
