{%- set ddp = cookiecutter.training.distributed == "ddp" -%}
"""Where and how training runs: seeds and RNG state, the device, numeric precision{% if ddp %}, and DDP processes{% endif %}."""

from __future__ import annotations

{% if ddp -%}
import os
{% endif -%}
import random
from typing import Any

import numpy as np
import torch
{%- if ddp %}
import torch.distributed as dist
{%- endif %}


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch (CPU and every GPU)."""
    random.seed(seed)
    np.random.seed(seed)
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
    """training.device: auto takes CUDA, then Apple's MPS, then the CPU."""
{%- if ddp %}
    if is_distributed():  # under torchrun: this process's GPU (or the CPU with the gloo backend)
        return torch.device("cuda", int(os.environ["LOCAL_RANK"])) if torch.cuda.is_available() else torch.device("cpu")
{%- endif %}
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


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
{%- if ddp %}


def is_distributed() -> bool:
    """True in a process started by torchrun (WORLD_SIZE is set)."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def setup_distributed() -> int:
    """Join the torchrun process group (NCCL on GPUs, gloo on CPUs); returns this process's rank."""
    if not is_distributed():
        return 0
    if not dist.is_initialized():
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return dist.get_rank()


def cleanup_distributed() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()
{%- endif %}
