"""The update flow: check the project, resolve the changed answers, render base and new, plan the merge, apply.

Base = the pristine render recorded in .trainwizard/pristine.tar.gz at the last render; new = the changed
answers rendered with the current template; each file is merged three ways (plan.py), then applied all or
nothing (apply.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from wizard.answers import Answers, get_dotted, load_answers, set_dotted
from wizard.errors import UsageError
from wizard.knowledge import resolve
from wizard.render import render_tree
from wizard.render.provenance import ANSWERS_FILE, template_from_label
from wizard.render.templates import check_template
from wizard.render.trust import is_trusted, trust_file, trust_template
from wizard.safeyaml import load_yaml
from wizard.transaction import TXN_DIR, folder_lock, recover
from wizard.update.answers import (
    UpdatedAnswers,
    answered_keys,
    collect_overrides,
    hand_edited_keys,
    resolve_update,
)
from wizard.update.apply import apply_actions, leftover_work_dirs
from wizard.update.plan import FileAction, plan_update
from wizard.update.pristine import BASELINE_FILE, read_baseline, snapshot, write_baseline

if TYPE_CHECKING:
    from wizard.datacheck import DataReport

# The answers `workflow.scan_request` passes to the data scan (besides data.path).
_SCAN_SETTINGS = ("task", "data.label_column", "data.image_column", "data.label_columns", "model.backbone")

@dataclass
class UpdateResult:
    """What an update did (or, for a dry run, would do) to each file, and which answers changed."""

    project_dir: Path
    template: Path
    answers: UpdatedAnswers
    actions: list[FileAction] = field(default_factory=list)
    dry_run: bool = False
    base_from_answers: bool = False
    data_report: DataReport | None = None
    """The data scan this update ran (None: the data was not scanned)."""
    git_recorded: bool = False
    """Conflicted files were recorded as unmerged in the project's git index."""

    @property
    def conflicts(self) -> list[str]:
        return [a.path for a in self.actions if a.status == "conflicted"]

    @property
    def changed(self) -> list[FileAction]:
        return [a for a in self.actions if a.writes or a.deletes]


def update_project(
    project_dir: Path,
    *,
    answers_file: Path | None = None,
    assignments: Sequence[str] = (),
    dry_run: bool = False,
    template: Path | None = None,
    restore_deleted: bool = False,
    base_from_answers: bool = False,
) -> UpdateResult:
    """Update the project in `project_dir`; nothing is written on a dry run or when anything fails.

    A real update holds the project's lock from the first read to the last write (a second run is refused), and
    first finishes or rolls back a run that was killed there."""
    project_dir = project_dir.expanduser().absolute()
    options = {
        "answers_file": answers_file, "assignments": assignments, "dry_run": dry_run, "template": template,
        "restore_deleted": restore_deleted, "base_from_answers": base_from_answers,
    }
    if dry_run and (project_dir / TXN_DIR).exists():
        raise UsageError(
            f"{project_dir / TXN_DIR}: a trainwizard run is writing this project, or was killed while writing it; "
            "wait for it to finish, or run update without --dry-run, which first puts the project back as it was"
        )
    if dry_run or not project_dir.is_dir():
        return _update(project_dir, **options)
    with folder_lock(project_dir):
        recover(project_dir)
        return _update(project_dir, **options)


def _update(
    project_dir: Path,
    *,
    answers_file: Path | None,
    assignments: Sequence[str],
    dry_run: bool,
    template: Path | None,
    restore_deleted: bool,
    base_from_answers: bool,
) -> UpdateResult:
    answers_path = _check_project(project_dir)
    recorded = load_answers(answers_path)
    baseline = read_baseline(project_dir)
    if baseline is None and not base_from_answers:
        raise UsageError(
            f"{project_dir}: has no update baseline ({BASELINE_FILE}); the project was made before "
            "`trainwizard update` existed, or the file was deleted. Restore it from version control, or run "
            "again with --base-from-answers: the recorded answers rendered with the current template then "
            "stand for the original (your edits are kept; template changes since the project was made count "
            "as yours and are not applied)"
        )
    template_dir = _template_to_render(project_dir, template, recorded.meta.template)
    pristine_answers = baseline.files.get(ANSWERS_FILE) if baseline else None

    user_keys = answered_keys(recorded) | hand_edited_keys(
        answers_path.read_text(encoding="utf-8"), pristine_answers
    )
    overrides = collect_overrides(recorded, answers_file, assignments)
    report = _scan(project_dir, recorded, user_keys, overrides)
    facts = report.facts() if report is not None else recorded.meta.facts
    updated = resolve_update(recorded, user_keys, overrides, facts)
    _check_slug(updated.resolution.answers, _recorded_slug(recorded, pristine_answers))

    data_report_md = (
        _report_markdown(report) if report is not None else (baseline.data_report_md if baseline else "")
    )
    with tempfile.TemporaryDirectory(prefix="trainwizard-update-") as scratch:
        new_root = render_tree(
            updated.resolution,
            project_dir,
            Path(scratch) / "new",
            template=template_dir,
            data_report_md=data_report_md,
            finish=lambda rendered: write_baseline(rendered, data_report_md=data_report_md),
        )
        new = snapshot(new_root)
        new.files[BASELINE_FILE] = (new_root / BASELINE_FILE).read_bytes()
        if baseline is None:
            as_recorded = resolve(recorded, recorded.meta.facts, lang=recorded.meta.lang)
            baseline = snapshot(
                render_tree(as_recorded, project_dir, Path(scratch) / "base", template=template_dir)
            )

    actions = plan_update(project_dir, baseline, new, restore_deleted=restore_deleted)
    result = UpdateResult(
        project_dir,
        template_dir,
        updated,
        actions,
        dry_run=dry_run,
        base_from_answers=base_from_answers,
        data_report=report,
    )
    if not dry_run:
        apply_actions(project_dir, actions)
        if result.conflicts:
            from wizard.update.gitindex import record_unmerged

            result.git_recorded = record_unmerged(
                project_dir, [a for a in actions if a.status == "conflicted"]
            )
        if template is not None:
            trust_template(template_dir)  # named on the command line: later updates may render it again
    return result


