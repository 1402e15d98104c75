{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""DataLoaders: how many worker processes, pinned memory, each training process's share of the data, per-epoch seeds."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info

from .data import Datasets
from .processes import Processes
from .runtime import seed_everything
{%- if f.sampler %}
from .samplers import build_sampler
{%- endif %}

MAX_WORKERS = 8  # more rarely helps one GPU, and each worker holds a copy of the dataset


def worker_count(setting: int | str, processes: int = 1) -> int:
    """data.num_workers: a number, or auto: the CPU cores this process may use, split among the processes, at most 8."""
    if setting != "auto":
        return int(setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(MAX_WORKERS, cores // processes)


def loader_options(workers: int, device: torch.device) -> dict[str, Any]:
    """DataLoader settings for speed: worker processes prepare the next batches while the model trains."""
    return {
        "num_workers": workers,
        "pin_memory": device.type == "cuda",  # page-locked batches: faster copies that overlap with compute
        "persistent_workers": workers > 0,  # keep the workers between epochs instead of starting new ones
    }


class EpochSeeded(Dataset):
    """The training dataset; each DataLoader worker reseeds its random generators when a new epoch starts.

    Workers live across epochs (persistent_workers), so their augmentations would otherwise depend on every
    earlier epoch. Reseeding from (seed, epoch, process key, worker) makes each epoch draw the same in a resumed
    run as in an uninterrupted one, and differently in every process. Without workers (num_workers 0),
    the transforms draw from the main process's generators, which checkpoints save and restore.
    """

    def __init__(self, dataset: Dataset, seed: int, process_key: tuple[int, ...] = ()) -> None:
        self.dataset = dataset
        self.seed = seed
        self.process_key = process_key  # Processes().process_key
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
            key = [self.seed, self.seeded_epoch, *self.process_key, worker.id]
            seed_everything(int(np.random.SeedSequence(key).generate_state(1)[0]))
        return self.dataset[index]


def build_loaders(cfg: dict[str, Any], data: Datasets, device: torch.device) -> tuple[DataLoader, DataLoader]:
    """Training batches (shuffled{% if f.sampler %} by the imbalance sampler{% endif %}) and validation batches, this process's share of each.

    Call start_epoch(train, epoch) before each epoch.
    """
    batch_size, seed, processes = cfg["training"]["batch_size"], cfg["training"]["seed"], Processes()
    options = loader_options(worker_count(cfg["data"]["num_workers"], processes.world_size), device)
{%- if f.sampler %}
    sampler = build_sampler(cfg, data.train.targets)
{%- else %}
    sampler = processes.train_sampler(data.train, seed)
{%- endif %}
    train = DataLoader(
        EpochSeeded(data.train, seed, processes.process_key),
        batch_size=batch_size,
        sampler=sampler,
        drop_last=len(sampler) > batch_size,  # no ragged last batch: BatchNorm dislikes tiny ones
        generator=torch.Generator(),  # worker seeds drawn from here leave the checkpointed global generator alone
        **options,
    )
    val_sampler = processes.eval_sampler(data.val)
    val = DataLoader(data.val, batch_size=batch_size, sampler=val_sampler, generator=torch.Generator(), **options)
    return train, val


def start_epoch(loader: DataLoader, epoch: int) -> None:
    """This epoch's order and augmentations depend only on (seed, epoch), so a resumed run continues exactly."""
    loader.sampler.set_epoch(epoch)
    loader.dataset.set_epoch(epoch)
