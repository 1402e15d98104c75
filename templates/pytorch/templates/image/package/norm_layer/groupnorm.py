def norm_layer(channels: int) -> nn.Module:
    """GroupNorm: statistics over groups of channels of each image; stable with small batches (2-10)."""
    return nn.GroupNorm(num_groups=8, num_channels=channels)