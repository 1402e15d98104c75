"""The multi-label loss: binary cross-entropy per label, focused on hard decisions (sigmoid focal loss)."""

import math

import pytest
import torch
import torch.nn.functional as F

from {{ cookiecutter.slug }}.losses import SigmoidFocalLoss, build_loss

CFG = {"imbalance": {"strategy": "focal", "focal_gamma": 2.0}}


def test_focal_loss_with_gamma_zero_is_binary_cross_entropy() -> None:
    torch.manual_seed(0)
    logits, target = 3 * torch.randn(8, 4), (torch.rand(8, 4) > 0.5).float()
    torch.testing.assert_close(
        SigmoidFocalLoss(gamma=0.0)(logits, target), F.binary_cross_entropy_with_logits(logits, target)
    )


def test_focal_loss_down_weights_easy_decisions() -> None:
    easy, hard = torch.tensor([[math.log(9.0)]]), torch.tensor([[math.log(0.25)]])  # p = 0.9 and 0.2, label 1
    target = torch.ones(1, 1)
    for logits, p in ((easy, 0.9), (hard, 0.2)):
        ratio = SigmoidFocalLoss(gamma=2.0)(logits, target) / F.binary_cross_entropy_with_logits(logits, target)
        assert ratio.item() == pytest.approx((1 - p) ** 2, rel=1e-4)


def test_build_loss_uses_the_configured_gamma() -> None:
    loss = build_loss(CFG, label_counts=[5, 5], num_samples=10)
    assert isinstance(loss, SigmoidFocalLoss) and loss.gamma == 2.0
