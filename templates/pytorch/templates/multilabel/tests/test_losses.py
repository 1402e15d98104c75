"""The multi-label loss: binary cross-entropy per label{% if c.imbalance.strategy == "class-weights" %} with pos_weight = negatives / positives{% elif c.imbalance.strategy == "focal" %}, focused on hard decisions (sigmoid focal loss){% endif %}."""

import math

import pytest
import torch
{%- if c.imbalance.strategy != "class-weights" %}
import torch.nn.functional as F
{%- endif %}

from {{ cookiecutter.slug }}.losses import {% if c.imbalance.strategy == "focal" %}SigmoidFocalLoss, {% endif %}build_loss{% if c.imbalance.strategy == "class-weights" %}, positive_weights{% endif %}

CFG = {"imbalance": {"strategy": "{{ c.imbalance.strategy }}"{% if c.imbalance.strategy == "focal" %}, "focal_gamma": 2.0{% endif %}}}
{%- if c.imbalance.strategy == "class-weights" %}


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
{%- elif c.imbalance.strategy == "focal" %}


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
{%- else %}


def test_loss_is_plain_binary_cross_entropy() -> None:
    torch.manual_seed(0)
    loss = build_loss(CFG, label_counts=[90, 10], num_samples=100)
    logits, target = torch.randn(8, 2), (torch.rand(8, 2) > 0.5).float()
    torch.testing.assert_close(loss(logits, target), F.binary_cross_entropy_with_logits(logits, target))
    assert loss(torch.zeros(3, 2), target[:3]).item() == pytest.approx(math.log(2))  # the capacity test's ln 2
{%- endif %}
