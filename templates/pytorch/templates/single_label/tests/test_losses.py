{%- if c.imbalance.strategy == "class-weights" -%}
"""The class-weighted loss: inverse-frequency weights, and the weighted mean on a hand-computed example."""
{%- elif c.imbalance.strategy == "focal" -%}
"""The focal loss: plain cross-entropy at gamma 0, easy examples down-weighted, stable for large logits."""
{%- else -%}
"""The loss is plain, unweighted cross-entropy{{ ": the sampler already balances the classes" if c.imbalance.strategy != "none" else "" }}."""
{%- endif %}
{% if c.imbalance.strategy in ["class-weights", "focal"] %}
import math

import pytest
{%- endif %}
import torch
{%- if c.imbalance.strategy != "class-weights" %}
import torch.nn.functional as F
{%- endif %}
{%- if c.imbalance.strategy not in ["class-weights", "focal"] %}
from torch import nn
{%- endif %}

from {{ cookiecutter.slug }}.losses import {{ "FocalLoss, " if c.imbalance.strategy == "focal" else "" }}build_loss{{ ", class_weights" if c.imbalance.strategy == "class-weights" else "" }}

CFG = {"imbalance": {"strategy": "{{ c.imbalance.strategy }}"{% if c.imbalance.strategy == "focal" %}, "focal_gamma": 3.0{% endif %}}}
{%- if c.imbalance.strategy == "class-weights" %}


def test_class_weights_are_inverse_class_frequencies() -> None:
    # n / (C * count): 40 / (2 * 30) and 40 / (2 * 10)
    torch.testing.assert_close(class_weights([30, 10]), torch.tensor([2 / 3, 2.0]))
    torch.testing.assert_close(class_weights([5, 5, 5]), torch.ones(3))  # balanced data: no reweighting


def test_a_class_without_samples_gets_a_finite_weight() -> None:
    weights = class_weights([30, 0, 10])

    assert torch.isfinite(weights).all()
    assert weights[1] > weights[2] > weights[0]


def test_weighted_loss_on_a_hand_computed_example() -> None:
    loss = build_loss(CFG, class_counts=[30, 10])  # weights 2/3 and 2
    logits = torch.tensor([[0.0, 0.0], [0.0, math.log(3.0)]])  # p(true class) = 1/2 and 3/4
    target = torch.tensor([0, 1])

    # nn.CrossEntropyLoss divides the weighted sum by the sum of the weights of the targets.
    expected = (2 / 3 * math.log(2) + 2 * math.log(4 / 3)) / (2 / 3 + 2)
    assert loss(logits, target).item() == pytest.approx(expected, rel=1e-6)


def test_class_weights_move_with_the_loss() -> None:
    loss = build_loss(CFG, class_counts=[30, 10]).to(torch.float64)

    assert loss.weight.dtype == torch.float64  # a buffer: .to(device) moves it the same way
{%- elif c.imbalance.strategy == "focal" %}


def test_focal_loss_with_gamma_zero_is_cross_entropy() -> None:
    torch.manual_seed(0)
    logits, target = 5 * torch.randn(16, 4), torch.randint(0, 4, (16,))
    weight = torch.tensor([0.5, 1.0, 2.0, 4.0])

    torch.testing.assert_close(FocalLoss(gamma=0.0)(logits, target), F.cross_entropy(logits, target))
    torch.testing.assert_close(
        FocalLoss(gamma=0.0, weight=weight)(logits, target), F.cross_entropy(logits, target, weight=weight)
    )


def test_focal_loss_down_weights_easy_examples() -> None:
    # Two classes, true class 0: an easy example (p_t = 0.9) and a hard one (p_t = 0.2).
    logits = torch.tensor([[math.log(0.9), math.log(0.1)], [math.log(0.2), math.log(0.8)]])
    target = torch.tensor([0, 0])
    focal = FocalLoss(gamma=2.0)

    for row, p_t in ((0, 0.9), (1, 0.2)):
        example = (logits[row : row + 1], target[row : row + 1])
        # (1 - p_t) ** 2: the easy example's loss shrinks 100-fold, the hard one's only to 0.64
        assert (focal(*example) / F.cross_entropy(*example)).item() == pytest.approx((1 - p_t) ** 2, rel=1e-4)


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_focal_loss_is_stable_for_large_logits(gamma: float) -> None:
    logits = torch.tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True)
    target = torch.tensor([0, 0])  # one certain and right, one certain and wrong

    loss = FocalLoss(gamma=gamma)(logits, target)
    loss.backward()

    assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()


def test_focal_class_weights_move_with_the_loss() -> None:
    loss = FocalLoss(gamma=2.0, weight=torch.tensor([1.0, 3.0])).to(torch.float64)

    assert loss.weight.dtype == torch.float64  # a buffer: .to(device) moves it the same way


def test_build_loss_uses_the_configured_gamma() -> None:
    loss = build_loss(CFG, class_counts=[90, 10])

    assert isinstance(loss, FocalLoss) and loss.gamma == 3.0 and loss.weight is None
{%- else %}


def test_loss_is_unweighted_cross_entropy() -> None:
    torch.manual_seed(0)
    loss = build_loss(CFG, class_counts=[90, 10])
    logits, target = torch.randn(8, 2), torch.randint(0, 2, (8,))

    assert isinstance(loss, nn.CrossEntropyLoss) and loss.weight is None
    torch.testing.assert_close(loss(logits, target), F.cross_entropy(logits, target))
{%- endif %}
