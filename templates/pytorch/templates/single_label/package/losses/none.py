"""The training loss: plain cross-entropy (no class-imbalance correction was chosen)."""

from torch import nn


def build_loss(cfg: dict, class_counts: list[int]) -> nn.Module:
    """Plain cross-entropy; `cfg` and `class_counts` are not needed (other imbalance strategies use them)."""
    return nn.CrossEntropyLoss()
