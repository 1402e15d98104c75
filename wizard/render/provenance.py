"""What a rendered project records about how it was made: the answers file, this version and the template."""

from __future__ import annotations

from pathlib import Path

from wizard import __version__
from wizard.errors import UsageError
from wizard.knowledge import Resolution
from wizard.render.templates import DEFAULT_TEMPLATE, check_template, default_template

ANSWERS_FILE = ".trainwizard.yml"


def template_label(template: Path) -> str:
    """How .trainwizard.yml names a template: 'pytorch' for the bundled one, else its absolute path."""
    template = template.resolve()
    return DEFAULT_TEMPLATE if template == default_template().resolve() else str(template)


def template_from_label(label: str, project_dir: Path) -> Path:
    """The template folder a recorded label names (a relative path is relative to the project folder, where
    the record lives, never to the working folder), or a UsageError saying how to point at it."""
    if not label or label == DEFAULT_TEMPLATE:
        return default_template()
    try:
        return check_template(project_dir / Path(label).expanduser())
    except UsageError:
        raise UsageError(
            f"the template that made this project ({label}) is no longer there; pass --template DIR"
        ) from None


def record_provenance(resolution: Resolution, template: Path) -> Resolution:
    """The same resolution, its meta naming this trainwizard version and the template used."""
    answers = resolution.answers
    meta = answers.meta.model_copy(
        update={"trainwizard_version": __version__, "template": template_label(template)}
    )
    return Resolution(answers=answers.model_copy(update={"meta": meta}), decisions=resolution.decisions)
