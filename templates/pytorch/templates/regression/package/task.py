"""What training does for regression: the model's outputs as predictions, and the validation metrics of each
epoch and the final report in the target's own units. engine.py calls these;
scripts/evaluate.py and scripts/baseline.py the last ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .data import Datasets
from .losses import build_loss
from .metrics import format_report, regression_report
from .tabular import FeatureSchema

# The monitored metric (regularization.early_stopping.monitor) also picks the best checkpoint.
HIGHER_IS_BETTER = {"val_loss": False, "val_mae": False, "val_rmse": False, "val_r2": True}
# What train_metrics measures on each training batch: nothing besides the loss
TRAIN_METRICS = ()


def describe(data: Datasets) -> str:
    """The target column, for the first line of a run."""
    return f"target {data.schema.target!r}"


def loss_for(cfg: dict[str, Any], data: Datasets) -> nn.Module:
    """The training loss (target.loss)."""
    return build_loss(cfg)


def train_metrics(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """TRAIN_METRICS of a batch: none (the loss is the squared or Huber error already), an empty vector."""
    return logits.new_zeros(0)


def predictions(logits: torch.Tensor) -> torch.Tensor:
    """What evaluation collects from the model's outputs: the outputs themselves (in the units it learns)."""
    return logits


def validation_metrics(data: Datasets, y_true: list[float], y_pred: list[float]) -> dict[str, float]:
    """An epoch's validation metrics (metrics.csv columns), in the target's own units: MAE, RMSE and R²."""
    report = _report(data, y_true, y_pred)
    return {"val_mae": report["mae"], "val_rmse": report["rmse"], "val_r2": report["r2"]}


def summary(row: dict[str, Any]) -> tuple[str, str]:
    """An epoch's row of metrics.csv as text: the training part and the validation part."""
    return (
        f"train loss {row['train_loss']:.4f}",
        f"val loss {row['val_loss']:.4f} MAE {row['val_mae']:.4g} RMSE {row['val_rmse']:.4g} R² {row['val_r2']:.3f}",
    )


def checkpoint_extras(data: Datasets, y_true: list[float], y_pred: list[float]) -> dict[str, Any]:
    """What a checkpoint holds for this task besides the training state and the feature schema: nothing."""
    return {}


def final_report(data: Datasets, y_true: list[float], y_pred: list[float], best: dict[str, Any]) -> dict[str, Any]:
    """report.json's metrics of the best epoch: MAE, RMSE and R² in the target's own units."""
    return {"target": data.schema.target, **_report(data, y_true, y_pred)}


def present(report: dict[str, Any], data: Datasets, run_dir: Path) -> str:
    """The report as text (report.json is all there is to write)."""
    return format_report(report)


def _report(data: Datasets, y_true: list[float], y_pred: list[float]) -> dict[str, Any]:
    """MAE, RMSE and R² in the target's own units (the model may learn standardized values)."""
    unscale = data.schema.unscale
    return regression_report(unscale(torch.tensor(y_true)).tolist(), unscale(torch.tensor(y_pred)).tolist())


# --- scripts/evaluate.py and scripts/baseline.py ---


def split_fingerprint(dataset: Any) -> str:
    """A short hash of a split's rows (line and cells): baseline.py records it, evaluate.py compares it to know
    the split is the same."""
    digest = hashlib.sha256()
    for row in dataset.rows:
        digest.update(json.dumps([row.line, row.cells], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def checkpoint_report(
    state: dict[str, Any], y_true: list[float], y_pred: list[float], source: str = "checkpoint"
) -> dict[str, Any]:
    """evaluate.py's metrics of a checkpoint's predictions: MAE, RMSE and R² in the target's own units."""
    schema = FeatureSchema.from_dict(state["schema"])  # as the model was trained with (checked on loading it)
    unscale = schema.unscale
    values = regression_report(unscale(torch.tensor(y_true)).tolist(), unscale(torch.tensor(y_pred)).tolist())
    return {"target": schema.target, **values}


def present_evaluation(report: dict[str, Any], state: dict[str, Any], out: Path, split: str) -> None:
    """What evaluate.py writes besides its JSON report: nothing."""
