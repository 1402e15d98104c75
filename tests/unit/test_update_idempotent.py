"""`trainwizard update` touches only the files whose content changes: a no-op update changes no byte, no mtime."""

from __future__ import annotations

from pathlib import Path

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
