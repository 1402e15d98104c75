{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""DataLoaders: how many worker processes, pinned memory, {% if f.ddp %}each process's share of the data, {% endif %}and per-epoch seeds."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, {% if f.ddp and not f.sampler %}DistributedSampler, {% endif %}{% if not f.ddp and not f.sampler %}RandomSampler, {% endif %}get_worker_info

from .data import Datasets
{%- if f.ddp %}
from .distributed import ShardSampler, rank, world_size
{%- endif %}
from .runtime import seed_everything
{%- if f.sampler %}
from .samplers import build_sampler
{%- endif %}

MAX_WORKERS = 8  # more rarely helps one GPU, and each worker holds a copy of the dataset


def worker_count(setting: int | str{% if f.ddp %}, processes: int = 1{% endif %}) -> int:
    """data.num_workers: a number, or auto: the CPU cores this process may use{% if f.ddp %}, split among the processes{% endif %}, at most 8."""
    if setting != "auto":
        return int(setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(MAX_WORKERS, cores{% if f.ddp %} // processes{% endif %})


def loader_options(workers: int, device: torch.device) -> dict[str, Any]:
    """DataLoader settings for speed: worker processes prepare the next batches while the model trains."""
    return {
        "num_workers": workers,
        "pin_memory": device.type == "cuda",  # page-locked batches: faster copies that overlap with compute
        "persistent_workers": workers > 0,  # keep the workers between epochs instead of starting new ones
    }


{% if not f.sampler and not f.ddp -%}
class EpochShuffle(RandomSampler):
    """A new order every epoch that depends only on (seed, epoch): call set_epoch(epoch) before each epoch."""

    def __init__(self, dataset: Dataset, seed: int) -> None:
        super().__init__(dataset, generator=torch.Generator())
        self.seed = seed

    def set_epoch(self, epoch: int) -> None:
        self.generator.manual_seed(self.seed + epoch)


{% endif -%}
class EpochSeeded(Dataset):
    """The training dataset; each DataLoader worker reseeds its random generators when a new epoch starts.

    Workers live across epochs (persistent_workers), so their augmentations would otherwise depend on every
    earlier epoch. Reseeding from (seed, epoch{% if f.ddp %}, rank{% endif %}, worker) makes each epoch draw the same in a resumed
    run as in an uninterrupted one{% if f.ddp %}, and differently in every process{% endif %}. Without workers (num_workers 0),
    the transforms draw from the main process's generators, which checkpoints save and restore.
    """

    def __init__(self, dataset: Dataset, seed: int{% if f.ddp %}, rank: int = 0{% endif %}) -> None:
        self.dataset = dataset
        self.seed = seed
{%- if f.ddp %}
        self.rank = rank
{%- endif %}
        self.epoch = multiprocessing.RawValue("q", 0)  # shared memory: workers see what the main process sets
        self.seeded_epoch = -1  # each worker process has its own copy of this

    def set_epoch(self, epoch: int) -> None:
        """Call before iterating over the epoch's batches."""
        self.epoch.value = epoch

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> Any:
        worker = get_worker_info()
        if worker is not None and self.seeded_epoch != self.epoch.value:
            self.seeded_epoch = self.epoch.value
            key = [self.seed, self.seeded_epoch, {% if f.ddp %}self.rank, {% endif %}worker.id]
            seed_everything(int(np.random.SeedSequence(key).generate_state(1)[0]))
        return self.dataset[index]


def build_loaders(cfg: dict[str, Any], data: Datasets, device: torch.device) -> tuple[DataLoader, DataLoader]:
    """Training batches (shuffled{% if f.sampler %} by the imbalance sampler{% endif %}) and validation batches{% if f.ddp %}, this process's share of each{% endif %}.

    Call start_epoch(train, epoch) before each epoch.
    """
    batch_size, seed = cfg["training"]["batch_size"], cfg["training"]["seed"]
    options = loader_options(worker_count(cfg["data"]["num_workers"]{% if f.ddp %}, world_size(){% endif %}), device)
{%- if f.sampler %}
    sampler = build_sampler(cfg, data.train.targets)
{%- elif f.ddp %}
    # each process shuffles the same way (seed + epoch) and takes every world_size-th sample of the order
    sampler = DistributedSampler(data.train, num_replicas=world_size(), rank=rank(), seed=seed)
{%- else %}
    sampler = EpochShuffle(data.train, seed)
{%- endif %}
    train = DataLoader(
        EpochSeeded(data.train, seed{% if f.ddp %}, rank(){% endif %}),
        batch_size=batch_size,
        sampler=sampler,
        drop_last=len(sampler) > batch_size,  # no ragged last batch: BatchNorm dislikes tiny ones
        generator=torch.Generator(),  # worker seeds drawn from here leave the checkpointed global generator alone
        **options,
    )
{%- if f.ddp %}
    val = DataLoader(
        data.val, batch_size=batch_size, sampler=ShardSampler(len(data.val)), generator=torch.Generator(), **options
    )
{%- else %}
    val = DataLoader(data.val, batch_size=batch_size, generator=torch.Generator(), **options)
{%- endif %}
    return train, val


def start_epoch(loader: DataLoader, epoch: int) -> None:
    """This epoch's order and augmentations depend only on (seed, epoch), so a resumed run continues exactly."""
    loader.sampler.set_epoch(epoch)
    loader.dataset.set_epoch(epoch)
