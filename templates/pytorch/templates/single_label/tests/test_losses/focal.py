"""The focal loss: plain cross-entropy at gamma 0, easy examples down-weighted, stable for large logits."""

import math

import pytest
import torch
import torch.nn.functional as F

from {{ cookiecutter.slug }}.losses import FocalLoss, build_loss

CFG = {"imbalance": {"strategy": "focal", "focal_gamma": 3.0}}


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
