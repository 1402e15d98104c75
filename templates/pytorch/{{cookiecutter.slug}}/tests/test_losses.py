{%- if cookiecutter.task == "tabular-regression" -%}
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
{%- elif cookiecutter.task == "image-multilabel" -%}
{%- set strategy = cookiecutter.imbalance.strategy -%}
"""The multi-label loss: binary cross-entropy per label{% if strategy == "class-weights" %} with pos_weight = negatives / positives{% elif strategy == "focal" %}, focused on hard decisions (sigmoid focal loss){% endif %}."""

import math

import pytest
import torch
{%- if strategy != "class-weights" %}
import torch.nn.functional as F
{%- endif %}

from {{ cookiecutter.slug }}.losses import {% if strategy == "focal" %}SigmoidFocalLoss, {% endif %}build_loss{% if strategy == "class-weights" %}, positive_weights{% endif %}

CFG = {"imbalance": {"strategy": "{{ strategy }}"{% if strategy == "focal" %}, "focal_gamma": 2.0{% endif %}}}
{%- if strategy == "class-weights" %}


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
{%- elif strategy == "focal" %}


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
{%- else -%}
{%- set strategy = cookiecutter.imbalance.strategy -%}
{%- if strategy == "class-weights" -%}
"""The class-weighted loss: inverse-frequency weights, and the weighted mean on a hand-computed example."""
{%- elif strategy == "focal" -%}
"""The focal loss: plain cross-entropy at gamma 0, easy examples down-weighted, stable for large logits."""
{%- else -%}
"""The loss is plain, unweighted cross-entropy{{ ": the sampler already balances the classes" if strategy != "none" else "" }}."""
{%- endif %}
{% if strategy in ["class-weights", "focal"] %}
import math

import pytest
{%- endif %}
import torch
{%- if strategy != "class-weights" %}
import torch.nn.functional as F
{%- endif %}
{%- if strategy not in ["class-weights", "focal"] %}
from torch import nn
{%- endif %}

from {{ cookiecutter.slug }}.losses import {{ "FocalLoss, " if strategy == "focal" else "" }}build_loss{{ ", class_weights" if strategy == "class-weights" else "" }}

CFG = {"imbalance": {"strategy": "{{ strategy }}"{% if strategy == "focal" %}, "focal_gamma": 3.0{% endif %}}}
{%- if strategy == "class-weights" %}


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
{%- elif strategy == "focal" %}


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
{%- endif %}
