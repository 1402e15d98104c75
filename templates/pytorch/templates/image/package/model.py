{%- set titles = {"resnet18": "ResNet-18", "resnet34": "ResNet-34", "resnet50": "ResNet-50", "vgg16_bn": "VGG-16 (BN)", "densenet121": "DenseNet-121", "efficientnet_b0": "EfficientNet-B0", "convnext_tiny": "ConvNeXt-Tiny", "xception": "Xception", "simple-cnn": "a small CNN"} -%}
"""The network: {{ titles[c.model.backbone] }}{% if f.pretrained %} pretrained on ImageNet{% else %} trained from scratch{% endif %}, {% if f.pyramid %}pyramid pooling, {% endif %}and a new head for this project's classes."""

from __future__ import annotations
{% if c.model.backbone in ("resnet18", "resnet34", "resnet50", "densenet121") %}
from collections import OrderedDict
{%- endif %}
from typing import Any

{% if f.torchvision_backbone -%}
import torchvision
{% endif -%}
from torch import nn
{%- if f.pretrained or f.pyramid or f.dropconnect %}
{% if f.pretrained %}
from .errors import {% if c.model.backbone == "xception" %}ConfigError, {% endif %}UserError
{%- endif %}
{%- if f.pyramid or f.dropconnect %}
from .layers import {% if f.dropconnect %}DropConnectLinear{% endif %}{% if f.dropconnect and f.pyramid %}, {% endif %}{% if f.pyramid %}SpatialPyramidPooling{% endif %}
{%- endif %}
{%- endif %}
{%- if f.pretrained %}

{% if c.model.backbone in ("resnet18", "resnet34", "resnet50") -%}
# freeze: early-layers freezes these layers of `features` (the stem and the first two stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("conv1", "bn1", "layer1", "layer2")
{%- elif c.model.backbone == "vgg16_bn" -%}
# freeze: early-layers freezes these layers of `features` (the first three conv blocks): early layers detect
# generic edges and textures, blocks 4 and 5 adapt to this data.
EARLY_LAYERS = tuple(str(i) for i in range(24))
{%- elif c.model.backbone == "densenet121" -%}
# freeze: early-layers freezes these layers of `features` (the stem and the first two dense blocks): early
# layers detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("conv0", "norm0", "denseblock1", "transition1", "denseblock2", "transition2")
{%- elif c.model.backbone == "efficientnet_b0" -%}
# freeze: early-layers freezes these layers of `features` (the stem and the first three stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("0", "1", "2", "3")
{%- elif c.model.backbone == "convnext_tiny" -%}
# freeze: early-layers freezes these layers of `features` (the stem and the first two stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("0", "1", "2", "3")
{%- elif c.model.backbone == "xception" -%}
# freeze: early-layers freezes these layers of the timm model (its entry flow): early layers detect generic
# edges and textures, the middle and exit flows adapt to this data.
EARLY_LAYERS = ("conv1", "bn1", "conv2", "bn2", "block1", "block2", "block3")
{%- endif %}
{%- endif %}

{%- if f.pretrained and f.sync_bn %}

# BatchNorm2d layers become SyncBatchNorm under DDP with small per-GPU batches (distributed.sync_batchnorm)
BATCHNORMS = (nn.BatchNorm2d, nn.SyncBatchNorm)
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
            if isinstance(module, {% if f.sync_bn %}BATCHNORMS{% else %}nn.BatchNorm2d{% endif %}) and not any(p.requires_grad for p in module.parameters()):
                module.eval()
        return self
{%- endif %}


