# freeze: early-layers freezes these layers of `features` (the stem and the first two dense blocks): early
# layers detect generic edges and textures, the later ones adapt to this data.
EARLY_LAYERS = ("conv0", "norm0", "denseblock1", "transition1", "denseblock2", "transition2")


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """DenseNet-121's dense blocks (pretrained) and the number of channels they output."""
    net = _pretrained(torchvision.models.densenet121, cfg)
    # torchvision applies this ReLU in DenseNet.forward, after the last norm layer
    features = nn.Sequential(OrderedDict([*net.features.named_children(), ("relu", nn.ReLU(inplace=True))]))
    return features, net.classifier.in_features