"""`trainwizard update` touches only the files whose content changes: a no-op update changes no byte, no mtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.demo import write_demo


def files_with_times(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: its bytes and its modification time in nanoseconds."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def demo_project(tmp_path: Path, run_cli) -> Path:
    """A project made by `new` with the bundled template from the demo data (it names a backbone, so the data
    report of `new` has a model-size finding, which a scan that forgets the backbone loses)."""
    demo = write_demo(tmp_path / "demo")
    project = tmp_path / "proj"
    result = run_cli("new", project, "--answers", demo.dest / "answers.yml", "--no-input")
    assert result.code == 0, result.err
    return project


def test_a_no_op_update_right_after_new_changes_no_byte_and_no_mtime(tmp_path: Path, run_cli) -> None:
    project = demo_project(tmp_path, run_cli)
    before = files_with_times(project)

    result = run_cli("update", project)

    assert result.code == 0, result.err
    assert "Already up to date: nothing to write." in result.out
    assert files_with_times(project) == before


def test_an_update_rewrites_only_the_files_whose_content_changes(tmp_path: Path, run_cli) -> None:
    project = demo_project(tmp_path, run_cli)
    before = files_with_times(project)

    result = run_cli("update", project, "--set", "training.epochs=21")

    assert result.code == 0, result.err
    after = files_with_times(project)
    assert after.keys() == before.keys()
    touched = {rel for rel in after if after[rel] != before[rel]}
    assert touched == {".trainwizard.yml", ".trainwizard/pristine.tar.gz", "README.md", "config.yaml"}
    assert all(after[rel][0] != before[rel][0] for rel in touched)  # no file rewritten with the same bytes


@pytest.mark.parametrize(
    ("setting", "touched"),
    [("training.tracker=wandb", {"config.yaml", "pyproject.toml", "README.md"}),
     # the scan's model-size finding in the data report follows the backbone's parameter count
     ("model.backbone=timm/convnext_atto", {"config.yaml", "pyproject.toml", "README.md", "reports/data_report.md",
                                            "src/shapes_demo/config.py", "src/shapes_demo/model.py"})],
)
def test_a_new_answer_set_by_update_re_renders_byte_identical(setting: str, touched: set[str], tmp_path: Path,
                                                             run_cli) -> None:
    """An answer added after the first release changes only the files it is about, and rendering the recorded
    answers again (a no-op update) is byte-identical."""
    project = demo_project(tmp_path, run_cli)
    before = files_with_times(project)
    result = run_cli("update", project, "--set", setting)
    assert result.code == 0, result.err
    changed = files_with_times(project)
    assert {rel for rel in changed if changed[rel] != before.get(rel)} == touched | {
        ".trainwizard.yml", ".trainwizard/pristine.tar.gz"}

    again = run_cli("update", project)
    assert again.code == 0, again.err
    assert "Already up to date: nothing to write." in again.out
    assert files_with_times(project) == changed
