"""The training loss: binary cross-entropy per label (no imbalance correction was chosen)."""

from typing import Any

from torch import nn


def build_loss(cfg: dict[str, Any], label_counts: list[int], num_samples: int) -> nn.Module:
    """Plain binary cross-entropy with logits: every label an independent yes/no decision (`cfg`,
    `label_counts` and `num_samples` are used by the other imbalance strategies)."""
    return nn.BCEWithLogitsLoss()
