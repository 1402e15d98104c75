"""The training loss: cross-entropy weighted by inverse class frequency, so that every class counts alike."""

import torch
from torch import nn


def class_weights(class_counts: list[int]) -> torch.Tensor:
    """Inverse-frequency weights n / (C * count_c), as sklearn's class_weight="balanced".

    Each class then carries the same total weight, and a balanced dataset gets weight 1 everywhere.
    A class without training samples is counted as one sample, which keeps its weight finite.
    """
    counts = torch.tensor(class_counts, dtype=torch.float32).clamp(min=1)
    return sum(class_counts) / (len(class_counts) * counts)


def build_loss(cfg: dict, class_counts: list[int]) -> nn.Module:
    """Cross-entropy weighted by the training split's class counts (`cfg` is not needed).

    The weights are a buffer of the loss: move the loss to the model's device with `.to(device)`.
    """
    return nn.CrossEntropyLoss(weight=class_weights(class_counts))
