"""`trainwizard demo`: the synthetic dataset, its planted problems, the answers file, the printed steps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from wizard.answers import load_answers
from wizard.demo import TRAIN_COUNTS, VAL_COUNTS, DemoResult, next_commands

PLANTED = {
    "class-imbalance": "star: 20",
    "corrupt-image": "train/circle/circle_007.png",
    "train-val-duplicates": "val/square/square_083.png = train/square/square_012.png",
    "val-label-not-in-train": "hexagon",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo written for the read-only tests of this module."""
    from wizard.demo import write_demo

    return write_demo(tmp_path_factory.mktemp("demo") / "trainwizard-demo").dest


def test_demo_writes_the_dataset_and_answers_and_prints_next_steps(tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "shapes"
    result = run_cli("demo", dest)
    assert result.code == 0, result.err
    assert sorted(p.name for p in dest.iterdir()) == ["answers.yml", "data"]
    assert sorted(p.name for p in (dest / "data" / "train").iterdir()) == sorted(TRAIN_COUNTS)
    assert sorted(p.name for p in (dest / "data" / "val").iterdir()) == sorted([*VAL_COUNTS, "hexagon"])
    images = sum(TRAIN_COUNTS.values()) + sum(VAL_COUNTS.values()) + 4
    assert len(list((dest / "data").rglob("*.png"))) == images
    with Image.open(dest / "data" / "train" / "star" / "star_000.png") as image:
        assert (image.format, image.size, image.mode) == ("PNG", (64, 64), "RGB")
    for phrase in ("Next:", "trainwizard check-data data", "trainwizard new --answers answers.yml",
                   "python scripts/capacity_test.py"):
        assert phrase in result.out
    assert "rm " not in result.out  # nothing to delete: the wizard leaves the unusable files out
    assert not list(tmp_path.glob(".trainwizard-demo-staging-*"))


def test_the_answers_file_points_at_the_data_with_a_relative_path(demo_dir: Path) -> None:
    text = (demo_dir / "answers.yml").read_text(encoding="utf-8")
    assert "path: data " in text
    answers = load_answers(demo_dir / "answers.yml", partial=True)
    assert answers.project.name == "Shapes Demo" and answers.slug == "shapes_demo"
    assert Path(answers.data.path).resolve() == (demo_dir / "data").resolve()
    model = answers.model
    assert (model.source, model.backbone, answers.data.image_size) == ("scratch", "simple-cnn", 64)


def test_two_runs_are_byte_identical(tmp_path: Path, demo_dir: Path, run_cli) -> None:
    assert run_cli("demo", tmp_path / "again").code == 0
    assert _tree(tmp_path / "again") == _tree(demo_dir)


def test_a_non_empty_destination_is_refused_and_nothing_is_written(tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me")
    result = run_cli("demo", dest)
    assert result.code == 2 and "--force" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_file_as_destination_is_refused(tmp_path: Path, run_cli) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli("demo", tmp_path / "file")
    assert result.code == 2 and "not a folder" in result.err


def test_force_replaces_the_data_and_answers_and_keeps_other_files(tmp_path: Path, demo_dir: Path,
                                                                   run_cli) -> None:
    dest = tmp_path / "demo"
    shutil.copytree(demo_dir, dest)
    shutil.rmtree(dest / "data" / "val" / "hexagon")  # as the walkthrough's fix does
    (dest / "answers.yml").write_text("edited")
    (dest / "shapes_demo").mkdir()
    (dest / "shapes_demo" / "README.md").write_text("a generated project")
    assert run_cli("demo", dest, "--force").code == 0
    assert (dest / "shapes_demo" / "README.md").read_text() == "a generated project"
    assert {k: v for k, v in _tree(dest).items() if not k.startswith("shapes_demo/")} == _tree(demo_dir)


def test_check_data_reports_each_planted_problem(demo_dir: Path, run_cli) -> None:
    result = run_cli("check-data", demo_dir / "data", "--json", "--workers", "1")
    assert result.code == 1
    checks = {c["id"]: c for c in json.loads(result.out)["checks"]}
    for check_id, example in PLANTED.items():
        assert check_id in checks, check_id
        examples = checks[check_id]["examples"]
        assert any(example in e for e in examples), (check_id, examples)
    assert {checks[i]["severity"] for i in ("corrupt-image", "val-label-not-in-train", "train-val-duplicates")} == {
        "error"}
    assert round(json.loads(result.out)["summary"]["imbalance_ratio"]) == 8


def test_the_printed_fix_leaves_no_errors(tmp_path: Path, demo_dir: Path, run_cli) -> None:
    dest = tmp_path / "demo"
    shutil.copytree(demo_dir, dest)
    for rel in ("data/train/circle/circle_007.png", "data/val/hexagon", "data/val/square/square_083.png"):
        path = dest / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    result = run_cli("check-data", dest / "data", "--json", "--workers", "1")
    assert result.code == 0, result.out
    checks = {c["id"] for c in json.loads(result.out)["checks"]}
    assert "class-imbalance" in checks and "train-val-duplicates" not in checks


def test_new_from_the_demo_answers_renders(demo_dir: Path, tmp_path: Path, run_cli) -> None:
    answers = demo_dir / "answers.yml"
    result = run_cli("new", tmp_path / "project", "--answers", answers, "--no-input", "--dry-run")
    assert result.code == 0, result.err
    assert "scripts/capacity_test.py" in result.out and "src/shapes_demo/data.py" in result.out
    assert "3 error(s)" in result.err  # the data report travels with the project
    assert not (tmp_path / "project").exists()


def test_next_commands_skip_cd_when_the_demo_is_the_current_folder(tmp_path: Path) -> None:
    result = DemoResult(dest=tmp_path, images=0)
    assert next_commands(result, cwd=tmp_path)[0].startswith("trainwizard check-data data")
    assert next_commands(result, cwd=tmp_path.parent)[0] == f"cd {tmp_path.name}"
    assert next_commands(DemoResult(dest=tmp_path / "a b", images=0), cwd=tmp_path)[0] == "cd 'a b'"


def test_an_empty_destination_and_missing_parents_are_fine(tmp_path: Path, run_cli) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("demo", tmp_path / "empty").code == 0
    assert run_cli("demo", tmp_path / "a" / "b").code == 0
    assert (tmp_path / "empty" / "answers.yml").is_file() and (tmp_path / "a" / "b" / "data" / "val").is_dir()


def test_the_current_folder_can_be_the_destination(tmp_path: Path, run_cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("demo", ".")
    assert result.code == 0, result.err
    assert Path.cwd() == tmp_path and sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml", "data"]
    assert "Next:\n  trainwizard check-data data" in result.out  # no cd: the demo is right here
