"""`trainwizard update`: hand edits survive, clashes get markers, nothing half-written, bad input refused."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import write_answers
from wizard import __version__
from wizard.update.pristine import BASELINE_FILE, unpack

V1 = Path(__file__).resolve().parent / "fixtures" / "update_v1"
ANSWERS = "project: {name: Demo}\ntraining: {batch_size: 32}\n"


def make_project(tmp_path: Path, run_cli, answers: str = ANSWERS, template: Path = V1) -> Path:
    """A project made by `new` from the v1 fixture template."""
    dest = tmp_path / "proj"
    result = run_cli(
        "new", dest, "--answers", write_answers(tmp_path, answers), "--no-input", "--template", template
    )
    assert result.code == 0, result.err
    return dest


def v2_template(tmp_path: Path) -> Path:
    """The fixture template, one version later: a file dropped, another added, lines and a binary changed."""
    v2 = tmp_path / "template_v2"
    shutil.copytree(V1, v2)
    package = v2 / "{{cookiecutter.slug}}"
    (package / "src" / "{{cookiecutter.slug}}" / "legacy.py").unlink()
    (package / "src" / "{{cookiecutter.slug}}" / "old_utils.py").unlink()
    train = package / "scripts" / "train.py"
    train.write_text(train.read_text().replace('"""Train the model:', '"""Train the model (template v2):'))
    (package / "scripts" / "evaluate.py").write_text('"""Evaluate: per-class precision, recall and F1."""\n')
    (package / "assets" / "weights.bin").write_bytes(b"BLOB\0v2\n")
    return v2


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root: file bytes, or None for a folder."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_records_version_template_and_a_pristine_copy(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    meta = yaml.safe_load((project / ".trainwizard.yml").read_text())["meta"]
    assert meta["trainwizard_version"] == __version__
    assert meta["template"] == str(V1)
    baseline = unpack((project / BASELINE_FILE).read_bytes())
    files = {k: v for k, v in tree(project).items() if v is not None and not k.startswith(".trainwizard/")}
    assert baseline.files == files
    assert baseline.modes["scripts/train.py"] == 0o644


def test_hand_edits_in_code_and_config_survive_an_answers_change(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    model, config = project / "src" / "demo" / "model.py", project / "config.yaml"
    edit(model, 'return f"{BACKBONE} with {NORMALIZATION}"', 'return f"my own description of {BACKBONE}"')
    model.write_text(model.read_text() + "\n\ndef my_helper():\n    return 42\n")
    edit(config, "  seed: 42\n", "  seed: 42\n  grad_clip: 1.0  # mine\n")

    result = run_cli(
        "update", project, "--set", "training.batch_size=4", "--set", "model.backbone=resnet18", "--no-input"
    )

    assert result.code == 0, result.out + result.err
    config_text, model_text = config.read_text(), model.read_text()
    assert "batch_size: 4\n" in config_text and 'backbone: "resnet18"' in config_text
    assert "grad_clip: 1.0  # mine" in config_text
    assert 'BACKBONE = "resnet18"' in model_text
    assert "my own description of {BACKBONE}" in model_text and "def my_helper():" in model_text
    assert "<<<<<<<" not in config_text + model_text
    assert "merged      config.yaml" in result.out and "merged      src/demo/model.py" in result.out
    assert "training.batch_size: 32 -> 4  (your change)" in result.out
    recorded = yaml.safe_load((project / ".trainwizard.yml").read_text())
    assert (
        recorded["training"]["batch_size"] == 4
        and recorded["meta"]["sources"]["training.batch_size"] == "answer"
    )
    # The new baseline is the new pristine render, so a second update has nothing to do.
    again = run_cli("update", project, "--no-input")
    assert again.code == 0 and "Already up to date" in again.out


def test_a_clash_on_the_same_line_gets_markers_and_exit_1(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    config = project / "config.yaml"
    edit(config, "batch_size: 32", "batch_size: 48  # tuned by hand")

    result = run_cli("update", project, "--set", "training.batch_size=4", "--no-input")

    assert result.code == 1
    text = config.read_text()
    assert (
        "<<<<<<< yours (project)\n  batch_size: 48  # tuned by hand\n=======\n  batch_size: 4\n"
        ">>>>>>> template (after update)\n"
    ) in text
    assert "conflicted  config.yaml" in result.out
    assert "Conflicts in 1 file(s): config.yaml" in result.out


def test_files_the_user_added_are_never_touched(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    (project / "notes.md").write_text("my notes")
    (project / "src" / "demo" / "extra.py").write_text("X = 1\n")
    (project / "runs" / "001").mkdir(parents=True)
    (project / "runs" / "001" / "last.pt").write_bytes(b"\0checkpoint")
    mine = {k: v for k, v in tree(project).items() if k.startswith(("notes", "runs", "src/demo/extra"))}

    result = run_cli("update", project, "--set", "training.epochs=3", "--template", v2_template(tmp_path))

    assert result.code == 0, result.err
    assert {k: v for k, v in tree(project).items() if k in mine} == mine
    assert "notes.md" not in result.out and "extra.py" not in result.out


def test_a_template_upgrade_merges_adds_and_drops_only_unedited_files(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    package = project / "src" / "demo"
    edit(package / "legacy.py", "return 1", "return 1  # I still use this")
    edit(project / "scripts" / "train.py", 'print("epoch", epoch)', 'print("epoch", epoch, "of", epochs)')

    result = run_cli("update", project, "--template", v2_template(tmp_path), "--no-input")

    assert result.code == 0, result.out + result.err
    assert not (package / "old_utils.py").exists()
    assert "removed     src/demo/old_utils.py" in result.out
    assert "# I still use this" in (package / "legacy.py").read_text()
    assert "kept        src/demo/legacy.py  (edited by you; the template no longer writes it)" in result.out
    train = (project / "scripts" / "train.py").read_text()
    assert "(template v2)" in train and 'print("epoch", epoch, "of", epochs)' in train
    assert "merged      scripts/train.py" in result.out
    assert (project / "scripts" / "evaluate.py").is_file() and "added       scripts/evaluate.py" in result.out
    assert (project / "assets" / "weights.bin").read_bytes() == b"BLOB\0v2\n"
    assert yaml.safe_load((project / ".trainwizard.yml").read_text())["meta"]["template"] == str(
        tmp_path / "template_v2"
    )


def test_a_binary_file_changed_on_both_sides_keeps_yours_as_a_conflict(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    (project / "assets" / "weights.bin").write_bytes(b"MINE\0")

    result = run_cli("update", project, "--template", v2_template(tmp_path), "--no-input")

    assert result.code == 1
    assert (project / "assets" / "weights.bin").read_bytes() == b"MINE\0"
    assert (
        "conflicted  assets/weights.bin  (binary file changed by you and by the template; yours is kept)"
        in result.out
    )


def test_a_deleted_file_stays_deleted_unless_asked(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    (project / "README.md").unlink()

    kept = run_cli("update", project, "--set", "project.description=Hello", "--no-input")
    assert kept.code == 0 and not (project / "README.md").exists()
    assert "kept        README.md  (deleted by you; stays deleted" in kept.out

    restored = run_cli("update", project, "--restore-deleted", "--no-input")
    assert restored.code == 0 and (project / "README.md").read_text() == "README for Demo\n"


def test_dry_run_prints_the_summary_and_a_diff_and_writes_nothing(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    edit(project / "config.yaml", "seed: 42", "seed: 7")
    edit(project / "src" / "demo" / "legacy.py", "return 1", "return 11")
    before = tree(project)
    stats = {p: os.stat(project / p).st_mtime_ns for p in before}

    result = run_cli(
        "update", project, "--set", "training.batch_size=4", "--template", v2_template(tmp_path), "--dry-run"
    )

    assert result.code == 0, result.err
    assert tree(project) == before
    assert {p: os.stat(project / p).st_mtime_ns for p in before} == stats
    assert "Would update" in result.out and "Dry run: nothing was written." in result.out
    assert "merged      config.yaml" in result.out
    assert "--- a/config.yaml\n+++ b/config.yaml\n" in result.out and "+  batch_size: 4\n" in result.out
    assert "--- a/src/demo/old_utils.py\n+++ /dev/null\n" in result.out
    assert "--- /dev/null\n+++ b/scripts/evaluate.py\n" in result.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml", "proj", "template_v2"]


@pytest.mark.parametrize("failure", ["disk-full", "ctrl-c"])
def test_an_interrupted_update_leaves_the_project_unchanged(
    failure: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, run_cli)
    edit(project / "config.yaml", "seed: 42", "seed: 7")
    (project / "README.md").unlink()
    before = tree(project)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src, dst, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the journal and two renames are done
            raise KeyboardInterrupt if failure == "ctrl-c" else OSError(28, "No space left on device")
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", flaky)
    result = run_cli(
        "update",
        project,
        "--set",
        "training.batch_size=4",
        "--template",
        v2_template(tmp_path),
        "--restore-deleted",
    )

    assert calls["n"] >= 4  # the failure hit after two files were already moved, and they were put back
    assert tree(project) == before
    if failure == "ctrl-c":
        assert result.code == 130
    else:
        assert result.code == 1 and "No space left on device" in result.err and "unchanged" in result.err
        assert "Traceback" not in result.err


def test_a_project_without_git_updates_fine(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path, run_cli)
    edit(project / "config.yaml", "epochs: 30", "epochs: 31")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))

    result = run_cli("update", project, "--set", "training.epochs=5", "--no-input")

    assert result.code == 1 and "<<<<<<< yours (project)" in (project / "config.yaml").read_text()
    assert "git lists them" not in result.out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_git_repository_conflicts_are_recorded_as_unmerged(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "project"], cwd=tmp_path, check=True)
    edit(project / "config.yaml", "epochs: 30", "epochs: 31")

    result = run_cli("update", project, "--set", "training.epochs=5", "--no-input")

    assert result.code == 1 and "git lists them as unmerged" in result.out
    unmerged = subprocess.run(
        ["git", "ls-files", "-u"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert sorted(line.split()[2] for line in unmerged.splitlines()) == ["1", "2", "3"]
    assert "proj/config.yaml" in unmerged


def test_an_unknown_set_key_exits_2_naming_it_and_writes_nothing(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    before = tree(project)
    result = run_cli("update", project, "--set", "training.batch_sze=4")
    assert result.code == 2 and "Traceback" not in result.err
    assert "training.batch_sze: unknown key; did you mean 'batch_size'?" in result.err
    assert tree(project) == before


@pytest.mark.parametrize(
    ("assignment", "phrase"),
    [
        ("training.batch_size=0", "training.batch_size: Input should be greater than or equal to 1"),
        ("normalization=batchnrom", "normalization: 'batchnrom' is not allowed"),
        ("meta.template=x", "--set meta.template: is written by trainwizard"),
        ("training.batch_size", "expected KEY=VALUE"),
        ("project.slug=other", "project.slug: 'demo' -> 'other' would rename the package folder"),
    ],
)
def test_bad_set_values_exit_2(assignment: str, phrase: str, tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    before = tree(project)
    result = run_cli("update", project, "--set", assignment)
    assert result.code == 2 and phrase in result.err, result.err
    assert tree(project) == before


def test_answers_that_no_longer_combine_exit_2_naming_the_key(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    before = tree(project)
    result = run_cli(
        "update", project, "--set", "model.source=scratch", "--set", "normalization=frozen-batchnorm"
    )
    assert result.code == 2 and "do not combine" in result.err
    assert "normalization: 'frozen-batchnorm' keeps pretrained statistics" in result.err
    assert tree(project) == before


def test_a_partial_answers_file_overrides_and_a_bad_one_names_file_and_line(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    good = write_answers(tmp_path, "training:\n  epochs: 7\n", name="changes.yml")
    result = run_cli("update", project, "--answers", good, "--no-input")
    assert result.code == 0, result.err
    assert "epochs: 7\n" in (project / "config.yaml").read_text()

    bad = write_answers(tmp_path, "training:\n  epochs: 7\n  optimiser: sgd\n", name="bad.yml")
    before = tree(project)
    refused = run_cli("update", project, "--answers", bad, "--no-input")
    assert refused.code == 2 and str(bad) in refused.err
    assert "line 3: training.optimiser: unknown key; did you mean 'optimizer'?" in refused.err
    assert tree(project) == before


def test_answers_edited_by_hand_in_the_project_are_applied(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    edit(project / ".trainwizard.yml", "  epochs: 30\n", "  epochs: 12\n")
    result = run_cli("update", project, "--no-input")
    assert result.code == 0, result.err
    assert "epochs: 12\n" in (project / "config.yaml").read_text()
    assert (
        yaml.safe_load((project / ".trainwizard.yml").read_text())["meta"]["sources"]["training.epochs"]
        == "answer"
    )


def test_a_folder_without_trainwizard_yml_exits_2(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("update", "--no-input")
    assert result.code == 2 and ".trainwizard.yml" in result.err and "trainwizard new" in result.err
    assert run_cli("update", tmp_path / "missing").code == 2


def test_a_project_without_baseline_exits_2_unless_base_from_answers(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    shutil.rmtree(project / ".trainwizard")
    edit(project / "scripts" / "train.py", "import sys", "import sys  # mine")
    before = tree(project)

    refused = run_cli("update", project, "--set", "training.epochs=5")
    assert refused.code == 2 and "--base-from-answers" in refused.err and tree(project) == before

    result = run_cli("update", project, "--set", "training.epochs=5", "--base-from-answers")
    assert result.code == 0, result.out + result.err
    train = (project / "scripts" / "train.py").read_text()
    assert "import sys  # mine" in train and "epochs = 5" in train
    assert (project / BASELINE_FILE).is_file()


def test_a_leftover_work_folder_from_a_killed_update_is_reported(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    (project / ".trainwizard-update-abc" / "backup").mkdir(parents=True)
    result = run_cli("update", project)
    assert result.code == 2 and ".trainwizard-update-abc" in result.err and "backup/" in result.err
