"""The training loss: focal loss, which down-weights easy examples so that training focuses on hard ones."""

import torch
import torch.nn.functional as F
from torch import nn


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


def build_loss(cfg: dict, class_counts: list[int]) -> nn.Module:
    """Focal loss with `imbalance.focal_gamma`, without class weights (`class_counts` is not needed).

    Focusing already shifts the gradient towards the rare classes, whose examples stay hard the longest.
    To weight the classes as well, pass inverse-frequency weights (as sklearn's "balanced") and move the
    loss to the model's device with `.to(device)`:
        counts = torch.tensor(class_counts, dtype=torch.float32).clamp(min=1)
        weight = sum(class_counts) / (len(class_counts) * counts)
        return FocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]), weight=weight)
    """
    return FocalLoss(gamma=float(cfg["imbalance"]["focal_gamma"]))
