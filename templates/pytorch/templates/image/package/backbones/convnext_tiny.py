# freeze: early-layers freezes these layers of `features` (the stem and the first two stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("0", "1", "2", "3")


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """ConvNeXt-Tiny's stages (pretrained), its final LayerNorm, and the number of channels they output."""
    net = _pretrained(torchvision.models.convnext_tiny, cfg)
    features = nn.Sequential(*net.features, net.classifier[0])  # the LayerNorm normalizes each position
    return features, net.classifier[-1].in_features