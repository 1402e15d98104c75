"""The network: output shape, dropout switched off."""

from __future__ import annotations

import torch

from {{ c.slug }}.model import (
    build_model,
    without_dropout,
)


def test_one_score_per_class(cfg: dict) -> None:
    model = build_model(cfg, num_classes=3).eval()
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 3)


def test_without_dropout_sets_every_rate_to_zero(cfg: dict) -> None:
    cfg["model"]["head_dropout"] = 0.5
    model = without_dropout(build_model(cfg, num_classes=3))
    rates = [m.p for m in model.modules() if hasattr(m, "p") and isinstance(m.p, float)]
    assert rates and all(rate == 0.0 for rate in rates)