def _template_to_render(project_dir: Path, named: Path | None, label: str) -> Path:
    """The template named with --template, or the recorded one if it is trusted.

    A recorded template comes from the project, which whoever handed it to you wrote; rendering it would run
    its code, so an untrusted one is refused with the command that trusts it (see wizard/render/trust.py).
    """
    if named is not None:
        return check_template(named)
    template = template_from_label(label, project_dir)
    if not is_trusted(template):
        where = "inside this project" if template.is_relative_to(project_dir.resolve()) else "recorded by this project"
        raise UsageError(
            f"{project_dir / ANSWERS_FILE}: meta.template names {template}, a template {where} that you have "
            "not trusted (or whose files changed since); rendering a template runs its code (hooks, extensions, "
            f"Jinja), so update renders only the bundled template, one you name, or one you trusted. Read it, then "
            f"run update with --template {template} to trust it (remembered in {trust_file()})"
        )
    return template


def _check_project(project_dir: Path) -> Path:
    if not project_dir.is_dir():
        raise UsageError(
            f"{project_dir}: no such folder; give the folder of a project made by `trainwizard new`"
        )
    answers_path = project_dir / ANSWERS_FILE
    if not answers_path.is_file():
        raise UsageError(
            f"{project_dir}: has no {ANSWERS_FILE}, so it is not a trainwizard project (or the file was "
            "deleted); run update inside a project made by `trainwizard new`, or give its folder"
        )
    leftovers = leftover_work_dirs(project_dir)
    if leftovers:
        raise UsageError(
            f"{leftovers[0]}: left by an update that was killed before it could clean up; its backup/ folder "
            "holds your files as they were before that update. Compare and restore what you need, delete the "
            "folder, then run update again"
        )
    return answers_path


def _scan(project_dir: Path, recorded: Answers, user_keys: set[str], overrides: dict) -> DataReport | None:
    """Scan the data again when its path is the user's and exists (a newly set path must exist).

    The scan is asked exactly what `new` asked it: only the scan settings that are the user's keys go in, the
    rest is detected again, so an update that changes nothing writes the same data report as `new` did.
    """
    if "data.path" not in user_keys and "data.path" not in overrides:
        return None
    from wizard.answers import validate_answers
    from wizard.workflow import scan_data

    path = str(project_dir / Path(overrides.get("data.path", recorded.data.path)).expanduser())
    request: dict = {"project": {"name": recorded.project.name}, "data": {"path": path}}
    record = recorded.model_dump(mode="json")
    for key in _SCAN_SETTINGS:
        if key in overrides:
            set_dotted(request, key, overrides[key])
        elif key in user_keys:
            set_dotted(request, key, get_dotted(record, key))
    return scan_data(validate_answers(request, partial=True), required="data.path" in overrides)


def _report_markdown(report: DataReport) -> str:
    from wizard.datacheck.report_text import render_markdown

    return render_markdown(report)


def _recorded_slug(recorded: Answers, pristine_answers: bytes | None) -> str:
    """The package name the last render used (a hand edit of project.slug in .trainwizard.yml is a change)."""
    if pristine_answers is not None:
        try:
            slug = (load_yaml(pristine_answers.decode("utf-8")) or {}).get("project", {}).get("slug")
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
            slug = None
        if isinstance(slug, str):
            return slug
    return recorded.slug


def _check_slug(answers: Answers, recorded_slug: str) -> None:
    if answers.slug != recorded_slug:
        raise UsageError(
            f"project.slug: {recorded_slug!r} -> {answers.slug!r} would rename the package folder, which "
            f"update does not do (your edits live in the old one); keep project.slug: {recorded_slug} in the "
            "answers, or "
            "create a new project with `trainwizard new` and move your code over"
        )
