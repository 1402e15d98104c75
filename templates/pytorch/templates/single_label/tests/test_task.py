"""The task hooks engine.py calls: training accuracy, predicted classes, an epoch's metrics and summary."""

from types import SimpleNamespace

import torch

from {{ c.slug }} import task
from {{ c.slug }}.config import CHOICES


def test_train_metrics_is_the_share_of_correct_predictions() -> None:
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0], [0.0, 5.0]])
    values = task.train_metrics(logits, torch.tensor([0, 1, 1, 1]))
    assert values.shape == (len(task.TRAIN_METRICS),) and values.tolist() == [0.75]


def test_predictions_are_the_classes_with_the_highest_scores() -> None:
    assert task.predictions(torch.tensor([[0.1, 0.9], [2.0, -1.0]])).tolist() == [1, 0]


def test_every_monitor_choice_is_an_epoch_metric() -> None:
    row = {"val_loss": 0.6, **task.validation_metrics(SimpleNamespace(classes=["cat", "dog"]), [0, 1, 1], [0, 1, 0])}
    assert set(task.HIGHER_IS_BETTER) == set(CHOICES["regularization.early_stopping.monitor"]) == set(row)
    assert row["val_accuracy"] == 2 / 3


def test_summary_shows_the_row() -> None:
    row = {"train_loss": 0.5, "train_accuracy": 0.8, "val_loss": 0.6, "val_accuracy": 0.75, "val_macro_f1": 0.7}
    assert task.summary(row) == ("train loss 0.5000 acc 0.800", "val loss 0.6000 acc 0.750 macro F1 0.700")
