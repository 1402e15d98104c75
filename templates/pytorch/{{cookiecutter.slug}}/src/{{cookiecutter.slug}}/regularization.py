{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Weight decay and the L1 penalty: only the weights of convolution and linear layers are shrunk."""

import torch
from torch import nn

# Biases and normalization parameters are left out: they are few, and shrinking them only hurts
# (a BatchNorm or LayerNorm scale pulled towards 0 switches its channel off).
WEIGHT_LAYERS = (
    nn.Linear,
    nn.Conv1d,
    nn.Conv2d,
    nn.Conv3d,
    nn.ConvTranspose1d,
    nn.ConvTranspose2d,
    nn.ConvTranspose3d,
)


def regularized_weights(model: nn.Module) -> list[nn.Parameter]:
    """The trainable weights of the model's linear and convolution layers, each once, in module order."""
    weights: dict[int, nn.Parameter] = {}
    for module in model.modules():
        if isinstance(module, WEIGHT_LAYERS) and module.weight.requires_grad:
            weights[id(module.weight)] = module.weight  # by id: a weight shared by two layers counts once
    return list(weights.values())


def parameter_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Two optimizer parameter groups: `weight_decay` on the weights, none on biases and normalization.

    Frozen parameters (requires_grad False) are in neither group.
    """
    decayed = regularized_weights(model)
    decayed_ids = {id(weight) for weight in decayed}
    others = [p for p in model.parameters() if p.requires_grad and id(p) not in decayed_ids]
    return [{"params": decayed, "weight_decay": weight_decay}, {"params": others, "weight_decay": 0.0}]


def l1_penalty(model: nn.Module) -> torch.Tensor:
    """Sum of |w| over the regularized weights; the training loss adds it times `regularization.l1`.

    L1 drives weights to exactly zero (sparse weights, a form of feature selection). |w| has no derivative
    at 0; autograd uses 0 there (a subgradient).
    """
    return torch.stack([weight.abs().sum() for weight in regularized_weights(model)]).sum()
