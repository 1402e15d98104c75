def norm_layer(channels: int) -> nn.Module:
    """BatchNorm: statistics over the batch; works best with batches above about 10."""
    return nn.BatchNorm2d(channels)