# freeze: early-layers freezes these layers of `features` (the timm model's entry flow): early layers detect
# generic edges and textures, the middle and exit flows adapt to this data.
EARLY_LAYERS = ("net.conv1", "net.bn1", "net.conv2", "net.bn2", "net.block1", "net.block2", "net.block3")


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
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


class TimmFeatures(nn.Module):
    """A timm model's feature maps (before its global pooling)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images):
        return self.net.forward_features(images)