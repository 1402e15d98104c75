"""The training sampler: it oversamples the rare classes, so that every class is drawn equally often."""
{% if f.ddp %}
import math
{%- endif %}
from collections import Counter
from collections.abc import Iterator, Sequence

import torch
{%- if f.ddp %}
import torch.distributed as dist
{%- endif %}
from torch.utils.data import Sampler, WeightedRandomSampler


class BalancedOversampler(WeightedRandomSampler):
    """Draws len(labels) indices with replacement, each class equally likely (weight 1 / class count).

    Rare samples repeat within an epoch and frequent ones are partly left out, differently each epoch.
    The draw of an epoch depends only on (seed, epoch): call `set_epoch(epoch)` before each epoch, as with
    DistributedSampler, so that a resumed run draws what the uninterrupted run would have drawn; without
    it, each pass draws the next epoch.
    """

    def __init__(self, labels: Sequence[int], seed: int) -> None:
        counts = Counter(labels)
        weights = [1.0 / counts[label] for label in labels]
        super().__init__(weights, num_samples=len(labels), replacement=True, generator=torch.Generator())
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Make the next pass draw the indices of `epoch`."""
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        self.generator.manual_seed(self.seed + self.epoch)
        self.epoch += 1
        return super().__iter__()