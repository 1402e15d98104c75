{%- set titles = {"resnet18": "ResNet-18", "resnet34": "ResNet-34", "resnet50": "ResNet-50", "vgg16_bn": "VGG-16 (BN)", "densenet121": "DenseNet-121", "efficientnet_b0": "EfficientNet-B0", "convnext_tiny": "ConvNeXt-Tiny", "xception": "Xception", "simple-cnn": "a small CNN"} -%}
"""The network: {{ titles[c.model.backbone] if not f.timm else "a timm model" }} {{ ("with pretrained weights" if f.timm else "pretrained on ImageNet") if f.pretrained else "trained from scratch" }}, {{ "pyramid pooling, " if f.pyramid else "" }}and a new head for this project's classes."""

from __future__ import annotations
{% if f.backbone in ("resnet", "densenet121") %}
from collections import OrderedDict
{%- endif %}
from typing import Any

{% if f.torchvision_backbone -%}
import torchvision
{% endif -%}
from torch import nn
{%- if (f.pretrained and not f.timm) or f.pyramid or f.dropconnect %}
{% if f.pretrained and not f.timm %}
from .errors import {{ "ConfigError, " if f.backbone == "xception" else "" }}UserError
{%- endif %}
{%- if f.pyramid or f.dropconnect %}
from .layers import {{ ["DropConnectLinear" if f.dropconnect else "", "SpatialPyramidPooling" if f.pyramid else ""] | select | join(", ") }}
{%- endif %}
{%- endif %}


class Classifier(nn.Module):
    """features (feature maps) -> pool (one vector per image) -> head (a score per class)."""

    def __init__(
        self, features: nn.Module, pool: nn.Module, num_features: int, num_classes: int, cfg: dict[str, Any]
    ) -> None:
        super().__init__()
        self.features = features
        self.pool = pool
        self.head = nn.Sequential(
            nn.Dropout(cfg["model"]["head_dropout"]),
{%- if f.dropconnect %}
            DropConnectLinear(num_features, num_classes, p=cfg["regularization"]["dropconnect"]),
{%- else %}
            nn.Linear(num_features, num_classes),
{%- endif %}
        )

    def forward(self, images):
        return self.head(self.pool(self.features(images)))
{%- if f.pretrained %}

    def train(self, mode: bool = True) -> Classifier:
        """nn.Module.train, except that BatchNorm layers with frozen parameters keep their statistics (eval mode)."""
        super().train(mode)
        for module in self.modules():
            # SyncBatchNorm: what BatchNorm2d becomes under DDP with distributed.sync_batchnorm
            batchnorm = isinstance(module, (nn.BatchNorm2d, nn.SyncBatchNorm))
            if batchnorm and not any(p.requires_grad for p in module.parameters()):
                module.eval()
        return self
{%- endif %}


def build_model(cfg: dict[str, Any], num_classes: int) -> Classifier:
    """The whole network: backbone, pooling and head{{ " (every parameter trainable: set_trainable applies model.freeze)" if f.pretrained else "" }}."""
    features, num_features = build_backbone(cfg)
{%- if f.swap_bn %}
    replace_batchnorm(features)  # normalization: {{ c.normalization }}, chosen for this project's batch size
{%- endif %}
{%- if f.pyramid %}
    pool = SpatialPyramidPooling(levels=(1, 2, 4))  # max-pools 1x1, 2x2 and 4x4 grids: context at three scales
    num_features = pool.output_features(num_features)
{%- elif f.timm %}
    pool = nn.Identity()  # timm's own pooling (forward_head) is part of TimmFeatures
{%- elif f.backbone == "convnext_tiny" %}
    norm = features.pop(-1)  # ConvNeXt's final LayerNorm: torchvision applies it after the average pool
    pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), norm, nn.Flatten(1))
{%- else %}
    pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))
{%- endif %}
    return Classifier(features, pool, num_features, num_classes, cfg)


