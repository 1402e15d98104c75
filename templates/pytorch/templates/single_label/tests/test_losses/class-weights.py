"""The class-weighted loss: inverse-frequency weights, and the weighted mean on a hand-computed example."""

import math

import pytest
import torch

from {{ cookiecutter.slug }}.losses import build_loss, class_weights

CFG = {"imbalance": {"strategy": "class-weights"}}


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
