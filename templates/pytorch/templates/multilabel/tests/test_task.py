"""The task hooks engine.py calls: per-label accuracy, probabilities, an epoch's metrics, summary and thresholds."""

from types import SimpleNamespace

import torch

from {{ c.slug }} import task
from {{ c.slug }}.config import CHOICES

DATA = SimpleNamespace(classes=["cat", "dog"], class_to_idx={"cat": 0, "dog": 1})


def test_train_metrics_is_the_share_of_right_labels() -> None:
    logits = torch.tensor([[2.0, -1.0], [1.0, 1.0]])  # predicted: cat; cat and dog
    values = task.train_metrics(logits, torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
    assert values.shape == (len(task.TRAIN_METRICS),) and values.tolist() == [0.75]


def test_predictions_are_probabilities() -> None:
    assert task.predictions(torch.tensor([[0.0, 100.0]])).tolist() == [[0.5, 1.0]]


def test_every_monitor_choice_is_an_epoch_metric() -> None:
    truth, scores = [[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.1, 0.8], [0.7, 0.3]]
    row = {"val_loss": 0.6, **task.validation_metrics(DATA, truth, scores)}
    monitors = set(CHOICES["regularization.early_stopping.monitor"])
    assert set(task.HIGHER_IS_BETTER) == monitors == set(row) - {"val_accuracy"}  # per-label accuracy: shown only
    assert row["val_accuracy"] == 5 / 6


def test_checkpoints_hold_a_threshold_per_label() -> None:
    extras = task.checkpoint_extras(DATA, [[1, 0], [0, 1]], [[0.9, 0.2], [0.1, 0.8]])
    assert extras["class_to_idx"] == DATA.class_to_idx and len(extras["thresholds"]) == 2


def test_summary_shows_the_row() -> None:
    row = {"train_loss": 0.5, "train_accuracy": 0.8, "val_loss": 0.6, "val_accuracy": 0.75}
    train, val = task.summary({**row, "val_macro_f1": 0.7, "val_micro_f1": 0.65})
    assert train == "train loss 0.5000 label acc 0.800"
    assert val == "val loss 0.6000 label acc 0.750 macro F1 0.700 micro F1 0.650"
