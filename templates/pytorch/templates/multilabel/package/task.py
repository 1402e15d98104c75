"""What training does for multi-label classification: per-label accuracy during training, predicted
probabilities, the validation metrics of each epoch, the tuned thresholds and the final report. engine.py
calls these; scripts/evaluate.py and scripts/baseline.py the last ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .checkpoint import class_names, thresholds
from .data import Datasets
from .losses import build_loss
from .metrics import format_report, multilabel_report
from .multilabel import tune_thresholds

# The monitored metric (regularization.early_stopping.monitor) also picks the best checkpoint.
HIGHER_IS_BETTER = {"val_loss": False, "val_macro_f1": True, "val_micro_f1": True}
# What train_metrics measures on each training batch (metrics.csv columns, averaged over the epoch)
TRAIN_METRICS = ("train_accuracy",)


def describe(data: Datasets) -> str:
    """The labels, for the first line of a run."""
    return f"{len(data.classes)} labels"


def loss_for(cfg: dict[str, Any], data: Datasets) -> nn.Module:
    """The training loss, built from the training split's label counts."""
    return build_loss(cfg, data.label_counts(), len(data.train))


def train_metrics(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """TRAIN_METRICS of a batch, kept on the device: the share of right labels (each label of each image)."""
    return torch.stack([((logits > 0) == (targets > 0.5)).float().mean()])


def predictions(logits: torch.Tensor) -> torch.Tensor:
    """What evaluation collects from the model's outputs: each label's probability."""
    return logits.sigmoid()


def validation_metrics(data: Datasets, y_true: list[list[float]], scores: list[list[float]]) -> dict[str, float]:
    """An epoch's validation metrics (metrics.csv columns), every label at threshold 0.5: per-label accuracy,
    macro and micro F1."""
    report = multilabel_report(y_true, scores, data.classes, [0.5] * len(data.classes))
    return {
        "val_accuracy": report["accuracy"],
        "val_macro_f1": report["macro_f1"],
        "val_micro_f1": report["micro_f1"],
    }


def summary(row: dict[str, Any]) -> tuple[str, str]:
    """An epoch's row of metrics.csv as text: the training part and the validation part."""
    return (
        f"train loss {row['train_loss']:.4f} label acc {row['train_accuracy']:.3f}",
        f"val loss {row['val_loss']:.4f} label acc {row['val_accuracy']:.3f} macro F1 {row['val_macro_f1']:.3f}"
        f" micro F1 {row['val_micro_f1']:.3f}",
    )


def checkpoint_extras(data: Datasets, y_true: list[list[float]], scores: list[list[float]]) -> dict[str, Any]:
    """What a checkpoint holds for this task besides the training state: the label names and each label's
    threshold, tuned on this epoch's validation scores (predict.py uses them)."""
    return {"class_to_idx": data.class_to_idx, "thresholds": tune_thresholds(y_true, scores)}


def final_report(
    data: Datasets, y_true: list[list[float]], scores: list[list[float]], best: dict[str, Any]
) -> dict[str, Any]:
    """report.json's metrics of the best epoch at its tuned thresholds, and the main ones at 0.5 for comparison."""
    at_half = multilabel_report(y_true, scores, data.classes, [0.5] * len(data.classes))
    return {
        "thresholds_note": "tuned on this validation split, so these F1 scores are optimistic; "
        "confirm on a test split (scripts/evaluate.py --split test)",
        **multilabel_report(y_true, scores, data.classes, best["thresholds"]),
        "at_threshold_0.5": {key: at_half[key] for key in ("accuracy", "exact_match", "macro_f1", "micro_f1")},
    }


def present(report: dict[str, Any], data: Datasets, run_dir: Path) -> str:
    """The report as text, with the F1 scores at 0.5 (report.json is all there is to write)."""
    at_half = report["at_threshold_0.5"]
    return (
        f"{format_report(report)}\n(thresholds tuned on this split; at 0.5 for every label: macro F1 "
        f"{at_half['macro_f1']:.3f}, micro F1 {at_half['micro_f1']:.3f})"
    )


# --- scripts/evaluate.py and scripts/baseline.py ---


def split_fingerprint(dataset: Any) -> str:
    """A short hash of a split's images (path and labels): baseline.py records it, evaluate.py compares it to know
    the split is the same."""
    digest = hashlib.sha256()
    for sample in dataset.samples:
        digest.update(json.dumps([str(sample.path), list(sample.labels)]).encode("utf-8"))
    return digest.hexdigest()[:16]


def checkpoint_report(
    state: dict[str, Any], y_true: list[list[float]], scores: list[list[float]], source: str = "checkpoint"
) -> dict[str, Any]:
    """evaluate.py's metrics of a checkpoint's predictions: per-label precision, recall and F1 at the thresholds
    saved with it, macro and micro F1."""
    return multilabel_report(y_true, scores, class_names(state, source), thresholds(state, source))


def present_evaluation(report: dict[str, Any], state: dict[str, Any], out: Path, split: str) -> None:
    """What evaluate.py writes besides its JSON report: nothing."""
