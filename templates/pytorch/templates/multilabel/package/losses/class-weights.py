"""The training loss: binary cross-entropy per label, each label's positives weighted by its negatives/positives."""

from typing import Any

import torch
from torch import nn


def positive_weights(label_counts: list[int], num_samples: int) -> torch.Tensor:
    """pos_weight of each label: its negatives / its positives (BCEWithLogitsLoss's documented choice: a label
    with 100 positive and 300 negative images gets 3), so each label's positives weigh as much as its negatives.

    Counts of 0 are taken as 1, which keeps the weights finite for a label that is never or always present.
    """
    positives = torch.tensor(label_counts, dtype=torch.float32)
    return (num_samples - positives).clamp(min=1) / positives.clamp(min=1)


def build_loss(cfg: dict[str, Any], label_counts: list[int], num_samples: int) -> nn.Module:
    """Binary cross-entropy with logits, pos_weight from the training split's label counts (`cfg` is not needed).

    The weights are a buffer of the loss: move the loss to the model's device with `.to(device)`.
    """
    return nn.BCEWithLogitsLoss(pos_weight=positive_weights(label_counts, num_samples))
