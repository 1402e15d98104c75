{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Where training runs: speed settings, a restart-safe resume{% if not f.ddp %}, and a clear refusal of torchrun (one process only){% endif %}."""

from __future__ import annotations

import torch
from conftest import load_script, set_args

from {{ c.slug }}.runtime import configure_backends


def test_deterministic_turns_off_the_kernel_search() -> None:
    try:
        configure_backends(deterministic=True)
        assert not torch.backends.cudnn.benchmark and torch.are_deterministic_algorithms_enabled()
        configure_backends(deterministic=False)
        assert torch.backends.cudnn.benchmark
    finally:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.benchmark = False


def test_resume_auto_with_a_run_dir_starts_the_run_then_continues_it(overrides: list[str], tmp_path, capsys) -> None:
    """The command torchrun --max-restarts repeats after a failure: the same arguments, whatever happened."""
    command = [*set_args(overrides), "--run-dir", str(tmp_path / "run"), "--resume", "auto"]
    train = load_script("train")
    assert train.main([*command, "--stop-after", "1"]) == 0  # no last.pt yet: a new run
    assert "resuming" not in capsys.readouterr().out
    assert train.main(command) == 0
    assert "(finished epoch 1 of 2)" in capsys.readouterr().out
    assert (tmp_path / "run" / "report.json").is_file()
{%- if not f.ddp %}


def test_torchrun_is_refused_with_a_clear_message(overrides: list[str], monkeypatch, capsys) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    assert load_script("train").main(set_args(overrides)) == 2
    assert "generated for one process" in capsys.readouterr().err
{%- endif %}
