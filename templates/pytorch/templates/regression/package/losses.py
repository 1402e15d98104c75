"""The training loss for the numeric target: mean squared error, or Huber (target.loss in config.yaml)."""

from typing import Any

from torch import nn


def build_loss(cfg: dict[str, Any]) -> nn.Module:
    """MSE: the mean squared error, so large errors dominate. Huber: squared for errors up to
    target.huber_delta and linear beyond, so a few outliers pull the model less."""
    if cfg["target"]["loss"] == "huber":
        return nn.HuberLoss(delta=cfg["target"]["huber_delta"])
    return nn.MSELoss()
