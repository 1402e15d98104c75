# freeze: early-layers freezes these layers of `features` (the stem and the first two stages): early layers
# detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("conv1", "bn1", "layer1", "layer2")


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """{{ titles[c.model.backbone] }}'s convolutional stages (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.{{ c.model.backbone }}, cfg)
    features = nn.Sequential(OrderedDict(list(net.named_children())[:-2]))  # without avgpool and fc
    return features, net.fc.in_features