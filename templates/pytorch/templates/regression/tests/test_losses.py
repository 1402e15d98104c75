"""The regression loss follows target.loss: mean squared error, or Huber with its delta."""

import pytest
import torch
from torch import nn

from {{ cookiecutter.slug }}.losses import build_loss


@pytest.mark.parametrize(("name", "kind"), [("mse", nn.MSELoss), ("huber", nn.HuberLoss)])
def test_the_configured_loss(name: str, kind: type) -> None:
    loss = build_loss({"target": {"loss": name, "huber_delta": 0.5}})
    assert isinstance(loss, kind)


def test_huber_is_linear_beyond_delta() -> None:
    loss = build_loss({"target": {"loss": "huber", "huber_delta": 1.0}})
    prediction, target = torch.tensor([3.0]), torch.tensor([0.0])
    assert loss(prediction, target).item() == pytest.approx(3.0 - 0.5)  # delta * (|error| - delta / 2)
