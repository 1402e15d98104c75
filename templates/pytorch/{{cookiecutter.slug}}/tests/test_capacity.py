{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""The capacity test on tiny data: {% if not f.pretrained %}PASS when the model can memorise it, {% endif %}FAIL with lr 0, JSON and plot; its
[init] check raises no false alarm over 20 seeds and does raise one for planted bugs (huge initial weights,
and the task's own at the end)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import torch
from conftest import load_script, set_args
from torch import nn

SEEDS = range(20)  # the check must hold for any seed, not just the default one
CPU = torch.device("cpu")


def test_verdict_json_and_plot(overrides: list[str], tmp_path, capsys) -> None:
{%- if f.tabular %}
    # tiny MLP steps take milliseconds; the default budget (300) fits the subset comfortably
    code = load_script("capacity_test").main([*set_args(overrides), "--out", str(tmp_path)])
{%- else %}
    code = load_script("capacity_test").main([*set_args(overrides), "--steps", "60", "--out", str(tmp_path)])
{%- endif %}
    result = json.loads((tmp_path / "capacity_test.json").read_text(encoding="utf-8"))
{%- if f.pretrained %}
    assert code in (0, 1)  # random weights here (no download): the verdict itself is not the point
{%- else %}
    assert code == 0, capsys.readouterr().out
{%- endif %}
    assert result["verdict"] == ("PASS" if code == 0 else "FAIL")
    assert result["init"]["status"] == "OK", result["init"]
    assert (tmp_path / "capacity_test.png").stat().st_size > 0
    out = capsys.readouterr().out
    for stage in ("[data]", "[init]", "[fit]", "[zero]", "VERDICT"):
        assert stage in out


def test_a_learning_rate_too_small_to_learn_fails(overrides: list[str], tmp_path) -> None:
    args = [*set_args([*overrides, "training.lr=1e-12"]), "--steps", "30", "--out", str(tmp_path)]
    assert load_script("capacity_test").main(args) == 1
    assert json.loads((tmp_path / "capacity_test.json").read_text(encoding="utf-8"))["verdict"] == "FAIL"


# --- the [init] check, called directly: the subset and the model of each seed, as the script builds them ---


def initial_checks(
    capacity: ModuleType,
    cfg: dict[str, Any],
    seeds=SEEDS,
    targets: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> Iterator[dict[str, Any]]:
    """check_init's report for each seed (optionally with the targets altered first)."""
    for seed in seeds:
        seeded = {**cfg, "training": {**cfg["training"], "seed": seed}}
        subset = capacity.load_subset(seeded, None, seed, CPU)
        if targets is not None:
            subset = subset._replace(targets=targets(subset.targets))
        yield {"seed": seed, **capacity.initial_check(seeded, subset, seed, CPU)}


def plant(capacity: ModuleType, monkeypatch: pytest.MonkeyPatch, wrap: Callable[[nn.Module], nn.Module]) -> None:
    """Every model the capacity test builds from now on is wrap(the project's model)."""
    build = capacity.build_model
    monkeypatch.setattr(capacity, "build_model", lambda cfg, spec: wrap(build(cfg, spec)))


class Then(nn.Module):
    """The model, then a function of its outputs: the shape of a 'softmax in forward()' bug."""

    def __init__(self, model: nn.Module, after: Callable[[torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.model, self.after = model, after

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.after(self.model(x))


def huge_weights(model: nn.Module) -> nn.Module:
    """Every weight drawn from N(0, 10²): far beyond the 1/sqrt(fan_in) scale of a sane initialisation. (N(0, 1),
    the classic mistake, is caught too with the default hidden sizes, but is only about 4x too large for the
    16 units of the tiny test model.)"""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                nn.init.normal_(module.weight, std=10.0)
    return model


def alarms(reports: Iterator[dict[str, Any]]) -> dict[int, str]:
    return {
        r["seed"]: f"{r['status']}: loss {r['loss']:.3f}, shuffled {r['expected']:.3f}, "
        f"uninformed {r['uninformed']:.3f}; {r['why']}"
        for r in reports
        if r["status"] != "OK"
    }


def test_init_check_raises_no_false_alarm_over_20_seeds(cfg: dict[str, Any]) -> None:
    capacity = load_script("capacity_test")
    assert alarms(initial_checks(capacity, cfg)) == {}


def test_init_check_flags_huge_initial_weights(cfg: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    capacity = load_script("capacity_test")
    plant(capacity, monkeypatch, huge_weights)
    assert len(alarms(initial_checks(capacity, cfg, seeds=range(5)))) == 5


{% include f.kind ~ "/tests/test_capacity.py" %}