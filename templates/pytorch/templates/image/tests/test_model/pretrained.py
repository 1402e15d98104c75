"""The network: output shape, freezing modes, frozen BatchNorm kept in eval mode, dropout switched off."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from {{ c.slug }}.model import (
    build_model,
    count_parameters,
    freeze_mode,
{%- if f.swap_bn and c.normalization != "none" %}
    replace_batchnorm,
{%- endif %}
    set_trainable,
    without_dropout,
)


def test_one_score_per_class(cfg: dict) -> None:
    model = build_model(cfg, num_classes=3).eval()
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 3)


@pytest.mark.parametrize("freeze", ["none", "head-only", "early-layers"])
def test_freeze_modes(cfg: dict, freeze: str) -> None:
    model = build_model(cfg, num_classes=3)
    set_trainable(model, freeze)
    trainable, frozen = count_parameters(model)
    head = sum(p.numel() for p in model.head.parameters())
    assert all(p.requires_grad for p in model.head.parameters())
{%- if c.normalization == "frozen-batchnorm" %}
    if freeze == "head-only":
        assert trainable == head
    else:
        assert trainable > head and frozen > 0  # BatchNorm stays frozen in every mode
{%- else %}
    if freeze == "none":
        assert frozen == 0
    elif freeze == "head-only":
        assert trainable == head
    else:
        assert trainable > head and frozen > 0
{%- endif %}


def test_random_weights_are_never_frozen(cfg: dict, capsys: pytest.CaptureFixture[str]) -> None:
    random_weights = {**cfg, "model": {**cfg["model"], "weights": None, "freeze": "early-layers"}}
    assert freeze_mode(random_weights) == "none" and "random layers" in capsys.readouterr().err
    pretrained = {**cfg, "model": {**cfg["model"], "weights": "DEFAULT", "freeze": "early-layers"}}  # not loaded here
    assert freeze_mode(pretrained) == "early-layers"


def test_gradual_unfreezes_at_the_configured_epoch(cfg: dict) -> None:
    model = build_model(cfg, num_classes=3)
    set_trainable(model, "gradual", epoch=1, unfreeze_epoch=3)
    assert count_parameters(model)[0] == sum(p.numel() for p in model.head.parameters())
    set_trainable(model, "gradual", epoch=3, unfreeze_epoch=3)
    assert count_parameters(model)[0] > sum(p.numel() for p in model.head.parameters())


def test_frozen_batchnorm_keeps_its_statistics(cfg: dict) -> None:
    model = build_model(cfg, num_classes=3)
    set_trainable(model, "head-only")
    model.train()
    norms = [m for m in model.features.modules() if isinstance(m, nn.BatchNorm2d)]
    assert all(not m.training for m in norms)
    if norms:
        before = norms[0].running_mean.clone()
        model(torch.randn(4, 3, 32, 32))
        assert torch.equal(before, norms[0].running_mean)
{%- if f.swap_bn %}


def test_normalization_{{ c.normalization }}_replaces_every_batchnorm(cfg: dict) -> None:
    model = build_model(cfg, num_classes=3)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
{%- if c.normalization != "none" %}
    norm = nn.BatchNorm2d(8)
    nn.init.uniform_(norm.weight)
    nn.init.uniform_(norm.bias)
    network = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Sequential(norm))
    replace_batchnorm(network)
    swapped = network[1][0]
    assert isinstance(swapped, nn.{{ "InstanceNorm2d" if c.normalization == "instancenorm" else "GroupNorm" }})
    assert torch.equal(swapped.weight, norm.weight) and torch.equal(swapped.bias, norm.bias)  # scale and shift kept
{%- endif %}
{%- endif %}


def test_without_dropout_sets_every_rate_to_zero(cfg: dict) -> None:
    cfg["model"]["head_dropout"] = 0.5
    model = without_dropout(build_model(cfg, num_classes=3))
    rates = [m.p for m in model.modules() if hasattr(m, "p") and isinstance(m.p, float)]
    assert rates and all(rate == 0.0 for rate in rates)
