"""Template code runs only from a template the user named (--template) or trusted before, never from a project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import write_answers
from wizard.render.trust import trust_file

V1 = Path(__file__).resolve().parent / "fixtures" / "update_v1"


def hooked_template(folder: Path, marker: Path) -> Path:
    """The v1 fixture template plus a pre-generation hook that writes `marker` (the proof that it ran)."""
    shutil.copytree(V1, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "hooks").mkdir()
    (folder / "hooks" / "pre_gen_project.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n", encoding="utf-8"
    )
    return folder


def record_template(project: Path, label: str) -> None:
    """Point the project's meta.template at `label`, as a hand (or a hostile author) could."""
    record = project / ".trainwizard.yml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["meta"]["template"] = label
    record.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def carried(tmp_path: Path, run_cli) -> tuple[Path, Path, Path]:
    """A project that carries a template with a hook in .tpl/ and records `meta.template: .tpl`, like one
    cloned from someone else; returns (project, its template, the hook's marker file)."""
    project = tmp_path / "proj"
    answers = write_answers(tmp_path, "project: {name: Demo}\n")
    assert run_cli("new", project, "--answers", answers, "--no-input", "--template", V1).code == 0
    marker = tmp_path / "hook-ran"
    template = hooked_template(project / ".tpl", marker)
    record_template(project, ".tpl")
    return project, template, marker


def test_update_refuses_a_template_the_project_carries_and_runs_none_of_its_code(
    carried: tuple[Path, Path, Path], run_cli
) -> None:
    project, template, marker = carried
    before = files(project)

    result = run_cli("update", project, "--set", "training.batch_size=4")

    assert result.code == 2
    assert not marker.exists()
    assert files(project) == before
    assert f"--template {template}" in result.err and "inside this project" in result.err
    assert "Traceback" not in result.err


def test_update_runs_the_hooks_of_a_template_named_on_the_command_line_and_trusts_it(
    carried: tuple[Path, Path, Path], run_cli
) -> None:
    project, template, marker = carried

    named = run_cli("update", project, "--template", template)

    assert named.code == 0, named.err
    assert marker.read_text() == "ran"
    assert str(template) in trust_file().read_text(encoding="utf-8")
    assert not trust_file().resolve().is_relative_to(project.resolve())
    marker.unlink()
    again = run_cli("update", project, "--set", "training.batch_size=4")
    assert again.code == 0, again.err
    assert marker.exists()  # trusted: the recorded template renders without --template


def test_a_trusted_template_whose_files_changed_is_refused_until_named_again(
    carried: tuple[Path, Path, Path], run_cli
) -> None:
    project, template, marker = carried
    assert run_cli("update", project, "--template", template).code == 0
    marker.unlink()
    hook = template / "hooks" / "pre_gen_project.py"
    hook.write_text(hook.read_text() + "# changed by a git pull\n")

    result = run_cli("update", project, "--set", "training.batch_size=4")

    assert result.code == 2 and "changed" in result.err
    assert not marker.exists()


def test_a_relative_recorded_template_is_found_in_the_project_not_in_the_working_folder(
    carried: tuple[Path, Path, Path], tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, template, _ = carried
    elsewhere = tmp_path / "elsewhere"
    other_marker = tmp_path / "other-hook-ran"
    hooked_template(elsewhere / ".tpl", other_marker)
    monkeypatch.chdir(elsewhere)

    result = run_cli("update", project)

    assert result.code == 2 and str(template) in result.err
    assert not other_marker.exists()


def test_new_runs_the_hooks_of_the_template_it_is_given_and_update_may_render_it_again(
    tmp_path: Path, run_cli
) -> None:
    marker = tmp_path / "hook-ran"
    template = hooked_template(tmp_path / "team-template", marker)
    answers = write_answers(tmp_path, "project: {name: Demo}\n")
    project = tmp_path / "proj"

    assert run_cli("new", project, "--answers", answers, "--no-input", "--template", template).code == 0
    assert marker.exists()
    marker.unlink()
    result = run_cli("update", project, "--set", "training.batch_size=4")

    assert result.code == 0, result.err
    assert marker.exists()


def test_the_bundled_template_needs_no_trust(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project: {name: Demo}\n")
    project = tmp_path / "proj"
    assert run_cli("new", project, "--answers", answers, "--no-input").code == 0

    result = run_cli("update", project, "--set", "training.batch_size=4")

    assert result.code == 0, result.err
    assert not trust_file().exists()
