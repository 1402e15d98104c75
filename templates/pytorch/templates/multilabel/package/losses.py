{%- if c.imbalance.strategy == "class-weights" -%}
"""The training loss: binary cross-entropy per label, each label's positives weighted by its negatives/positives."""
{%- elif c.imbalance.strategy == "focal" -%}
"""The training loss: sigmoid focal loss, which down-weights the easy decisions of every label."""
{%- else -%}
"""The training loss: binary cross-entropy per label (no imbalance correction was chosen)."""
{%- endif %}

from typing import Any

{% if c.imbalance.strategy != "none" -%}
import torch
{% endif -%}
{% if c.imbalance.strategy == "focal" -%}
import torch.nn.functional as F
{% endif -%}
from torch import nn
{%- if c.imbalance.strategy == "class-weights" %}


def positive_weights(label_counts: list[int], num_samples: int) -> torch.Tensor:
    """pos_weight of each label: its negatives / its positives (BCEWithLogitsLoss's documented choice: a label
    with 100 positive and 300 negative images gets 3), so each label's positives weigh as much as its negatives.

    Counts of 0 are taken as 1, which keeps the weights finite for a label that is never or always present.
    """
    positives = torch.tensor(label_counts, dtype=torch.float32)
    return (num_samples - positives).clamp(min=1) / positives.clamp(min=1)
{%- elif c.imbalance.strategy == "focal" %}


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
{%- endif %}


def build_loss(cfg: dict[str, Any], label_counts: list[int], num_samples: int) -> nn.Module:
{%- if c.imbalance.strategy == "class-weights" %}
    """Binary cross-entropy with logits, pos_weight from the training split's label counts (`cfg` is not needed).

    The weights are a buffer of the loss: move the loss to the model's device with `.to(device)`.
    """
    return nn.BCEWithLogitsLoss(pos_weight=positive_weights(label_counts, num_samples))
{%- elif c.imbalance.strategy == "focal" %}
    """Sigmoid focal loss with `imbalance.focal_gamma` (`label_counts` and `num_samples` are not needed)."""
    return SigmoidFocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]))
{%- else %}
    """Plain binary cross-entropy with logits: every label an independent yes/no decision (`cfg`,
    `label_counts` and `num_samples` are used by the other imbalance strategies)."""
    return nn.BCEWithLogitsLoss()
{%- endif %}
