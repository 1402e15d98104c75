"""The multi-label loss: binary cross-entropy per label."""

import math

import pytest
import torch
import torch.nn.functional as F

from {{ cookiecutter.slug }}.losses import build_loss

CFG = {"imbalance": {"strategy": "none"}}


def test_loss_is_plain_binary_cross_entropy() -> None:
    torch.manual_seed(0)
    loss = build_loss(CFG, label_counts=[90, 10], num_samples=100)
    logits, target = torch.randn(8, 2), (torch.rand(8, 2) > 0.5).float()
    torch.testing.assert_close(loss(logits, target), F.binary_cross_entropy_with_logits(logits, target))
    assert loss(torch.zeros(3, 2), target[:3]).item() == pytest.approx(math.log(2))  # the capacity test's ln 2
