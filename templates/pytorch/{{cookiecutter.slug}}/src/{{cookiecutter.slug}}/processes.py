{%- set f = cookiecutter | flags -%}
"""Which processes train: the one place that picks this project's `Processes`.

engine.py, loaders.py and scripts/train.py ask it which samples to take, what to share and who writes:
{{ "DistributedProcesses (distributed.py): DistributedDataParallel under torchrun, rank 0 of a world of one without it." if f.ddp else "OneProcess (runtime.py): training.distributed is none." }}
"""
{% if f.ddp %}
from .distributed import DistributedProcesses as Processes
{%- else %}
from .runtime import OneProcess as Processes
{%- endif %}

__all__ = ["Processes"]
