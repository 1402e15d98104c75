"""The task hooks engine.py calls: no training metric besides the loss, an epoch's metrics in the target's units."""

from types import SimpleNamespace

import pytest
import torch

from {{ c.slug }} import task
from {{ c.slug }}.config import CHOICES


def test_training_measures_only_the_loss() -> None:
    assert task.TRAIN_METRICS == () and task.train_metrics(torch.zeros(4), torch.ones(4)).shape == (0,)


def test_predictions_are_the_outputs() -> None:
    outputs = torch.tensor([0.5, -1.0])
    assert torch.equal(task.predictions(outputs), outputs)


def test_epoch_metrics_are_in_the_targets_units() -> None:
    data = SimpleNamespace(schema=SimpleNamespace(unscale=lambda values: values * 10 + 100))  # standardized -> units
    row = {"val_loss": 0.6, **task.validation_metrics(data, [0.0, 1.0], [0.5, 1.0])}
    assert set(task.HIGHER_IS_BETTER) == set(CHOICES["regularization.early_stopping.monitor"]) == set(row)
    assert row["val_mae"] == pytest.approx(2.5)  # errors of 5 and 0 target units


def test_summary_shows_the_row() -> None:
    row = {"train_loss": 0.5, "val_loss": 0.6, "val_mae": 2.5, "val_rmse": 3.5, "val_r2": 0.75}
    assert task.summary(row) == ("train loss 0.5000", "val loss 0.6000 MAE 2.5 RMSE 3.5 R² 0.750")
