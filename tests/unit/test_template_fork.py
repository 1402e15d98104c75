"""`trainwizard new --template DIR`: a team's fork of the bundled template renders; a bad DIR is refused."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import write_answers
from wizard.render import default_template

TEAM_MD = (
    "# Team notes for {{ cookiecutter.project.name | mdtext }}\n\n"
    "Backbone: {{ cookiecutter.model.backbone }}.\n"
)
TEAM_LINE = "Maintained by the vision team: read TEAM.md before changing the training recipe."


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    """A copy of the bundled template with one file added and one line appended to the README template."""
    fork = tmp_path / "team-template"
    shutil.copytree(default_template(), fork, ignore=shutil.ignore_patterns("__pycache__"))
    project = fork / "{{cookiecutter.slug}}"
    (project / "TEAM.md").write_text(TEAM_MD, encoding="utf-8")
    readme = project / "README.md"
    text = readme.read_text(encoding="utf-8").rstrip("\n")
    readme.write_text(f"{text}\n\n{TEAM_LINE}\n", encoding="utf-8")
    return fork


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_answers(tmp_path, "project: {name: Leaf Disease}\nmodel: {source: scratch}\n")


def test_a_fork_renders_with_its_changes(fork: Path, answers: Path, tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "leaf"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", fork)
    assert result.code == 0, result.err
    team = (dest / "TEAM.md").read_text(encoding="utf-8")
    assert team == "# Team notes for Leaf Disease\n\nBackbone: simple-cnn.\n"
    assert (dest / "README.md").read_text(encoding="utf-8").rstrip().endswith(TEAM_LINE)
    assert (dest / "scripts" / "capacity_test.py").is_file() and (dest / "src" / "leaf_disease").is_dir()
    recorded = yaml.safe_load((dest / ".trainwizard.yml").read_text(encoding="utf-8"))
    assert recorded["meta"]["template"] == str(fork.resolve())  # what `trainwizard update` renders with


def test_a_fork_writes_the_bundled_files_plus_its_own(fork: Path, answers: Path, tmp_path: Path,
                                                      run_cli) -> None:
    def listed(*extra: str) -> set[str]:
        result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--dry-run", *extra)
        assert result.code == 0, result.err
        return {line.strip() for line in result.out.splitlines()[1:]}

    assert listed("--template", fork) == listed() | {"TEAM.md"}


def test_a_fork_that_uses_an_unknown_context_key_fails_cleanly(fork: Path, answers: Path, tmp_path: Path,
                                                               run_cli) -> None:
    team = fork / "{{cookiecutter.slug}}" / "TEAM.md"
    team.write_text("{{ cookiecutter.team.name }}\n", encoding="utf-8")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--template", fork)
    assert result.code == 1 and "team" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml", "team-template"]


BAD_TEMPLATES = {  # what the folder holds -> the message
    "missing-folder": (None, "no such folder"),
    "no-cookiecutter-json": ({"README.md": "just a folder"}, "has no cookiecutter.json"),
    "no-project-folder": ({"cookiecutter.json": "{}", "README.md": "x"}, "'{{cookiecutter.slug}}' folder"),
}


@pytest.mark.parametrize("case", sorted(BAD_TEMPLATES))
def test_a_bad_template_folder_exits_2_with_one_message(case: str, answers: Path, tmp_path: Path,
                                                        run_cli) -> None:
    files, message = BAD_TEMPLATES[case]
    template = tmp_path / "not-a-template"
    if files is not None:
        template.mkdir()
        for name, text in files.items():
            (template / name).write_text(text, encoding="utf-8")
    dest = tmp_path / "out"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", template)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("error: --template ")
    assert message in result.err
    assert not dest.exists()


def test_bytecode_in_the_template_is_not_copied(fork: Path, answers: Path, tmp_path: Path, run_cli) -> None:
    """An installed template holds `__pycache__` next to its plain .py files (pip compiles them): never rendered."""
    package = fork / "{{cookiecutter.slug}}" / "src" / "{{cookiecutter.slug}}"
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "errors.cpython-312.pyc").write_bytes(b"\x00bytecode")
    (package / "stray.pyc").write_bytes(b"\x00bytecode")
    dest = tmp_path / "leaf"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", fork)
    assert result.code == 0, result.err
    assert (dest / "src" / "leaf_disease" / "errors.py").is_file()
    assert not [p for p in dest.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
    with tarfile.open(dest / ".trainwizard" / "pristine.tar.gz") as archive:
        names = archive.getnames()
    assert "src/leaf_disease/errors.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
