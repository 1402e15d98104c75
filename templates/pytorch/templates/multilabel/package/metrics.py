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
