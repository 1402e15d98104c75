"""The template context: resolved answers (typed, as in the answers file) plus the README's decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import __version__
from wizard.answers import answers_to_dict, dump_answers_yaml
from wizard.knowledge import Decision, Resolution, source_label

EXTENSIONS = ["local_extensions.TrainwizardExtension"]
LISTED = 4  # list values longer than this are shortened in the README's headings


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if len(value) > LISTED:  # e.g. hundreds of excluded files: config.yaml has them all
            return ", ".join(str(v) for v in value[:LISTED - 1]) + f", … ({len(value)} in all)"
        return ", ".join(str(v) for v in value) if value else "(none)"
    return str(value)


def decision_rows(decisions: list[Decision], lang: str) -> list[dict[str, str]]:
    """The decisions as plain strings for the README's "Decisions" section."""
    return [
        {
            "key": d.key,
            "title": d.title,
            "value": _display(d.value),
            "recommended": _display(d.recommended),
            "source": source_label(d.source, lang),
            "reason": d.reason,
            "alternatives": d.alternatives,
            "warnings": list(d.warnings),
        }
        for d in decisions
        if d.reason
    ]


def build_context(resolution: Resolution, project_dir: Path, *, data_report_md: str = "") -> dict[str, Any]:
    """Everything the template sees under `cookiecutter`; paths are made relative to the project folder."""
    answers = resolution.answers
    lang = answers.meta.lang
    context = answers_to_dict(answers, relative_to=project_dir)
    context.pop("meta")
    context.pop("version")
    context["slug"] = answers.slug
    context["_decisions"] = decision_rows(resolution.decisions, lang)
    context["_answers_yaml"] = dump_answers_yaml(answers, relative_to=project_dir)
    context["_data_report_md"] = data_report_md
    context["_trainwizard_version"] = __version__
    context["_lang"] = lang
    context["_extensions"] = list(EXTENSIONS)
    return context
