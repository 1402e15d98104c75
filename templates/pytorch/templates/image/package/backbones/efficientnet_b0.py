# freeze: early-layers freezes these layers of `features` (the stem and the first three stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("0", "1", "2", "3")


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """EfficientNet-B0's stages (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.efficientnet_b0, cfg)
    return net.features, net.classifier[-1].in_features