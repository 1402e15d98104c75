"""The loss is plain, unweighted cross-entropy."""

import torch
import torch.nn.functional as F
from torch import nn

from {{ cookiecutter.slug }}.losses import build_loss

CFG = {"imbalance": {"strategy": "none"}}


def test_loss_is_unweighted_cross_entropy() -> None:
    torch.manual_seed(0)
    loss = build_loss(CFG, class_counts=[90, 10])
    logits, target = torch.randn(8, 2), torch.randint(0, 2, (8,))

    assert isinstance(loss, nn.CrossEntropyLoss) and loss.weight is None
    torch.testing.assert_close(loss(logits, target), F.cross_entropy(logits, target))
