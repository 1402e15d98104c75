"""The training loss: sigmoid focal loss, which down-weights the easy decisions of every label."""

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


class SigmoidFocalLoss(nn.Module):
    """Focal loss for multi-label outputs (Lin et al., 2017): each label's binary cross-entropy times
    (1 - p_t) ** gamma, where p_t is the predicted probability of the label's true value (present or absent).

    Images where a label is obviously absent (most of them, for a rare label) are easy decisions; they are
    down-weighted, so the gradient comes from the hard ones. gamma = 0 is plain binary cross-entropy.
    """

    def __init__(self, gamma: float) -> None:
        super().__init__()
        if gamma < 0:
            raise ValueError(f"focal loss gamma must be >= 0, got {gamma}")
        self.gamma = gamma

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        # in float32, from logits: finite for large logits, also under fp16/bf16 autocast
        bce = F.binary_cross_entropy_with_logits(logits.float(), target.float(), reduction="none")  # -log p_t
        focus = (-torch.expm1(-bce)).clamp(min=1e-6) ** self.gamma  # 1 - p_t, precise near p_t = 1
        return (focus * bce).mean()


def build_loss(cfg: dict[str, Any], label_counts: list[int], num_samples: int) -> nn.Module:
    """Sigmoid focal loss with `imbalance.focal_gamma` (`label_counts` and `num_samples` are not needed)."""
    return SigmoidFocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]))
