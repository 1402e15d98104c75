def norm_layer(channels: int) -> nn.Module:
    """LayerNorm over (channels, height, width) of each image; independent of the batch size."""
    return nn.GroupNorm(num_groups=1, num_channels=channels)