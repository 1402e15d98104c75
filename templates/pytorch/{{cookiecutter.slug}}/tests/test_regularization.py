{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Regularization reaches the weights of conv and linear layers only: never norms, biases or frozen layers."""

from collections.abc import Iterable

import torch
from torch import nn

from {{ c.slug }}.regularization import l1_penalty, parameter_groups


def tiny_model() -> nn.Sequential:
    """Conv and linear layers with biases, a BatchNorm and a LayerNorm: every kind of parameter once."""
    return nn.Sequential(
        nn.Conv2d(1, 2, kernel_size=3),
        nn.BatchNorm2d(2),
        nn.ReLU(),
        nn.Flatten(),
        nn.LayerNorm(8),
        nn.Linear(8, 3),
    )


def ids(params: Iterable[torch.Tensor]) -> set[int]:
    return {id(p) for p in params}


def test_weight_decay_only_on_conv_and_linear_weights() -> None:
    model = tiny_model()
    conv, batchnorm, layernorm, linear = model[0], model[1], model[4], model[5]

    decayed, not_decayed = parameter_groups(model, weight_decay=0.01)

    assert decayed["weight_decay"] == 0.01 and not_decayed["weight_decay"] == 0.0
    assert ids(decayed["params"]) == ids([conv.weight, linear.weight])
    no_decay = [conv.bias, batchnorm.weight, batchnorm.bias, layernorm.weight, layernorm.bias, linear.bias]
    assert ids(not_decayed["params"]) == ids(no_decay)


def test_frozen_parameters_are_left_out() -> None:
    model = tiny_model()
    model[0].requires_grad_(False)  # a frozen conv layer, as in a frozen backbone

    groups = parameter_groups(model, weight_decay=0.01)

    grouped = [p for group in groups for p in group["params"]]
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert len(grouped) == len(ids(grouped))  # no parameter in two groups
    assert ids(grouped) == ids(trainable)
    assert ids(grouped).isdisjoint(ids(model[0].parameters()))


def test_optimizer_shrinks_only_the_decayed_group() -> None:
    model = tiny_model()
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.SGD(parameter_groups(model, weight_decay=0.5), lr=0.1)
    for p in model.parameters():
        p.grad = torch.zeros_like(p)  # no data gradient: any change comes from weight decay

    optimizer.step()

    decayed = ids([model[0].weight, model[5].weight])
    for p, old in zip(model.parameters(), before, strict=True):
        expected = old * (1 - 0.1 * 0.5) if id(p) in decayed else old
        torch.testing.assert_close(p.detach(), expected)


def test_l1_penalty_is_the_sum_of_absolute_weights() -> None:
    linear = nn.Linear(2, 2)
    norm = nn.BatchNorm1d(2)
    frozen = nn.Linear(2, 2).requires_grad_(False)
    model = nn.Sequential(linear, norm, frozen)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[1.0, -2.0], [3.0, -4.0]]))
        linear.bias.fill_(10.0)
        norm.weight.fill_(-5.0)
        frozen.weight.fill_(100.0)

    penalty = l1_penalty(model)
    penalty.backward()

    assert penalty.item() == 1 + 2 + 3 + 4  # biases, norm scales and frozen weights do not count
    torch.testing.assert_close(linear.weight.grad, torch.tensor([[1.0, -1.0], [1.0, -1.0]]))  # sign(w)
    assert linear.bias.grad is None and norm.weight.grad is None
