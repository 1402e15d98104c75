{%- if cookiecutter.task == "tabular-regression" -%}
"""Regression metrics in the target's own units: mean absolute error, root mean squared error and R²."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def regression_report(y_true: Sequence[float], y_pred: Sequence[float]) -> dict[str, Any]:
    """Every metric as plain numbers (JSON-ready).

    MAE is the typical error, RMSE weighs large errors more, and R² = 1 - squared error / variance of the
    targets: 1 is perfect, 0 is no better than always predicting the mean, below 0 is worse than that.
    """
    true, pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    errors = pred - true
    spread = float(((true - true.mean()) ** 2).sum()) if len(true) else 0.0
    return {
        "mae": float(np.abs(errors).mean()) if len(true) else 0.0,
        "rmse": float(np.sqrt((errors**2).mean())) if len(true) else 0.0,
        "r2": 1.0 - float((errors**2).sum()) / spread if spread > 0 else 0.0,
        "count": len(true),
        "target_mean": float(true.mean()) if len(true) else 0.0,
        "target_std": float(true.std()) if len(true) else 0.0,
    }


def format_report(report: dict[str, Any]) -> str:
    return (
        f"MAE {report['mae']:.4g}   RMSE {report['rmse']:.4g}   R² {report['r2']:.4f}   ({report['count']} rows; "
        f"target mean {report['target_mean']:.4g}, std {report['target_std']:.4g})"
    )
{%- elif cookiecutter.task == "image-multilabel" -%}
"""Multi-label metrics: per-label precision, recall and F1 at each label's threshold, macro and micro F1,
per-label accuracy and exact matches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def multilabel_report(y_true: Any, scores: Any, labels: list[str], thresholds: Sequence[float]) -> dict[str, Any]:
    """Every metric as plain numbers (JSON-ready); y_true is (images, labels) of 0/1, scores the probabilities.

    A label is predicted when its score reaches its threshold. A label never predicted has precision 0,
    one never present recall 0.
    """
    truth = np.asarray(y_true, dtype=bool)
    predicted = np.asarray(scores, dtype=np.float64) >= np.asarray(thresholds, dtype=np.float64)
    tp = (predicted & truth).sum(axis=0).astype(float)
    fp = (predicted & ~truth).sum(axis=0).astype(float)
    fn = (~predicted & truth).sum(axis=0).astype(float)
    precision = np.divide(tp, tp + fp, out=np.zeros_like(tp), where=tp + fp > 0)
    recall = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=tp + fn > 0)
    f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=2 * tp + fp + fn > 0)
    pooled = 2 * tp.sum() + fp.sum() + fn.sum()
    return {
        "accuracy": float((predicted == truth).mean()) if truth.size else 0.0,  # over every (image, label)
        "exact_match": float((predicted == truth).all(axis=1).mean()) if len(truth) else 0.0,
        "macro_f1": float(f1.mean()),  # every label counts alike
        "micro_f1": float(2 * tp.sum() / pooled) if pooled else 0.0,  # every decision counts alike
        "per_label": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(truth[:, i].sum()),
                "threshold": float(thresholds[i]),
            }
            for i, name in enumerate(labels)
        },
        "labels": list(labels),
        "images": len(truth),
    }


def format_report(report: dict[str, Any]) -> str:
    """The per-label table, then macro/micro F1, per-label accuracy and exact matches."""
    width = max([len("label"), *(len(name) for name in report["per_label"])])
    lines = [f"{'label':<{width}}  precision  recall     f1  support  threshold"]
    for name, row in report["per_label"].items():
        lines.append(
            f"{name:<{width}}  {row['precision']:9.3f}  {row['recall']:6.3f}  {row['f1']:5.3f}  "
            f"{row['support']:7d}  {row['threshold']:9.3f}"
        )
    lines.append(
        f"macro F1 {report['macro_f1']:.3f}   micro F1 {report['micro_f1']:.3f}   per-label accuracy "
        f"{report['accuracy']:.3f}   exact match {report['exact_match']:.3f}   ({report['images']} images)"
    )
    return "\n".join(lines)
{%- else -%}
"""Classification metrics: per-class precision, recall and F1, macro F1, accuracy and the confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], num_classes: int) -> np.ndarray:
    """counts[true class, predicted class]."""
    pairs = np.asarray(y_true, dtype=np.int64) * num_classes + np.asarray(y_pred, dtype=np.int64)
    return np.bincount(pairs, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def classification_report(y_true: Sequence[int], y_pred: Sequence[int], classes: list[str]) -> dict[str, Any]:
    """Every metric as plain numbers (JSON-ready). A class never predicted has precision 0, never seen recall 0."""
    counts = confusion_matrix(y_true, y_pred, len(classes))
    hits = np.diag(counts).astype(float)
    predicted, actual = counts.sum(axis=0), counts.sum(axis=1)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(hits), where=both > 0)
    total = int(counts.sum())
    return {
        "accuracy": float(hits.sum() / total) if total else 0.0,
        "macro_f1": float(f1.mean()),
        "per_class": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(actual[i]),
            }
            for i, name in enumerate(classes)
        },
        "confusion_matrix": counts.tolist(),
        "classes": list(classes),
    }


def format_report(report: dict[str, Any]) -> str:
    """The per-class table, then accuracy and macro F1."""
    width = max([len("class"), *(len(name) for name in report["per_class"])])
    lines = [f"{'class':<{width}}  precision  recall     f1  support"]
    for name, row in report["per_class"].items():
        lines.append(
            f"{name:<{width}}  {row['precision']:9.3f}  {row['recall']:6.3f}  {row['f1']:5.3f}  {row['support']:7d}"
        )
    lines.append(
        f"accuracy {report['accuracy']:.3f}   macro F1 {report['macro_f1']:.3f}   "
        f"({sum(r['support'] for r in report['per_class'].values())} {% if cookiecutter.task == "tabular-classification" %}rows{% else %}images{% endif %})"
    )
    return "\n".join(lines)
{%- endif %}
