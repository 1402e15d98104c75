"""A rendered multi-label project (CSV manifest, labels separated by ';') lints, passes its own tests, checks its
data, passes the capacity test, trains with per-label thresholds, evaluates, and predicts every label above
its threshold."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import TRACKING_TESTS, Project
from tests.e2e.tabular_fixtures import LABELS, make_multilabel_manifest, render_cli

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, e2e_env: dict[str, str]) -> Project:
    root = tmp_path_factory.mktemp("multilabel")
    make_multilabel_manifest(root / "data")
    answers = {
        "version": 1,
        "project": {"name": "E2E multi-label"},
        "task": "image-multilabel",
        "data": {"path": "data/tags.csv", "image_column": "file", "label_column": "tags", "image_size": 32},
        "model": {"source": "scratch"},
        "imbalance": {"strategy": "class-weights"},
        "training": {"batch_size": 8, "epochs": 3},
    }
    return render_cli(e2e_env, answers, root, root / "project")


def test_renders_multilabel_code_and_passes_the_linter(project: Project) -> None:
    src = next(project.path.glob("src/*/"))
    assert (src / "multilabel.py").is_file() and not (src / "tabular.py").exists()
    assert "BCEWithLogitsLoss(pos_weight=" in (src / "losses.py").read_text(encoding="utf-8")
    assert "plot_confusion_matrix" not in (src / "engine.py").read_text(encoding="utf-8")
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    for args in (["--no-cache"], ["--no-cache", "--isolated", "--select", "F,E9,B", "--target-version", "py310"]):
        proc = subprocess.run([ruff, "check", *args, str(project.path)], check=False, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-3000:]


def test_the_generated_tests_pass(project: Project) -> None:
    proc = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", f"--ignore={TRACKING_TESTS}")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


def test_checks_data_passes_the_capacity_test_trains_and_predicts(project: Project) -> None:
    cpu = ["--set", "data.num_workers=0"]
    check = project.run("scripts/check_data.py")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "labels separated by ';' in column 'tags'" in check.stdout and "40 images checked: 0 errors" in check.stdout

    capacity = project.run("scripts/capacity_test.py", *cpu)
    assert capacity.returncode == 0, capacity.stdout + capacity.stderr
    assert "expected ln 2 = 0.693 per label" in capacity.stdout and "VERDICT PASS" in capacity.stdout

    train = project.run("scripts/train.py", *cpu, "--run-dir", "runs/e2e")
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    run = project.path / "runs" / "e2e"
    with (run / "metrics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["epoch"] for row in rows] == ["1", "2", "3"] and "val_micro_f1" in rows[0]
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    assert sorted(report["per_label"]) == list(LABELS) and {"macro_f1", "micro_f1", "exact_match"} <= set(report)
    thresholds = torch.load(run / "best.pt", weights_only=True)["thresholds"]
    assert len(thresholds) == len(LABELS) and all(0 < t < 1 for t in thresholds)

    evaluate = project.run("scripts/evaluate.py", "--checkpoint", str(run / "best.pt"), *cpu)
    assert evaluate.returncode == 0, evaluate.stderr[-3000:]
    assert "micro F1" in evaluate.stdout

    images = sorted((project.path.parent / "data" / "pics").glob("set7_*.png"))[:2]  # every label present
    predict = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), *map(str, images))
    assert predict.returncode == 0, predict.stderr[-3000:]
    lines = predict.stdout.strip().splitlines()
    assert len(lines) == len(images)
    for line, image in zip(lines, images, strict=True):
        path, labels = line.split("\t")
        assert path == str(image)
        for item in ([] if labels == "-" else labels.split(", ")):
            name, score = item.split(" ")
            assert name in LABELS and float(score) >= thresholds[LABELS.index(name)]
    as_json = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), str(images[0]), "--json")
    assert as_json.returncode == 0 and set(json.loads(as_json.stdout)[0]["scores"]) == set(LABELS)