{% include "image/package/backbones/" ~ f.backbone ~ ".py" %}
{%- if f.swap_bn %}


def replace_batchnorm(module: nn.Module) -> None:
    """Every BatchNorm2d inside `module` becomes {{ "an identity (normalization: none)" if c.normalization == "none" else "norm_layer, keeping its learned scale and shift" }}; the
    pretrained running statistics are lost, which the wizard warned about."""
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm2d):
{%- if c.normalization == "none" %}
            setattr(module, name, nn.Identity())
{%- else %}
            layer = norm_layer(child.num_features)
            if child.affine:
                layer.load_state_dict({"weight": child.weight.detach(), "bias": child.bias.detach()})
            setattr(module, name, layer)
{%- endif %}
        else:
            replace_batchnorm(child)
{%- endif %}
{%- if (f.backbone == "simple-cnn" or f.swap_bn) and c.normalization != "none" %}


{% include "image/package/norm_layer/" ~ c.normalization ~ ".py" %}
{%- endif %}
{%- if f.torchvision_backbone %}


def _pretrained(constructor: Any, cfg: dict[str, Any]) -> nn.Module:
    """A torchvision model with the weights named by model.weights (DEFAULT, a weights name, or null)."""
    name = cfg["model"]["weights"]
    weights = None
    if name is not None:
        options = torchvision.models.get_model_weights(constructor)
        if name not in options.__members__:
            raise UserError(f"model.weights: {name!r} is not offered; allowed: {', '.join(options.__members__)}, null")
        weights = options[name]
    try:
        return constructor(weights=weights)  # never num_classes= with weights: the head is replaced instead
    except OSError as exc:  # offline and not cached yet
        raise UserError(
            f"the pretrained weights {weights} could not be downloaded ({exc}); connect to the internet once "
            "(they are cached under $TORCH_HOME), or --set model.weights=null to start from random weights"
        ) from None
{%- endif %}
{%- if f.pretrained %}


def freeze_mode(cfg: dict[str, Any]) -> str:
    """model.freeze as it applies: with random weights (model.weights: null) nothing is frozen, because frozen
    random layers never learn anything; a warning says so when the config asks for freezing."""
    import sys

    freeze = cfg["model"]["freeze"]
    if freeze != "none" and cfg["model"]["weights"] is None:
        print(
            f"warning: model.freeze: {freeze} ignored: model.weights is null, and random layers that stay "
            "frozen never learn; every layer trains (set model.freeze: none to silence this)",
            file=sys.stderr,
        )
        return "none"
    return freeze


def set_trainable(model: Classifier, freeze: str, epoch: int = 1, unfreeze_epoch: int = 1) -> None:
    """Apply model.freeze for this epoch: none, head-only, early-layers, or gradual (head-only, then all)."""
    if freeze == "gradual":
        freeze = "head-only" if epoch < unfreeze_epoch else "none"
    early = {{ "early_parameters(model)" if f.timm else 'tuple(f"features.{layer}." for layer in EARLY_LAYERS)' }}
    for name, param in model.named_parameters():
        if name.startswith("head.") or freeze == "none":
            trainable = True
        elif freeze == "head-only":
            trainable = False
        else:  # early-layers
            trainable = not name.startswith(early)
        param.requires_grad_(trainable)
{%- if c.normalization == "frozen-batchnorm" %}
    # normalization: frozen-batchnorm keeps the pretrained statistics and scales (Classifier.train keeps BN in eval)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.requires_grad_(False)
{%- endif %}
{%- endif %}


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, frozen) parameter counts."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters()) - trainable


def without_dropout(model: nn.Module) -> nn.Module:
    """Every dropout-like rate set to 0 (for the capacity test, which must not be regularized): the layers that
    drop activations, weights or whole blocks (Dropout, Dropout2d, DropConnect, stochastic depth) keep it in `p`."""
    for module in model.modules():
        if isinstance(getattr(module, "p", None), float):
            module.p = 0.0
    return model
