"""The path every generation takes, from the UI and from --no-input alike: scan, resolve, render."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.answers import Answers, explicit_keys
from wizard.errors import DataError
from wizard.knowledge import Resolution, resolve
from wizard.knowledge.texts import BASE_LANG, LANGS, catalogue
from wizard.render import RenderResult, render_project
from wizard.render.gate import CommitGate

if TYPE_CHECKING:
    from wizard.datacheck import DataReport


@dataclass
class Prepared:
    """Resolved answers plus the data report they were resolved against (None when no data was scanned)."""

    resolution: Resolution
    report: DataReport | None


def scan_request(answers: Answers, *, required: bool | None = None) -> dict[str, Any] | None:
    """The arguments of `datacheck.scan` for these answers, or None when there is nothing to scan (no data
    path given, or a missing one that may be filled later); a missing path the user gave is an error unless
    facts are recorded."""
    given = explicit_keys(answers)
    if "data.path" not in given or answers.meta.sources.get("data.path", "answer") != "answer":
        return None  # the default path is a placeholder inside the project-to-be
    path = Path(answers.data.path)
    if not path.exists():
        if required if required is not None else answers.meta.facts is None:
            raise DataError(
                f"data.path: {path} does not exist; point it at an ImageFolder root or a CSV file "
                "(relative paths are relative to the answers file)"
            )
        return None
    data = answers.data
    return {
        "path": str(path),
        "task": answers.task if "task" in given else None,  # left out: the scan detects it
        # Columns the user did not name are detected, not assumed to have the default names.
        "label_column": data.label_column if "data.label_column" in given else None,
        "image_column": data.image_column if "data.image_column" in given else None,
        "label_columns": data.label_columns or None,
        "backbone": answers.model.backbone if "model.backbone" in given else None,
    }


def scan_data(
    answers: Answers, *, progress: Callable[[int, int], None] | None = None, required: bool | None = None
) -> DataReport | None:
    """Scan `data.path` when it exists (see `scan_request`), in this process."""
    request = scan_request(answers, required=required)
    if request is None:
        return None
    from wizard.datacheck import scan

    return scan(**request, progress=progress)


def prepare(
    partial: Answers, *, lang: str | None = None, progress: Callable[[int, int], None] | None = None
) -> Prepared:
    """Scan the data (when present) and fill every key left out with the recommendation for the situation."""
    if lang:
        partial = partial.model_copy(update={"meta": partial.meta.model_copy(update={"lang": lang})})
    report = scan_data(partial, progress=progress)
    facts = report.facts() if report is not None else None
    return Prepared(resolve(partial, facts, lang=partial.meta.lang), report)


def generate(
    prepared: Prepared, dest: Path, *, force: bool = False, dry_run: bool = False, template: Path | None = None,
    gate: CommitGate | None = None,
) -> RenderResult:
    """Render the project (the one render call behind both the UI and --no-input), with the pristine archive
    `trainwizard update` merges from, written into the rendered files before they are moved into place."""
    from wizard.update.pristine import write_baseline

    report_md = ""
    if prepared.report is not None:
        from wizard.datacheck.report_text import render_markdown

        report_md = render_markdown(prepared.report)
    return render_project(
        prepared.resolution, dest, force=force, dry_run=dry_run, template=template, data_report_md=report_md,
        gate=gate, finish=lambda rendered: write_baseline(rendered, data_report_md=report_md),
    )


def next_commands(project_dir: Path, cwd: Path | None = None, lang: str = BASE_LANG) -> list[str]:
    """The commands a user runs after generation (install, capacity test, baseline, train), each at most 78
    columns wide with its comment, so that the exit summary fits an 80-column terminal."""
    cwd = cwd or Path.cwd()
    try:
        shown = project_dir.relative_to(cwd).as_posix()
    except ValueError:
        shown = str(project_dir)
    texts = catalogue(lang if lang in LANGS else BASE_LANG)["tui"]
    return [
        f"cd {shlex.quote(shown)} && pip install -e '.[test]'",
        f"python scripts/capacity_test.py  # {texts['next_capacity']}",
        f"python scripts/baseline.py       # {texts['next_baseline']}",
        "python scripts/train.py",
    ]
