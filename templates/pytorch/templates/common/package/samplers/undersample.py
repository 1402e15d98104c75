"""The training sampler: it undersamples the frequent classes, so that each epoch holds every class alike."""
{% if f.ddp %}
import math
{%- endif %}
from collections import defaultdict
from collections.abc import Iterator, Sequence

import torch
{%- if f.ddp %}
import torch.distributed as dist
{%- endif %}
from torch.utils.data import Sampler


class BalancedUndersampler(Sampler[int]):
    """Each epoch, the same number of indices from every class: the size of the smallest class.

    No index repeats within an epoch; each epoch takes a new subset of the larger classes in a new order, so
    over many epochs all the data is seen. The draw of an epoch depends only on (seed, epoch): call
    `set_epoch(epoch)` before each epoch, as with DistributedSampler, so that a resumed run draws what the
    uninterrupted run would have drawn; without it, each pass draws the next epoch.
    """

    def __init__(self, labels: Sequence[int], seed: int) -> None:
        if not labels:
            raise ValueError("cannot balance an empty dataset")
        by_class: dict[int, list[int]] = defaultdict(list)
        for index, label in enumerate(labels):
            by_class[label].append(index)
        self.indices_by_class = [torch.tensor(by_class[label]) for label in sorted(by_class)]
        self.per_class = min(len(indices) for indices in self.indices_by_class)
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Make the next pass draw the indices of `epoch`."""
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        self.epoch += 1
        chosen = []
        for indices in self.indices_by_class:
            keep = torch.randperm(len(indices), generator=generator)[: self.per_class]
            chosen.append(indices[keep])
        epoch_indices = torch.cat(chosen)
        return iter(epoch_indices[torch.randperm(len(epoch_indices), generator=generator)].tolist())

    def __len__(self) -> int:
        return self.per_class * len(self.indices_by_class)