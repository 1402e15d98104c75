"""The multi-label loss: binary cross-entropy per label with pos_weight = negatives / positives."""

import math

import pytest
import torch

from {{ cookiecutter.slug }}.losses import build_loss, positive_weights

CFG = {"imbalance": {"strategy": "class-weights"}}


def test_pos_weight_is_negatives_over_positives() -> None:
    # the PyTorch documentation's example: 100 positive and 300 negative images give pos_weight 3
    torch.testing.assert_close(positive_weights([100, 200], num_samples=400), torch.tensor([3.0, 1.0]))


def test_labels_never_or_always_present_get_finite_weights() -> None:
    weights = positive_weights([0, 10], num_samples=10)
    assert torch.isfinite(weights).all()
    torch.testing.assert_close(weights, torch.tensor([10.0, 0.1]))


def test_weighted_loss_on_a_hand_computed_example() -> None:
    loss = build_loss(CFG, label_counts=[1, 2], num_samples=4)  # pos_weight 3 and 1
    logits, target = torch.zeros(1, 2), torch.tensor([[1.0, 0.0]])
    # at logit 0 every term is ln 2; the positive of label 0 counts 3 times
    assert loss(logits, target).item() == pytest.approx((3 * math.log(2) + math.log(2)) / 2)
