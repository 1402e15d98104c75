{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Where and how training runs: seeds and random-generator state, the device, numeric precision and speed settings."""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np
import torch
{%- if not f.ddp %}

from .errors import ConfigError
{%- endif %}


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
{%- if not f.ddp %}


def refuse_torchrun() -> None:
    """Refuse to run as one of several torchrun processes: each would train its own copy of the model."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size > 1:
        raise ConfigError(
            f"started by torchrun as {world_size} processes, but this project was generated for one process "
            "(training.distributed: none), so they would all train separate copies. Start it with "
            "`python scripts/train.py`, or add DistributedDataParallel with: "
            "trainwizard update --set training.distributed=ddp"
        )
{%- endif %}
