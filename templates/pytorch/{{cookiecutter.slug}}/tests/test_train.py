{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Training end to end on CPU: one epoch writes every artifact; checkpoints round-trip; resume continues exactly."""

from __future__ import annotations

import csv
import json

import torch
from conftest import load_script, set_args

from {{ c.slug }}.checkpoint import load_checkpoint, model_from_checkpoint
from {{ c.slug }}.engine import fit


def test_one_epoch_writes_checkpoints_metrics_plots_and_report(cfg: dict, tmp_path) -> None:
    cfg["training"]["epochs"] = 1
    report = fit(cfg, tmp_path / "run")
{%- if f.regression %}
    for name in ("last.pt", "best.pt", "metrics.csv", "curves.png", "report.json", "config.yaml"):
        assert (tmp_path / "run" / name).is_file(), name
    saved = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert saved["r2"] == report["r2"] and {"mae", "rmse", "r2", "target"} <= set(saved)
    with open(tmp_path / "run" / "metrics.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and {"train_loss", "val_loss", "val_mae", "val_rmse", "val_r2"} <= set(rows[0])
{%- elif f.multilabel %}
    for name in ("last.pt", "best.pt", "metrics.csv", "curves.png", "report.json", "config.yaml"):
        assert (tmp_path / "run" / name).is_file(), name
    saved = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert saved["macro_f1"] == report["macro_f1"] and "micro_f1" in saved and "at_threshold_0.5" in saved
    assert set(saved["per_label"]) == {"cat", "dog", "fox"}
    assert {"precision", "recall", "f1", "support", "threshold"} <= set(saved["per_label"]["cat"])
    with open(tmp_path / "run" / "metrics.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and {"train_loss", "val_loss", "val_macro_f1", "val_micro_f1"} <= set(rows[0])
{%- else %}
    for name in (
        "last.pt",
        "best.pt",
        "metrics.csv",
        "curves.png",
        "confusion_matrix.png",
        "report.json",
        "config.yaml",
    ):
        assert (tmp_path / "run" / name).is_file(), name
    saved = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert saved["macro_f1"] == report["macro_f1"]
    assert set(saved["per_class"]) == {"cat", "dog", "fox"}
    assert {"precision", "recall", "f1", "support"} <= set(saved["per_class"]["cat"])
    with open(tmp_path / "run" / "metrics.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and {"train_loss", "val_loss", "val_macro_f1"} <= set(rows[0])
{%- endif %}


def test_checkpoint_round_trip(trained_run) -> None:
    state = load_checkpoint(trained_run / "last.pt")
{%- if f.tabular %}
    assert {"model", "optimizer", "epoch", "rng", "config", {% if not f.regression %}"class_to_idx", {% endif %}"schema", "scaler"} <= set(state)
    model, schema = model_from_checkpoint(state)
{%- if not f.regression %}
    assert schema.classes == ["cat", "dog", "fox"]
{%- endif %}
    inputs = torch.randn(2, schema.dense_width + len(schema.embedding_sizes)).abs().round()  # valid category codes
    twin, _ = model_from_checkpoint(load_checkpoint(trained_run / "last.pt"))
    assert torch.equal(model.eval()(inputs), twin.eval()(inputs))
{%- else %}
    assert {"model", "optimizer", "epoch", "rng", "config", "class_to_idx", {% if f.multilabel %}"thresholds", {% endif %}"scaler"} <= set(state)
    model, classes = model_from_checkpoint(state)
    assert classes == ["cat", "dog", "fox"]
    images = torch.randn(2, 3, 32, 32)
    twin, _ = model_from_checkpoint(load_checkpoint(trained_run / "last.pt"))
    assert torch.equal(model.eval()(images), twin.eval()(images))
{%- endif %}


def test_stopped_and_resumed_run_ends_like_an_uninterrupted_one(cfg: dict, overrides: list[str], tmp_path) -> None:
    whole = fit(cfg, tmp_path / "whole")
    train = load_script("train")
    parts = tmp_path / "runs" / "parts"
    assert train.main([*set_args(overrides), "--run-dir", str(parts), "--stop-after", "1"]) == 0
    assert load_checkpoint(parts / "last.pt")["epoch"] == 1
    assert train.main([*set_args(overrides), "--resume", "auto"]) == 0
    resumed = json.loads((parts / "report.json").read_text(encoding="utf-8"))
    assert resumed == json.loads(json.dumps(whole))

    def without_time(run):
        return [{k: v for k, v in row.items() if k != "seconds"} for row in load_checkpoint(run / "last.pt")["history"]]

    assert without_time(parts) == without_time(tmp_path / "whole")
