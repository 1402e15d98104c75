"""Transactional rendering: cookiecutter's file generator into a staging folder, then moved into place."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import DestinationError, RenderError
from wizard.knowledge import Resolution
from wizard.render.baseline import record_provenance, write_baseline
from wizard.render.context import build_context
from wizard.render.gate import CommitGate
from wizard.render.templates import check_template, default_template

STAGING_PREFIX = ".trainwizard-staging-"


@dataclass
class RenderResult:
    """What a render wrote (or, for a dry run, would write)."""

    dest: Path
    files: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    dry_run: bool = False


def render_project(
    resolution: Resolution,
    dest: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    template: Path | None = None,
    data_report_md: str = "",
    gate: CommitGate | None = None,
) -> RenderResult:
    """Render the project for `resolution` into `dest`; on any error or interrupt `dest` is left as it was.
    `gate` lets another thread cancel the render until its files are moved into place."""
    dest = dest.expanduser().absolute()
    template = check_template(template) if template else default_template()
    _check_destination(dest, force=force)

    if dry_run:
        with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX) as scratch:
            rendered = render_tree(resolution, dest, Path(scratch), template=template,
                                   data_report_md=data_report_md)
            files = _tree(rendered)
        existing = [f for f in files if (dest / f).exists()]
        return RenderResult(dest, files, existing, dry_run=True)

    created_parents = _make_parents(dest.parent)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dest.parent))
    gate = gate or CommitGate()
    try:
        gate.check()
        rendered = render_tree(resolution, dest, staging, template=template, data_report_md=data_report_md)
        files = _tree(rendered)
        with gate.commit():
            overwritten = _move_into_place(rendered, dest, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in created_parents:
            shutil.rmtree(parent, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(dest, files, overwritten)


def render_tree(
    resolution: Resolution, project_dir: Path, output_dir: Path, *, template: Path, data_report_md: str = ""
) -> Path:
    """Render the files of the project living at `project_dir` into `output_dir`; return the rendered root.

    The tree includes the update baseline (.trainwizard/), and its .trainwizard.yml names this trainwizard
    version and the template; `trainwizard update` renders through here too.
    """
    resolution = record_provenance(resolution, template)
    context = build_context(resolution, project_dir, data_report_md=data_report_md)
    rendered = _generate(template, context, output_dir)
    write_baseline(rendered, data_report_md=data_report_md)
    return rendered


def _check_destination(dest: Path, *, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        error = DestinationError(f"{dest}: exists and is not a folder; choose another destination")
        error.key, error.params = "dest-not-folder", {"dest": str(dest)}
        raise error
    if dest.is_dir() and any(dest.iterdir()) and not force:
        error = DestinationError(
            f"{dest}: folder is not empty; choose a new folder, or pass --force to overwrite the files the "
            "template writes (your other files are kept)"
        )
        error.key, error.params = "dest-not-empty", {"dest": str(dest)}
        raise error


def _make_parents(folder: Path) -> list[Path]:
    """Create missing parent folders; return the topmost created one (to remove on failure)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DestinationError(f"{folder}: cannot be created ({exc.strerror})") from None
    return missing[-1:]


@contextmanager
def _template_on_path(template: Path) -> Iterator[None]:
    """cookiecutter imports a template's local Jinja extensions from sys.path; keep that scoped to one render."""
    before = set(sys.modules)
    sys.path.insert(0, str(template))
    try:
        yield
    finally:
        sys.path.remove(str(template))
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(template)):
                del sys.modules[name]


def _generate(template: Path, context: dict, output_dir: Path) -> Path:
    from cookiecutter.exceptions import CookiecutterException, UndefinedVariableInTemplate
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError

    cwd = os.getcwd()
    try:
        with _template_on_path(template):
            context = {**context, **_derived_values(template, context), **_jinja_cache()}
            project = generate_files(
                repo_dir=str(template),
                context={"cookiecutter": context},
                output_dir=str(output_dir),
                accept_hooks=True,
                keep_project_on_failure=True,
            )
    except UndefinedVariableInTemplate as exc:
        raise RenderError(f"template {template}: {exc.message}: {exc.error.message}") from None
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or ''}:{getattr(exc, 'lineno', '')}".strip(":")
        raise RenderError(f"template {template}: {where}: {exc}") from None
    except CookiecutterException as exc:
        raise RenderError(f"template {template}: {exc}") from None
    except OSError as exc:
        raise RenderError(f"cannot write the project ({exc.strerror}: {exc.filename})") from None
    finally:
        os.chdir(cwd)  # cookiecutter changes the working folder of the whole process
    return Path(project)


def _jinja_cache() -> dict:
    """Jinja's bytecode cache under the user cache folder: compiling every template is most of a render's time.

    Entries are keyed by template name and a checksum of its source, so an edited template is recompiled.
    """
    from jinja2 import FileSystemBytecodeCache

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "trainwizard" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return {}
    if not os.access(folder, os.W_OK):
        return {}
    return {"_jinja2_env_vars": {"bytecode_cache": FileSystemBytecodeCache(str(folder))}}


def _derived_values(template: Path, context: dict) -> dict:
    """The template's `__name` variables of cookiecutter.json, rendered against the context.

    Plain cookiecutter renders these after the questions; doing the same here lets a template define
    derived flags (e.g. which optional files to emit) once, for both ways of rendering it.
    """
    import json

    from cookiecutter.environment import StrictEnvironment

    declared = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    raw = {k: v for k, v in declared.items() if k.startswith("__") and isinstance(v, str)}
    if not raw:
        return {}
    env = StrictEnvironment(context={"cookiecutter": context}, keep_trailing_newline=True)
    values: dict = {}
    for key, text in raw.items():
        values[key] = env.from_string(text).render(cookiecutter={**context, **values})
    return values


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink())


def _move_into_place(rendered: Path, dest: Path, files: list[str]) -> list[str]:
    """A new destination is renamed into place at once; an existing one (--force) gets file by file."""
    if not dest.exists():
        os.replace(rendered, dest)
        return []
    if not any(dest.iterdir()):
        dest.rmdir()
        os.replace(rendered, dest)
        return []
    overwritten = []
    for rel in files:
        target = dest / rel
        if target.is_dir():
            raise DestinationError(f"{target}: is a folder where the template writes a file; move it away first")
        if target.exists():
            overwritten.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(rendered / rel, target)
    return overwritten
