"""Where the bundled cookiecutter templates live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import UsageError

DEFAULT_TEMPLATE = "pytorch"


def templates_root() -> Path:
    """The folder holding the bundled templates (wizard/_templates in a wheel, ./templates in a checkout)."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "_templates"
    if installed.is_dir():
        return installed
    return package_dir.parent / "templates"


def default_template() -> Path:
    """The bundled PyTorch project template."""
    return templates_root() / DEFAULT_TEMPLATE


def check_template(path: Path) -> Path:
    """A usable cookiecutter template folder, or a UsageError saying what one looks like."""
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise UsageError(f"--template {path}: no such folder; expected a cookiecutter template folder")
    if not (path / "cookiecutter.json").is_file():
        raise UsageError(
            f"--template {path}: has no cookiecutter.json; a template is a folder with cookiecutter.json "
            "and a '{{cookiecutter.slug}}' folder"
        )
    if not any(child.is_dir() and "cookiecutter" in child.name for child in path.iterdir()):
        raise UsageError(f"--template {path}: has no '{{{{cookiecutter.slug}}}}' folder to render")
    return path
