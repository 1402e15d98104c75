"""DataLoaders: the worker count, and worker random draws that depend only on (seed, epoch, process)."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset

from {{ cookiecutter.slug }}.loaders import EpochSeeded, loader_options, worker_count


class Draws(Dataset):
    """Every item is a random number drawn in the process that loads it, like a random augmentation."""

    def __len__(self) -> int:
        return 8

    def __getitem__(self, index: int) -> torch.Tensor:
        return torch.rand(())


def epoch_draws(loader: DataLoader, epoch: int) -> torch.Tensor:
    loader.dataset.set_epoch(epoch)
    return torch.cat(list(loader))


def test_worker_count() -> None:
    assert worker_count(3) == 3 and worker_count(0) == 0
    assert 0 <= worker_count("auto") <= 8
    assert worker_count("auto", 2) <= worker_count("auto")  # the cores are shared among the processes


def test_persistent_workers_draw_in_a_resumed_run_what_they_draw_in_an_uninterrupted_one() -> None:
    options = loader_options(2, torch.device("cpu"))  # two persistent workers

    def loader(process_key: tuple[int, ...] = ()) -> DataLoader:
        return DataLoader(EpochSeeded(Draws(), seed=3, process_key=process_key), batch_size=2, **options)

    uninterrupted = loader()
    assert uninterrupted.persistent_workers
    first, second = epoch_draws(uninterrupted, 1), epoch_draws(uninterrupted, 2)
    assert not torch.equal(first, second)  # a new epoch, new draws
    assert torch.equal(epoch_draws(loader(), 2), second)  # fresh workers, as after a restart
    assert not torch.equal(epoch_draws(loader(process_key=(1,)), 2), second)  # another process draws differently
