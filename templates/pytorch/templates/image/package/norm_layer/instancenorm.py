def norm_layer(channels: int) -> nn.Module:
    """InstanceNorm: statistics over each channel of each image; for batches of one."""
    return nn.InstanceNorm2d(channels, affine=True)