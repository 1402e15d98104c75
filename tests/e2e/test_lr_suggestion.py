"""The LR range test's suggestion is worth taking: on scikit-learn's wine table (real data, bundled offline), a
project rendered with the wizard's recommendations trains 3 epochs from its configured rate and 3 from the rate
scripts/find_lr.py suggests; the suggested run ends with the lower validation loss. (The same comparison on
digits and breast_cancer, with several seeds: scripts/lr_range_check.py.)"""

from __future__ import annotations

import csv
import json
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.e2e.conftest import Project
from tests.e2e.tabular_fixtures import render_cli, write_csv

pytestmark = pytest.mark.skipif(find_spec("torch") is None or find_spec("sklearn") is None,
                                reason="needs torch and scikit-learn")

EPOCHS = 3


def wine_csv(path: Path) -> Path:
    from sklearn.datasets import load_wine

    data = load_wine()
    rows = [{**{name: f"{value:g}" for name, value in zip(data.feature_names, features)},
             "cultivar": str(data.target_names[target])} for features, target in zip(data.data, data.target)]
    return write_csv(path, rows)


def train(project: Project, name: str, lr: float) -> list[dict[str, str]]:
    proc = project.run("scripts/train.py", "--run-dir", f"runs/{name}", "--set", f"training.lr={lr!r}",
                       "--set", f"training.epochs={EPOCHS}", "--set", "regularization.early_stopping.enabled=false")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    with open(project.path / "runs" / name / "metrics.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_three_epochs_from_the_suggested_rate_beat_three_from_the_configured_one(
    tmp_path: Path, e2e_env: dict[str, str]
) -> None:
    (tmp_path / "data").mkdir()
    wine_csv(tmp_path / "data" / "wine.csv")
    answers = {"version": 1, "project": {"name": "Wine"}, "task": "tabular-classification",
               "data": {"path": "data/wine.csv", "label_column": "cultivar"}}
    project = render_cli(e2e_env, answers, tmp_path, tmp_path / "project")
    found = project.run("scripts/find_lr.py")
    assert found.returncode == 0, found.stdout + found.stderr[-3000:]
    report = json.loads((project.path / "reports" / "find_lr.json").read_text(encoding="utf-8"))
    configured, suggested = report["configured_lr"], report["suggestion"]
    assert suggested != configured

    losses = {label: train(project, label, lr) for label, lr in (("configured", configured), ("suggested", suggested))}
    for label, rows in losses.items():  # shown with -s / on failure: both runs' losses, epoch by epoch
        print(f"{label} lr {configured if label == 'configured' else suggested:g}: train/val loss "
              + " ".join(f"{float(r['train_loss']):.3f}/{float(r['val_loss']):.3f}" for r in rows))
    assert [len(rows) for rows in losses.values()] == [EPOCHS, EPOCHS]
    final = {label: float(rows[-1]["val_loss"]) for label, rows in losses.items()}
    assert final["suggested"] < final["configured"], (configured, suggested, final)
