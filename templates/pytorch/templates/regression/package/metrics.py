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
