{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""config.yaml and --set overrides: every key known, every value type-checked, clear errors."""

from __future__ import annotations

import argparse

import pytest
from conftest import ROOT, load_script, set_args
from torch import nn

from {{ c.slug }}.checkpoint import load_checkpoint
from {{ c.slug }}.config import ConfigError, add_config_arguments, load_config
from {{ c.slug }}.engine import build_optimizer, build_scheduler, fit


def test_the_shipped_config_loads() -> None:
    cfg = load_config(ROOT / "config.yaml")
    assert cfg["training"]["epochs"] >= 1
    assert cfg["data"]["path"]  # made absolute, relative to config.yaml


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("training.epochs=abc", "training.epochs must be an integer"),
        ("training.epochs=2.5", "training.epochs must be an integer"),
        ("training.lrr=0.1", "did you mean 'training.lr'"),
        ("training.batch_size=0", "allowed: >= 1"),
        ("training.lr=0", "allowed: > 0 and <= 10"),
        ("training.precision=fp64", "allowed: auto, fp32, bf16, fp16"),
        ("training.optimizer=rmsprop", "training.optimizer is 'rmsprop'; allowed: adamw, adam, sgd"),
        ("training.scheduler=linear", "training.scheduler is 'linear'; allowed: cosine, step, onecycle, none"),
        ("model.backbone=other", "trainwizard update"),
        ("training", "expected KEY=VALUE"),
    ],
)
def test_bad_overrides_are_clear_errors(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_config(ROOT / "config.yaml", [override])


@pytest.mark.parametrize("optimizer", ["adamw", "adam", "sgd"])
@pytest.mark.parametrize("scheduler", ["cosine", "step", "onecycle", "none"])
def test_the_config_chooses_the_optimizer_and_the_schedule(optimizer: str, scheduler: str) -> None:
    choice = [f"training.optimizer={optimizer}", f"training.scheduler={scheduler}", "training.epochs=2"]
    cfg = load_config(ROOT / "config.yaml", choice)
    opt = build_optimizer(cfg, nn.Linear(4, 2))
    assert type(opt).__name__.lower() == optimizer
    schedule = build_scheduler(cfg, opt, steps_per_epoch=5)
    lr, rates = cfg["training"]["lr"], []
    for _ in range(9):  # one step short of the run's 2 x 5
        opt.step()
        schedule.step()
        rates.append(opt.param_groups[0]["lr"])
    if scheduler == "none":
        assert rates == [lr] * 9
    else:
        assert rates[-1] < lr / 5  # every schedule ends far below lr


def test_early_stopping_and_the_l1_term_are_switched_in_the_config(overrides: list[str], tmp_path) -> None:
    """Early stopping on, with no change counting as an improvement: the run stops after patience (1) epoch."""
    stop = [f"regularization.early_stopping.{key}" for key in ("enabled=true", "patience=1", "min_delta=1e9")]
    cfg = load_config(ROOT / "config.yaml", [*overrides, *stop, "regularization.l1=1e-4", "training.epochs=3"])
    fit(cfg, tmp_path / "run")
    history = load_checkpoint(tmp_path / "run" / "last.pt")["history"]
    assert [row["epoch"] for row in history] == [1, 2]
    assert all(row["train_l1"] > 0 for row in history)
    header = (tmp_path / "run" / "metrics.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "train_l1" in header.split(",")


def test_a_resumed_run_keeps_its_optimizer(overrides: list[str], tmp_path) -> None:
    train = load_script("train")
    run = tmp_path / "runs" / "run"
    assert train.main([*set_args(overrides), "--run-dir", str(run), "--stop-after", "1"]) == 0
    other = "sgd" if load_checkpoint(run / "last.pt")["config"]["training"]["optimizer"] != "sgd" else "adam"
    assert train.main([*set_args([*overrides, f"training.optimizer={other}"]), "--resume", str(run)]) == 2


def test_every_script_takes_config_and_set_alike() -> None:
    parser = argparse.ArgumentParser()
    add_config_arguments(parser, "override a config value")
    args = parser.parse_args(["--set", "training.lr=0.1", "--set", "training.epochs=2"])
    assert args.config == ROOT / "config.yaml"
    assert args.overrides == ["training.lr=0.1", "training.epochs=2"]
    assert load_config(args.config, args.overrides)["training"]["epochs"] == 2
    parser = argparse.ArgumentParser()
    add_config_arguments(parser, "override a value of --config", config_help="another config than the checkpoint's")
    args = parser.parse_args([])
    assert args.config is None and args.overrides == []


def test_scripts_exit_2_on_a_bad_override(capsys: pytest.CaptureFixture[str], overrides: list[str]) -> None:
    code = load_script("train").main(set_args([*overrides, "training.epochs=many"]))
    assert code == 2
    assert "training.epochs must be an integer" in capsys.readouterr().err


def test_unknown_keys_in_the_file_are_errors(tmp_path) -> None:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8").replace("training:\n", "training:\n  epohcs: 3\n", 1)
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'training.epohcs'; did you mean 'training.epochs'"):
        load_config(tmp_path / "config.yaml")


{% include f.family ~ "/tests/test_config.py" %}