"""Randomized matrix: 200 valid answer combinations render, compile and lint; invalid ones are refused clearly."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.e2e.matrix import combinations
from tests.e2e.tabular_fixtures import make_table
from wizard.answers import TABULAR_TASKS
from wizard.render import render_project

SEED, COUNT = 20261129, 200


@pytest.fixture(scope="module")
def matrix():
    return combinations(SEED, COUNT)


@pytest.fixture(scope="module")
def rendered(matrix, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("matrix")
    projects = []
    for index, resolution in enumerate(matrix[0]):
        projects.append(render_project(resolution, root / f"p{index:03d}").dest)
    return projects


def test_the_matrix_spans_the_options(matrix) -> None:
    valid, _ = matrix
    seen = {
        "backbone": {r.answers.model.backbone for r in valid},
        "freeze": {r.answers.model.freeze for r in valid},
        "normalization": {r.answers.normalization for r in valid},
        "imbalance": {r.answers.imbalance.strategy for r in valid},
        "scheduler": {r.answers.training.scheduler for r in valid},
        "optimizer": {r.answers.training.optimizer for r in valid},
    }
    assert len(seen["backbone"]) >= 8 and len(seen["normalization"]) == 6 and len(seen["imbalance"]) == 5
    assert len(seen["freeze"]) == 4 and len(seen["scheduler"]) == 4 and len(seen["optimizer"]) == 3
    assert {r.answers.training.tracker for r in valid} == {"none", "tensorboard", "mlflow", "wandb"}
    assert any(r.answers.model.multiscale_pooling for r in valid)
    assert any(r.answers.regularization.dropconnect > 0 for r in valid)
    assert any(r.answers.regularization.spatial_dropout > 0 for r in valid)
    images = [r.answers for r in valid if r.answers.task not in TABULAR_TASKS]
    assert len({a.data.domain for a in images}) == 7 and {a.data.mirror_keeps_label for a in images} == {True, False}
    assert any("rotate90" in a.regularization.augmentation for a in images)
    assert any(a.meta.facts is not None and a.model.source == "scratch" for a in images)
    tables = [r.answers for r in valid if r.answers.task in TABULAR_TASKS]
    assert len({tuple(a.model.hidden_sizes) for a in tables}) >= 3
    timm = {(a.model.backbone, a.model.source) for a in images if a.model.backbone.startswith("timm/")}
    assert {("timm/resnet18.a1_in1k", "pretrained"), ("timm/efficientnet_b0", "pretrained"),
            ("timm/convnext_atto", "scratch")} <= timm  # a tag, timm's default weights, random weights


def test_normalization_statistics_follow_the_weights(matrix, rendered: list[Path]) -> None:
    """config.yaml normalizes with ImageNet's statistics for pretrained weights (a timm backbone's: those its
    weights were trained with, from the shipped list), the scan's for scratch."""
    import yaml

    from wizard import timm_models

    checked = set()
    for resolution, project in zip(matrix[0], rendered):
        answers = resolution.answers
        if answers.task in TABULAR_TASKS:
            continue
        data = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))["data"]
        facts = answers.meta.facts
        own = answers.model.source == "scratch" and facts is not None
        expected = facts.pixel_mean if own else [0.485, 0.456, 0.406]
        if answers.model.source == "pretrained" and timm_models.is_timm(answers.model.backbone):
            expected = timm_models.weights_stats(answers.model.backbone)[0]
        assert data["mean"] == expected, answers.model.backbone
        checked.add(own)
    assert checked == {True, False}


def test_the_chosen_tracker_is_configured_and_installed_with_the_project(matrix, rendered: list[Path]) -> None:
    """config.yaml names the answer's tracker and the project depends on its package; every tracker stays an extra."""
    import tomllib
    import yaml

    for resolution, project in zip(matrix[0], rendered):
        tracker = resolution.answers.training.tracker
        config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
        assert config["training"]["tracker"] == tracker
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        packages = {requirement.split(">")[0] for requirement in pyproject["dependencies"]}
        assert {"tensorboard", "mlflow", "wandb"} & packages == ({tracker} - {"none"})
        assert set(pyproject["optional-dependencies"]) >= {"tensorboard", "mlflow", "wandb"}


def test_invalid_combinations_are_refused_with_a_clear_message(matrix) -> None:
    _, rejected = matrix
    assert rejected
    for _, error in rejected:
        assert error.problems, error
        for key, message in error.problems:
            assert "allowed" in message, (key, message)