def build_model(cfg: dict[str, Any], num_classes: int) -> Classifier:
{%- if f.pretrained %}
    """The whole network, every parameter trainable (set_trainable applies model.freeze)."""
{%- else %}
    """The whole network: backbone, pooling and head."""
{%- endif %}
    features, num_features = build_backbone(cfg)
{%- if f.swap_bn %}
    replace_batchnorm(features)  # normalization: {{ c.normalization }}, chosen for this project's batch size
{%- endif %}
{%- if f.pyramid %}
    pool = SpatialPyramidPooling(levels=(1, 2, 4))  # max-pools 1x1, 2x2 and 4x4 grids: context at three scales
    num_features = pool.output_features(num_features)
{%- elif c.model.backbone == "convnext_tiny" %}
    norm = features.pop(-1)  # ConvNeXt's final LayerNorm: torchvision applies it after the average pool
    pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), norm, nn.Flatten(1))
{%- else %}
    pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))
{%- endif %}
    return Classifier(features, pool, num_features, num_classes, cfg)


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
{%- if c.model.backbone in ("resnet18", "resnet34", "resnet50") %}
    """{{ titles[c.model.backbone] }}'s convolutional stages (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.{{ c.model.backbone }}, cfg)
    features = nn.Sequential(OrderedDict(list(net.named_children())[:-2]))  # without avgpool and fc
    return features, net.fc.in_features
{%- elif c.model.backbone == "vgg16_bn" %}
    """VGG-16's convolutional blocks (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.vgg16_bn, cfg)
    return net.features, 512
{%- elif c.model.backbone == "densenet121" %}
    """DenseNet-121's dense blocks (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.densenet121, cfg)
    # torchvision applies this ReLU in DenseNet.forward, after the last norm layer
    features = nn.Sequential(OrderedDict([*net.features.named_children(), ("relu", nn.ReLU(inplace=True))]))
    return features, net.classifier.in_features
{%- elif c.model.backbone == "efficientnet_b0" %}
    """EfficientNet-B0's stages (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.efficientnet_b0, cfg)
    return net.features, net.classifier[-1].in_features
{%- elif c.model.backbone == "convnext_tiny" %}
    """ConvNeXt-Tiny's stages (pretrained), its final LayerNorm, and the number of channels they output."""
    net = _pretrained(torchvision.models.convnext_tiny, cfg)
    features = nn.Sequential(*net.features, net.classifier[0])  # the LayerNorm normalizes each position
    return features, net.classifier[-1].in_features
{%- elif c.model.backbone == "xception" %}
    """Xception's entry, middle and exit flows (pretrained, from timm) and the number of channels they output."""
    try:
        import timm
    except ImportError:
        raise ConfigError("model.backbone 'xception' comes from the timm package: pip install timm") from None
    try:
        net = timm.create_model("legacy_xception", pretrained=cfg["model"]["weights"] is not None, num_classes=0)
    except (OSError, RuntimeError) as exc:
        raise UserError(
            f"the pretrained Xception weights could not be loaded ({exc}); connect to the internet once so "
            "timm can download them, or --set model.weights=null to start from random weights"
        ) from None
    return TimmFeatures(net), net.num_features
{%- else %}
    """Three blocks after a strided stem; each doubles the channels and halves the resolution."""
    layers: list[nn.Module] = [conv_block(3, 32, stride=2), nn.MaxPool2d(2)]
    channels = 32
{%- if f.spatial_dropout %}
    for index, width in enumerate((64, 128, 256)):
        layers += [conv_block(channels, width), nn.MaxPool2d(2)]
        if index < 2:  # SpatialDropout: neighbouring pixels of early maps are correlated, so drop whole maps
            layers.append(nn.Dropout2d(cfg["regularization"]["spatial_dropout"]))
        channels = width
{%- else %}
    for width in (64, 128, 256):
        layers += [conv_block(channels, width), nn.MaxPool2d(2)]
        channels = width
{%- endif %}
    return nn.Sequential(*layers), channels


def conv_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Sequential:
{%- if c.normalization == "none" %}
    """3x3 convolution and ReLU (no normalization layer)."""
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1), nn.ReLU(inplace=True))
{%- else %}
    """3x3 convolution, normalization, ReLU."""
    conv = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)  # the norm layer has a bias
    return nn.Sequential(conv, norm_layer(out_channels), nn.ReLU(inplace=True))
{%- endif %}
{%- endif %}
{%- if f.swap_bn %}


def replace_batchnorm(module: nn.Module) -> None:
    """Every BatchNorm2d inside `module` becomes {% if c.normalization == "none" %}an identity (normalization: none){% else %}norm_layer, keeping its learned scale and shift{% endif %}; the
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
{%- if (not f.pretrained or f.swap_bn) and c.normalization != "none" %}


def norm_layer(channels: int) -> nn.Module:
{%- if c.normalization == "batchnorm" %}
    """BatchNorm: statistics over the batch; works best with batches above about 10."""
    return nn.BatchNorm2d(channels)
{%- elif c.normalization == "groupnorm" %}
    """GroupNorm: statistics over groups of channels of each image; stable with small batches (2-10)."""
    return nn.GroupNorm(num_groups=8, num_channels=channels)
{%- elif c.normalization == "instancenorm" %}
    """InstanceNorm: statistics over each channel of each image; for batches of one."""
    return nn.InstanceNorm2d(channels, affine=True)
{%- elif c.normalization == "layernorm" %}
    """LayerNorm over (channels, height, width) of each image; independent of the batch size."""
    return nn.GroupNorm(num_groups=1, num_channels=channels)
{%- endif %}
{%- endif %}
{%- if c.model.backbone == "xception" %}


class TimmFeatures(nn.Module):
    """A timm model's feature maps (before its global pooling)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images):
        return self.net.forward_features(images)
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
    early = tuple(f"features.{% if c.model.backbone == 'xception' %}net.{% endif %}{layer}." for layer in EARLY_LAYERS)
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
    """Every dropout-like rate set to 0 (for the capacity test, which must not be regularized)."""
{%- set dropout_types = ["nn.Dropout"] + (["nn.Dropout2d"] if f.spatial_dropout else []) + (["DropConnectLinear"] if f.dropconnect else []) + (["torchvision.ops.StochasticDepth"] if c.model.backbone in ("efficientnet_b0", "convnext_tiny") else []) %}
    for module in model.modules():
{%- if dropout_types | length == 1 %}
        if isinstance(module, nn.Dropout):
{%- else %}
        if isinstance(module, ({{ dropout_types | join(", ") }})):
{%- endif %}
            module.p = 0.0
    return model
