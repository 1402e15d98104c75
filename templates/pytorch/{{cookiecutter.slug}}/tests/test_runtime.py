{%- set ddp = cookiecutter.training.distributed == "ddp" -%}
"""Where training runs: the speed settings{% if not ddp %}, and a clear refusal of torchrun (this project trains in one process){% endif %}."""

from __future__ import annotations

import torch
{%- if not ddp %}
from conftest import load_script, set_args
{%- endif %}

from {{ cookiecutter.slug }}.runtime import configure_backends


def test_deterministic_turns_off_the_kernel_search() -> None:
    try:
        configure_backends(deterministic=True)
        assert not torch.backends.cudnn.benchmark and torch.are_deterministic_algorithms_enabled()
        configure_backends(deterministic=False)
        assert torch.backends.cudnn.benchmark
    finally:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.benchmark = False
{%- if not ddp %}


def test_torchrun_is_refused_with_a_clear_message(overrides: list[str], monkeypatch, capsys) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    assert load_script("train").main(set_args(overrides)) == 2
    assert "generated for one process" in capsys.readouterr().err
{%- endif %}