def test_every_combination_renders_and_compiles(rendered: list[Path]) -> None:
    assert len(rendered) == COUNT
    for project in rendered:
        for source in project.rglob("*.py"):
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # an invalid escape from free text is a bug too
                compile(source.read_text(encoding="utf-8"), str(source), "exec")


def test_every_combination_passes_the_linter(rendered: list[Path]) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run(
        [ruff, "check", "--no-cache", "--isolated", "--select", "F,E9,B", "--target-version", "py310",
         *map(str, rendered)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_every_combination_passes_its_own_ruff_configuration(rendered: list[Path]) -> None:
    """`ruff check` as the generated pyproject.toml configures it (line length, target version, first-party
    package): run from above the projects, ruff reads each file's nearest pyproject.toml. E3 (blank lines
    around top-level definitions) is a preview rule; --preview makes it count."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    root = rendered[0].parent
    settings = subprocess.run([ruff, "check", "--show-settings", str(rendered[0] / "scripts" / "train.py")],
                              cwd=root, capture_output=True, text=True, check=True).stdout
    assert str(rendered[0] / "pyproject.toml") in settings and "linter.line_length = 120" in settings
    proc = subprocess.run(
        [ruff, "check", "--no-cache", "--preview", "--select", "E,W,F,I,B,UP", "--output-format", "concise",
         *(p.name for p in rendered)],
        cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_every_combination_is_ruff_formatted(rendered: list[Path]) -> None:
    """`ruff format --check` with each project's own configuration (its pyproject.toml: line length 120) finds
    nothing to change: every Jinja branch of the template renders as ruff format writes it."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    root = rendered[0].parent
    settings = subprocess.run([ruff, "check", "--show-settings", str(rendered[0] / "scripts" / "train.py")],
                              cwd=root, capture_output=True, text=True, check=True).stdout
    assert str(rendered[0] / "pyproject.toml") in settings and "formatter.line_width = 120" in settings
    proc = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "--output-format", "concise", *(p.name for p in rendered)],
        cwd=root, capture_output=True, text=True, check=False)
    unformatted = sorted(line.split(":", 1)[0] for line in proc.stdout.splitlines() if "unformatted" in line)
    assert proc.returncode == 0 and not unformatted, "\n".join(unformatted[:40]) or proc.stderr[-4000:]


TRAIN_SAMPLE = 12


def test_a_seeded_sample_trains_one_epoch(matrix, rendered: list[Path], datasets: Path, e2e_env,
                                          tmp_path: Path) -> None:
    """12 of the combinations, chosen by seed, train one epoch on tiny data exactly as rendered.

    Pretrained backbones run the same loading code with weights disabled (`model.weights=null`), since
    tests never download; xception needs timm, which the test environment does not install.
    """
    import random

    candidates = [i for i, r in enumerate(matrix[0]) if r.answers.model.backbone != "xception"]
    chosen = random.Random(SEED).sample(candidates, TRAIN_SAMPLE)
    for index in chosen:
        answers, project = matrix[0][index].answers, rendered[index]
        image = ["data.image_size=32", "training.epochs=1", "data.num_workers=0"]
        if answers.task in TABULAR_TASKS:  # a table of numbers and categories whose target fits the task
            regression = answers.task == "tabular-regression"
            table = make_table(tmp_path / f"{answers.task}.csv", rows=60, regression=regression)
            overrides = ["training.epochs=1", f"data.path={table}",
                         f"data.label_column={'price' if regression else 'species'}"]
        elif answers.data.layout == "csv" or answers.task == "image-multilabel":  # one label a row: multi-label too
            overrides = [*image, f"data.path={datasets / 'csv' / 'manifest.csv'}", "data.image_column=file",
                         "data.label_column=species"]
        else:
            overrides = [*image, f"data.path={datasets / 'split'}"]
        if answers.model.source == "pretrained":
            overrides.append("model.weights=null")
        args = [arg for o in overrides for arg in ("--set", o)]
        proc = subprocess.run(
            [sys.executable, "scripts/train.py", *args], cwd=project, env=e2e_env, capture_output=True, text=True,
            timeout=600, check=False)
        summary = f"{answers.model.backbone}/{answers.normalization}/{answers.imbalance.strategy}"
        assert proc.returncode == 0, f"{summary}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
