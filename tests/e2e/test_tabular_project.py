"""Rendered tabular projects (classification and regression) lint, pass their own tests, check their data, pass
the capacity test, train, evaluate, and predict from CSV files, refusing a table with a missing column."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import TRACKING_TESTS, Project
from tests.e2e.tabular_fixtures import SPECIES, make_table, render_cli, write_csv

pytestmark = pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")

TASKS = ("tabular-classification", "tabular-regression")


@pytest.fixture(scope="module", params=TASKS)
def task(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def project(task: str, tmp_path_factory: pytest.TempPathFactory, e2e_env: dict[str, str]) -> Project:
    """A project rendered from a table of 120 rows (numbers with gaps, two category columns)."""
    root = tmp_path_factory.mktemp(task)
    make_table(root / "data" / "table.csv", regression=task == "tabular-regression")
    answers = {
        "version": 1,
        "project": {"name": f"E2E {task}"},
        "task": task,
        "data": {"path": "data/table.csv", "label_column": "price" if task == "tabular-regression" else "species"},
        "training": {"batch_size": 16, "epochs": 3},
    }
    return render_cli(e2e_env, answers, root, root / "project")


def test_renders_tabular_code_only_and_passes_the_linter(project: Project) -> None:
    src = next(project.path.glob("src/*/"))
    assert (src / "tabular.py").is_file() and not (src / "transforms.py").exists()
    assert "class TabularMLP" in (src / "model.py").read_text(encoding="utf-8")
    for path in [*project.path.glob("src/**/*.py"), *project.path.glob("scripts/*.py")]:
        assert "torchvision" not in path.read_text(encoding="utf-8"), path
    config = (project.path / "config.yaml").read_text(encoding="utf-8")
    assert "hidden_sizes:" in config and "image_size" not in config and "augmentation" not in config
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    for args in (["--no-cache"], ["--no-cache", "--isolated", "--select", "F,E9,B", "--target-version", "py310"]):
        proc = subprocess.run([ruff, "check", *args, str(project.path)], check=False, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-3000:]


def test_the_generated_tests_pass(project: Project) -> None:
    proc = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", f"--ignore={TRACKING_TESTS}")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


def test_checks_data_passes_the_capacity_test_trains_and_predicts(project: Project, task: str, tmp_path: Path) -> None:
    check = project.run("scripts/check_data.py")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "120 rows checked: 0 errors" in check.stdout

    capacity = project.run("scripts/capacity_test.py")
    assert capacity.returncode == 0, capacity.stdout + capacity.stderr
    assert "VERDICT PASS" in capacity.stdout and "[init]" in capacity.stdout

    baseline = project.run("scripts/baseline.py")
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr
    scores = json.loads((project.path / "reports" / "baseline.json").read_text(encoding="utf-8"))
    simple = ("mean", "ridge") if task == "tabular-regression" else ("majority", "logistic")
    assert set(scores["baselines"]) == {*simple, "gradient_boosting"} and scores["split"] == "val"
    constant, linear = (scores["baselines"][name][scores["main_metric"]] for name in simple)
    assert (linear < constant) if scores["main_metric"] in ("mae", "rmse") else (linear > constant)
    assert "HistGradientBoosting" in baseline.stdout and "best: " in baseline.stdout

    train = project.run("scripts/train.py", "--run-dir", "runs/e2e")
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    run = project.path / "runs" / "e2e"
    with (run / "metrics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["epoch"] for row in rows] == ["1", "2", "3"]
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    if task == "tabular-regression":
        assert {"mae", "rmse", "r2"} <= set(report) and "val_r2" in rows[0]
    else:
        assert sorted(report["per_class"]) == list(SPECIES) and (run / "confusion_matrix.png").is_file()

    evaluate = project.run("scripts/evaluate.py", "--checkpoint", str(run / "best.pt"))
    assert evaluate.returncode == 0, evaluate.stderr[-3000:]
    best = scores["baselines"][scores["best"]]["title"]
    assert f"baseline: {best} scores " in evaluate.stdout and "on the val split, the model " in evaluate.stdout
    comparison = json.loads((run / "eval_val.json").read_text(encoding="utf-8"))["baseline_comparison"]
    assert comparison["status"] == "compared" and comparison["winner"] in ("model", "baseline", "tie")

    new_rows = write_csv(tmp_path / "new.csv", [
        {"weight": "4.2", "height": "1.5", "colour": "green", "shop": "shop3"},
        {"weight": "", "height": "7", "colour": "purple", "shop": "a shop never seen"},  # a gap, unseen categories
    ])
    predict = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), str(new_rows))
    assert predict.returncode == 0, predict.stderr[-3000:]
    lines = predict.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "3"]  # one line per row: its line in the CSV
    for line in lines:
        if task == "tabular-regression":
            float(line.split("\t")[1])
        else:
            _, label, score = line.split("\t")
            assert label in SPECIES and 0 < float(score) <= 1
    as_json = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), str(new_rows), "--json")
    assert as_json.returncode == 0 and len(json.loads(as_json.stdout)) == 2

    # an ONNX export matches the model on 16 validation rows, and predicts as the checkpoint does
    export = project.run("scripts/export.py", "--checkpoint", str(run / "best.pt"), "--format", "onnx")
    assert export.returncode == 0, export.stdout + export.stderr[-3000:]
    check = json.loads((run / "best.onnx.json").read_text(encoding="utf-8"))["verification"]
    assert check["samples"] == 16 and check["passed"] and check["max_abs_diff"] <= 1e-4
    from_onnx = project.run("scripts/predict.py", "--checkpoint", str(run / "best.onnx"), str(new_rows), "--json")
    assert from_onnx.returncode == 0, from_onnx.stderr[-3000:]
    for mine, theirs in zip(json.loads(from_onnx.stdout), json.loads(as_json.stdout), strict=True):
        if task == "tabular-regression":
            assert mine["price"] == pytest.approx(theirs["price"], abs=1e-3)
        else:
            assert mine["label"] == theirs["label"] and mine["score"] == pytest.approx(theirs["score"], abs=1e-4)

    # the LR range test suggests a rate, draws it, leaves the model as it was; --apply edits one line of config.yaml
    config_before = (project.path / "config.yaml").read_text(encoding="utf-8")
    find_lr = project.run("scripts/find_lr.py", "--steps", "40", "--apply")
    assert find_lr.returncode == 0, find_lr.stdout + find_lr.stderr[-3000:]
    found = json.loads((project.path / "reports" / "find_lr.json").read_text(encoding="utf-8"))
    assert found["restored"] and found["rule"] == "minimum / 10" and 1e-7 <= found["suggestion"] <= 10
    assert found["suggestion"] == pytest.approx(found["minimum_lr"] / 10, rel=0.05)  # two significant digits
    assert (project.path / "reports" / "find_lr.png").read_bytes().startswith(b"\x89PNG")
    config_after = (project.path / "config.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(config_before.splitlines(), config_after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].strip() == f"lr: {found['suggestion']!r}", changed
    assert yaml.safe_load(config_after)["training"]["lr"] == found["suggestion"]

    # a table without one of the training columns: exit 2 and the column's name, no traceback
    incomplete = write_csv(tmp_path / "incomplete.csv", [{"weight": "1", "height": "2", "colour": "red"}])
    proc = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), str(incomplete))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "missing column(s) 'shop'" in proc.stderr and "Traceback" not in proc.stderr
