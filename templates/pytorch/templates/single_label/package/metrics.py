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
        f"({sum(r['support'] for r in report['per_class'].values())} {% if f.tabular %}rows{% else %}images{% endif %})"
    )
    return "\n".join(lines)
