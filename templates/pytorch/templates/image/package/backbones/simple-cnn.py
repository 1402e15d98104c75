def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
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