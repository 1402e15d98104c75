{%- if cookiecutter.task == "tabular-regression" -%}
"""The training loss for the numeric target: mean squared error, or Huber (target.loss in config.yaml)."""

from typing import Any

from torch import nn


def build_loss(cfg: dict[str, Any]) -> nn.Module:
    """MSE: the mean squared error, so large errors dominate. Huber: squared for errors up to
    target.huber_delta and linear beyond, so a few outliers pull the model less."""
    if cfg["target"]["loss"] == "huber":
        return nn.HuberLoss(delta=cfg["target"]["huber_delta"])
    return nn.MSELoss()
{%- elif cookiecutter.task == "image-multilabel" -%}
{%- set strategy = cookiecutter.imbalance.strategy -%}
{%- if strategy == "class-weights" -%}
"""The training loss: binary cross-entropy per label, each label's positives weighted by its negatives/positives."""
{%- elif strategy == "focal" -%}
"""The training loss: sigmoid focal loss, which down-weights the easy decisions of every label."""
{%- else -%}
"""The training loss: binary cross-entropy per label (no imbalance correction was chosen)."""
{%- endif %}

from typing import Any

{% if strategy != "none" -%}
import torch
{% endif -%}
{% if strategy == "focal" -%}
import torch.nn.functional as F
{% endif -%}
from torch import nn
{%- if strategy == "class-weights" %}


def positive_weights(label_counts: list[int], num_samples: int) -> torch.Tensor:
    """pos_weight of each label: its negatives / its positives (BCEWithLogitsLoss's documented choice: a label
    with 100 positive and 300 negative images gets 3), so each label's positives weigh as much as its negatives.

    Counts of 0 are taken as 1, which keeps the weights finite for a label that is never or always present.
    """
    positives = torch.tensor(label_counts, dtype=torch.float32)
    return (num_samples - positives).clamp(min=1) / positives.clamp(min=1)
{%- elif strategy == "focal" %}


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
{%- if strategy == "class-weights" %}
    """Binary cross-entropy with logits, pos_weight from the training split's label counts (`cfg` is not needed).

    The weights are a buffer of the loss: move the loss to the model's device with `.to(device)`.
    """
    return nn.BCEWithLogitsLoss(pos_weight=positive_weights(label_counts, num_samples))
{%- elif strategy == "focal" %}
    """Sigmoid focal loss with `imbalance.focal_gamma` (`label_counts` and `num_samples` are not needed)."""
    return SigmoidFocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]))
{%- else %}
    """Plain binary cross-entropy with logits: every label an independent yes/no decision (`cfg`,
    `label_counts` and `num_samples` are used by the other imbalance strategies)."""
    return nn.BCEWithLogitsLoss()
{%- endif %}
{%- else -%}
{%- set strategy = cookiecutter.imbalance.strategy -%}
{%- if strategy == "none" -%}
"""The training loss: plain cross-entropy (no class-imbalance correction was chosen)."""
{%- elif strategy in ["oversample", "undersample"] -%}
"""The training loss: plain cross-entropy, because the sampler already balances the classes."""
{%- elif strategy == "class-weights" -%}
"""The training loss: cross-entropy weighted by inverse class frequency, so that every class counts alike."""
{%- elif strategy == "focal" -%}
"""The training loss: focal loss, which down-weights easy examples so that training focuses on hard ones."""
{%- endif %}
{% if strategy in ["class-weights", "focal"] %}
import torch
{%- endif %}
{%- if strategy == "focal" %}
import torch.nn.functional as F
{%- endif %}
from torch import nn
{%- if strategy == "class-weights" %}


def class_weights(class_counts: list[int]) -> torch.Tensor:
    """Inverse-frequency weights n / (C * count_c), as sklearn's class_weight="balanced".

    Each class then carries the same total weight, and a balanced dataset gets weight 1 everywhere.
    A class without training samples is counted as one sample, which keeps its weight finite.
    """
    counts = torch.tensor(class_counts, dtype=torch.float32).clamp(min=1)
    return sum(class_counts) / (len(class_counts) * counts)
{%- elif strategy == "focal" %}


class FocalLoss(nn.Module):
    """Focal loss for single-label classification (Lin et al., 2017): cross-entropy times (1 - p_t) ** gamma.

    p_t is the predicted probability of the true class. Confident, correct predictions (easy examples) are
    down-weighted, so most of the gradient comes from the hard ones, often of the rare classes; gamma = 0
    is plain cross-entropy. `weight` optionally adds per-class weights (the paper's alpha); the weighted
    mean is normalised as in nn.CrossEntropyLoss, so gamma = 0 with weights is weighted cross-entropy.
    """

    def __init__(self, gamma: float, weight: torch.Tensor | None = None) -> None:
        super().__init__()
        if gamma < 0:
            raise ValueError(f"focal loss gamma must be >= 0, got {gamma}")
        self.gamma = gamma
        self.register_buffer("weight", weight)  # a buffer follows the loss in .to(device)

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        # log_softmax in float32 stays finite for large logits, also under fp16/bf16 autocast.
        log_pt = F.log_softmax(logits.float(), dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
        # expm1 keeps 1 - p_t precise near p_t = 1, and the clamp keeps the gradient of
        # (1 - p_t) ** gamma finite there when gamma < 1.
        focus = (-torch.expm1(log_pt)).clamp(min=1e-6) ** self.gamma
        loss = -focus * log_pt
        if self.weight is None:
            return loss.mean()
        weight = self.weight[target]
        return (weight * loss).sum() / weight.sum()
{%- endif %}


def build_loss(cfg: dict, class_counts: list[int]) -> nn.Module:
{%- if strategy == "none" %}
    """Plain cross-entropy; `cfg` and `class_counts` are not needed (other imbalance strategies use them)."""
    return nn.CrossEntropyLoss()
{%- elif strategy in ["oversample", "undersample"] %}
    """Plain cross-entropy: the {{ strategy }}d batches are already balanced, and weighting the loss too
    would correct the imbalance twice (favouring the rare classes). `cfg` and `class_counts` are not needed.
    """
    return nn.CrossEntropyLoss()
{%- elif strategy == "class-weights" %}
    """Cross-entropy weighted by the training split's class counts (`cfg` is not needed).

    The weights are a buffer of the loss: move the loss to the model's device with `.to(device)`.
    """
    return nn.CrossEntropyLoss(weight=class_weights(class_counts))
{%- elif strategy == "focal" %}
    """Focal loss with `imbalance.focal_gamma`, without class weights (`class_counts` is not needed).

    Focusing already shifts the gradient towards the rare classes, whose examples stay hard the longest.
    To weight the classes as well, pass inverse-frequency weights (as sklearn's "balanced") and move the
    loss to the model's device with `.to(device)`:
        counts = torch.tensor(class_counts, dtype=torch.float32).clamp(min=1)
        weight = sum(class_counts) / (len(class_counts) * counts)
        return FocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]), weight=weight)
    """
    return FocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]))
{%- endif %}
{%- endif %}
