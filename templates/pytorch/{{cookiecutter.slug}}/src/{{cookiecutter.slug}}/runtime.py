{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Where and how training runs: seeds and random-generator state, the device, precision, speed settings, one process.

OneProcess is how a single process trains{{ "; distributed.py's DistributedProcesses extends it to several" if f.ddp else "" }}.
"""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils.data import Dataset, RandomSampler, Sampler

from .errors import ConfigError


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch (CPU and every GPU)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)  # NumPy takes 32-bit seeds only
    torch.manual_seed(seed)


def rng_state() -> dict[str, Any]:
    """Every random generator's state, in a form a checkpoint can hold (torch.load(weights_only=True))."""
    kind, keys, position, has_gauss, cached = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": (kind, keys.tolist(), position, has_gauss, cached),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore what rng_state() saved, so a resumed run draws the same numbers as an uninterrupted one."""
    random.setstate(state["python"])
    kind, keys, position, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.array(keys, dtype=np.uint32), position, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


def pick_device(name: str = "auto") -> torch.device:
    """training.device: auto takes CUDA, then Apple's MPS, then the CPU.
{%- if f.ddp %}

    Under torchrun each process takes the GPU of its LOCAL_RANK (one process per GPU of the node).
    """
{%- else %}"""
{%- endif %}
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
{%- if f.ddp %}
    if name == "cuda":
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
{%- endif %}
    return torch.device(name)


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype for training.precision on this device; None means plain fp32.

    auto: bf16 on GPUs that support it, else fp16 (with a gradient scaler); fp32 on CPU and MPS, where
    reduced precision is rarely faster.
    """
    if precision == "fp32":
        return None
    if device.type == "cuda":
        if precision == "auto":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.bfloat16 if precision == "bf16" else torch.float16
    if precision == "bf16" and device.type == "cpu":
        return torch.bfloat16
    return None  # auto, or fp16 without CUDA


def configure_backends(deterministic: bool) -> None:
    """training.deterministic: reproducible kernels (slower), else let cuDNN pick the fastest ones.

    cudnn.benchmark times the convolution algorithms for the first batch of each input shape and keeps the
    fastest; the batches here all have one shape, so that search happens once.
    """
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # cuBLAS needs it for deterministic matmuls
        torch.use_deterministic_algorithms(True, warn_only=True)  # warn, not fail, for ops without such a kernel
        torch.backends.cudnn.benchmark = False
    else:
        torch.backends.cudnn.benchmark = True


def use_channels_last(device: torch.device, dtype: torch.dtype | None) -> bool:
    """Whether to keep images and conv weights channels-last (NHWC): faster tensor-core convolutions under AMP."""
    return device.type == "cuda" and dtype is not None


class EpochShuffle(RandomSampler):
    """A new order every epoch that depends only on (seed, epoch): call set_epoch(epoch) before each epoch."""

    def __init__(self, dataset: Dataset, seed: int) -> None:
        super().__init__(dataset, generator=torch.Generator())
        self.seed = seed

    def set_epoch(self, epoch: int) -> None:
        self.generator.manual_seed(self.seed + epoch)


class OneProcess:
    """Training in one process: it takes every sample, shares nothing and writes every file.

    The methods are what differs between one process and several (engine.py, loaders.py and scripts/train.py
    call them); processes.py picks this project's class.
    """

    rank = 0
    world_size = 1
    process_key: tuple[int, ...] = ()  # what sets this process's random draws apart from the other processes'

    @property
    def is_main(self) -> bool:
        """True in the process that writes files, logs and progress bars."""
        return self.rank == 0

    def start(self, device: str) -> None:
        """Refuse to run as one of several torchrun processes: each would train its own copy of the model."""
        world_size = int(os.environ.get("WORLD_SIZE", "1"))
        if world_size > 1:
            raise ConfigError(
                f"started by torchrun as {world_size} processes, but this project was generated for one process "
                "(training.distributed: none), so they would all train separate copies. Start it with "
                "`python scripts/train.py`, or add DistributedDataParallel with: "
                "trainwizard update --set training.distributed=ddp"
            )

    def stop(self) -> None:
        """Called at the end, and after an error: one process has nothing to leave."""

    def wrap(self, net: nn.Module, device: torch.device) -> nn.Module:
        """The network for the training step: the network itself."""
        return net

    def train_sampler(self, dataset: Dataset, seed: int) -> Sampler[int]:
        """The training order: shuffled anew each epoch, from (seed, epoch)."""
        return EpochShuffle(dataset, seed)

    def eval_sampler(self, dataset: Dataset) -> Sampler[int] | None:
        """The evaluation order: None, every sample in order."""
        return None

    def broadcast(self, value: Any) -> Any:
        """The main process's value, in every process."""
        return value

    def sum_across(self, tensor: torch.Tensor) -> torch.Tensor:
        """`tensor` summed over the processes."""
        return tensor

    def share_buffers(self, net: nn.Module) -> None:
        """Before evaluating: the main process's BatchNorm statistics everywhere (here they are already)."""

    def gather_columns(self, columns: tuple[list[Any], ...]) -> tuple[list[Any], ...]:
        """Every process's result lists, joined list by list in process order."""
        return columns

    def checkpoint_rng(self, rng: dict[str, Any]) -> dict[str, Any]:
        """What a checkpoint holds besides this process's generator states ("rng"): nothing more."""
        return {}

    def restore_rng(self, state: dict[str, Any] | None, seed: int) -> None:
        """Continue the random streams a checkpoint saved; a new run keeps the ones seeded from training.seed."""
        if state is not None:
            set_rng_state(state["rng"])

    def announce(self, batch_size: int, unit: str) -> None:
        """Say how the processes share each optimizer step: nothing to say for one."""

    def barrier(self) -> None:
        """Wait until every process gets here."""
