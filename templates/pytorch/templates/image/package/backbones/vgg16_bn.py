# freeze: early-layers freezes these layers of `features` (the first three conv blocks): early layers detect
# generic edges and textures, blocks 4 and 5 adapt to this data.
EARLY_LAYERS = tuple(str(i) for i in range(24))


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """VGG-16's convolutional blocks (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.vgg16_bn, cfg)
    return net.features, 512