"""Rendered image-classification projects work: they lint, their own tests pass, they train, resume and predict."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.e2e.conftest import CLASSES, DATA_PATHS, TRACKING_TESTS, VARIANTS, Project, sample_images

pytestmark = pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")

CPU = ["--set", "data.num_workers=0"]
# The generated project's own test suite runs for one variant per kind (the others train and predict).
OWN_TESTS = ("scratch-batchnorm", "resnet18-early-layers")  # class folders / CSV manifest


@pytest.fixture(scope="module", params=list(VARIANTS))
def project(request: pytest.FixtureRequest, variant) -> Project:
    return variant(request.param)


def ruff() -> str:
    return shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")


def test_renders_the_chosen_code_only_and_passes_the_linter(project: Project) -> None:
    for name in ("README.md", "config.yaml", ".trainwizard.yml", "pyproject.toml", "scripts/capacity_test.py",
                 "scripts/check_data.py", "scripts/baseline.py", "scripts/train.py", "scripts/evaluate.py",
                 "scripts/predict.py"):
        assert (project.path / name).is_file(), name
    model_code = next(project.path.glob("src/*/model.py")).read_text(encoding="utf-8")
    if project.pretrained:
        assert "torchvision.models.resnet18" in model_code and "resnet50" not in model_code
        assert "def conv_block" not in model_code
    else:
        assert "torchvision" not in model_code and "set_trainable" not in model_code
    for args in (["--no-cache"], ["--no-cache", "--isolated", "--select", "F,E9,B", "--target-version", "py310"]):
        proc = subprocess.run([ruff(), "check", *args, str(project.path)], check=False, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stdout[-3000:]


def test_trains_two_epochs_and_predicts_training_labels(project: Project, datasets: Path) -> None:
    name = project.path.name
    train = project.run("scripts/train.py", *CPU, "--run-dir", "runs/e2e")
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    assert "epoch 2/2" in train.stdout
    run = project.path / "runs" / "e2e"
    for artifact in ("best.pt", "last.pt", "metrics.csv", "curves.png", "report.json", "confusion_matrix.png"):
        assert (run / artifact).is_file(), artifact
    with (run / "metrics.csv").open(encoding="utf-8") as handle:
        assert [row["epoch"] for row in csv.DictReader(handle)] == ["1", "2"]
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    assert sorted(report["per_class"]) == sorted(CLASSES)

    counts = [line for line in train.stdout.splitlines() if line.startswith("parameters:")]
    if name == "resnet18-gradual":  # head only in epoch 1, everything from unfreeze_epoch 2
        assert len(counts) == 2 and ", 0 frozen" in counts[1] and ", 0 frozen" not in counts[0]
    elif name in ("resnet18-head-only", "resnet18-early-layers"):
        assert ", 0 frozen" not in counts[0]
    else:
        assert ", 0 frozen" in counts[0]

    images = sample_images(datasets, VARIANTS[name][0])
    predict = project.run("scripts/predict.py", "--checkpoint", str(run / "best.pt"), *map(str, images))
    assert predict.returncode == 0, predict.stderr[-3000:]
    lines = predict.stdout.strip().splitlines()
    assert len(lines) == len(images)
    for line, image in zip(lines, images, strict=True):
        path, label, score = line.split("\t")
        assert path == str(image) and label in CLASSES and 0.0 < float(score) <= 1.0

    if name == "scratch-instancenorm":  # evaluate once, on the CSV manifest's held-out rows
        evaluate = project.run("scripts/evaluate.py", "--checkpoint", str(run / "best.pt"))
        assert evaluate.returncode == 0, evaluate.stderr[-3000:]
        assert "precision  recall" in evaluate.stdout and "macro F1" in evaluate.stdout
        assert (run / "eval_val.json").is_file()
        assert "run `python scripts/baseline.py` to know what a simple model scores" in evaluate.stdout

        baseline = project.run("scripts/baseline.py", *CPU)
        assert baseline.returncode == 0, baseline.stdout + baseline.stderr
        scores = json.loads((project.path / "reports" / "baseline.json").read_text(encoding="utf-8"))
        assert set(scores["baselines"]) == {"majority", "linear"} and "pixels" in scores["features"]
        evaluate = project.run("scripts/evaluate.py", "--checkpoint", str(run / "best.pt"))
        assert evaluate.returncode == 0, evaluate.stderr[-3000:]
        assert "baseline: logistic regression on pixels scores " in evaluate.stdout
        comparison = json.loads((run / "eval_val.json").read_text(encoding="utf-8"))["baseline_comparison"]
        assert comparison["status"] == "compared" and comparison["baseline"] == scores["best"]


def test_the_baseline_probes_the_pretrained_backbone(variant) -> None:
    project = variant("resnet18-early-layers")  # planted "pretrained" weights in TORCH_HOME, CSV manifest
    proc = project.run("scripts/baseline.py", *CPU, "--out", "reports/probe")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    scores = json.loads((project.path / "reports" / "probe" / "baseline.json").read_text(encoding="utf-8"))
    assert "frozen pretrained resnet18" in scores["features"] and scores["baselines"]["linear"]["title"] == (
        "linear probe on the backbone")
    assert scores["sizes"]["train"] + scores["sizes"]["val"] == 33  # every image of the manifest


@pytest.mark.parametrize("name", OWN_TESTS)
def test_the_generated_tests_pass(name: str, variant) -> None:
    project = variant(name)
    proc = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", f"--ignore={TRACKING_TESTS}")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


def test_a_resumed_run_ends_like_an_uninterrupted_one(variant) -> None:
    project = variant("scratch-batchnorm")  # with DataLoader workers, as configured
    whole = project.run("scripts/train.py", "--run-dir", "runs/whole")
    assert whole.returncode == 0, whole.stderr[-3000:]
    first = project.run("scripts/train.py", "--run-dir", "runs/parts", "--stop-after", "1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "stopped after epoch 1" in first.stdout and not (project.path / "runs/parts/report.json").exists()
    second = project.run("scripts/train.py", "--resume", "runs/parts/last.pt")
    assert second.returncode == 0, second.stderr[-3000:]
    assert "resuming from runs/parts/last.pt (finished epoch 1 of 2)" in second.stdout

    def final(run: str) -> tuple[list[dict[str, str]], dict]:
        with (project.path / run / "metrics.csv").open(encoding="utf-8") as handle:
            rows = [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)]
        return rows, json.loads((project.path / run / "report.json").read_text(encoding="utf-8"))

    assert final("runs/parts") == final("runs/whole")


def test_predict_refuses_bad_checkpoints_without_a_traceback(variant, tmp_path: Path, datasets: Path) -> None:
    project = variant("scratch-groupnorm")
    image = str(sample_images(datasets, "single")[0])
    (tmp_path / "corrupt.pt").write_bytes(b"PK\x03\x04 not really a zip")
    for checkpoint, message in ((tmp_path / "missing.pt", "no such checkpoint file"),
                                (tmp_path / "corrupt.pt", "not a checkpoint")):
        proc = project.run("scripts/predict.py", "--checkpoint", str(checkpoint), image)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(("name", "images"), [("scratch-instancenorm", 33), ("scratch-layernorm", 33)])
def test_check_data(name: str, images: int, variant) -> None:
    proc = variant(name).run("scripts/check_data.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{images} images checked: 0 errors" in proc.stdout  # the hidden .ipynb_checkpoints image is skipped


def test_check_data_calls_a_training_image_copied_into_validation_an_error_until_left_out(
    variant, datasets: Path, tmp_path: Path
) -> None:
    data = shutil.copytree(datasets / DATA_PATHS["split"], tmp_path / "split")
    original = min(p for p in (data / "train").rglob("*.png") if ".ipynb_checkpoints" not in p.parts)
    copy = data / "val" / original.parent.name / "copy.png"
    shutil.copyfile(original, copy)
    project = variant("scratch-layernorm")
    leaked = project.run("scripts/check_data.py", "--set", f"data.path={data}")
    assert leaked.returncode == 1 and "1 images appear in training and in validation/test" in leaked.stdout, \
        leaked.stdout + leaked.stderr
    left_out = copy.relative_to(data).as_posix()
    settled = project.run("scripts/check_data.py", "--set", f"data.path={data}", "--set", f"data.exclude=[{left_out}]")
    assert settled.returncode == 0, settled.stdout + settled.stderr


def test_a_batch_too_small_for_batchnorm_is_named_without_a_traceback(variant) -> None:
    # ResNet-18's last stage is 1x1 at 32 pixels, so a batch of one gives BatchNorm a single value a channel
    project = variant("resnet18-none")
    proc = project.run("scripts/train.py", "--set", "training.batch_size=1", "--set", "training.epochs=1",
                       "--set", "model.weights=null", "--set", "data.num_workers=0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "training.batch_size: a batch of 1 is too small" in proc.stderr and "groupnorm" in proc.stderr
