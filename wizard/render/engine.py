"""Transactional rendering: cookiecutter's file generator into a staging area, then moved into place all at once."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import DestinationError, RenderError
from wizard.knowledge import Resolution
from wizard.render.context import build_context
from wizard.render.gate import CommitGate
from wizard.render.provenance import record_provenance
from wizard.render.templates import check_template, default_template
from wizard.transaction import (
    STAGING_PREFIX,
    TXN_DIR,
    Transaction,
    find_conflicts,
    folder_lock,
    interrupts_held,
    recover,
    remove_stale_staging,
)

Finish = Callable[[Path], None]
"""A last step on a freshly rendered tree, before its files are moved into place."""


@dataclass
class RenderResult:
    """What a render wrote (or, for a dry run, would write)."""

    dest: Path
    files: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    dry_run: bool = False
    conflicts: list[str] = field(default_factory=list)
    """Dry run: the paths that stand where the template writes (the real run would stop on them)."""


def render_project(
    resolution: Resolution,
    dest: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    template: Path | None = None,
    data_report_md: str = "",
    gate: CommitGate | None = None,
    finish: Finish | None = None,
) -> RenderResult:
    """Render the project for `resolution` into `dest`; on any error or interrupt `dest` is left as it was.
    `gate` lets another thread cancel the render until its files are moved into place; `finish` adds to the
    rendered files before they are (see render_tree)."""
    dest = dest.expanduser().absolute()
    template = check_template(template) if template else default_template()
    _check_destination(dest, force=force, data_path=resolution.answers.data.path)

    if dry_run:
        with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX) as scratch:
            rendered = render_tree(resolution, dest, Path(scratch), template=template,
                                   data_report_md=data_report_md, finish=finish)
            files = _tree(rendered)
        existing = [f for f in files if (dest / f).exists()]
        conflicts = find_conflicts(dest, files) if dest.is_dir() else []
        return RenderResult(dest, files, existing, dry_run=True, conflicts=conflicts)

    gate = gate or CommitGate()
    if dest.parent.is_dir():
        remove_stale_staging(dest.parent)
    if dest.is_dir():
        with folder_lock(dest):
            recover(dest)
            _check_destination(dest, force=force, data_path=resolution.answers.data.path)
            return _render_into_folder(resolution, dest, template, data_report_md, gate, finish)
    return _render_new_folder(resolution, dest, template, data_report_md, gate, finish)


def _render_new_folder(
    resolution: Resolution, dest: Path, template: Path, data_report_md: str, gate: CommitGate, finish: Finish | None
) -> RenderResult:
    """A destination that does not exist yet: rendered beside it, then renamed into place at once."""
    created_parents = _make_parents(dest.parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dest.parent))
    except OSError as exc:
        _remove_all(created_parents)
        raise _cannot_write(dest.parent, exc) from None
    try:
        with folder_lock(staging):  # tells other runs' cleanup that this staging folder is in use
            gate.check()
            rendered = render_tree(resolution, dest, staging, template=template, data_report_md=data_report_md,
                                   finish=finish)
            files = _tree(rendered)
            with gate.commit():
                try:
                    os.rename(rendered, dest)
                except OSError as exc:
                    raise _cannot_write(dest, exc) from None
    except BaseException as exc:
        with interrupts_held():
            shutil.rmtree(staging, ignore_errors=True)
            _remove_all(created_parents)
        if isinstance(exc, OSError):
            raise _cannot_write(dest, exc) from None
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(dest, files, [])


def _render_into_folder(
    resolution: Resolution, dest: Path, template: Path, data_report_md: str, gate: CommitGate, finish: Finish | None
) -> RenderResult:
    """An existing folder (empty, or --force): the folder itself stays; its files change in one transaction."""
    txn = Transaction(dest)
    txn.begin()
    try:
        gate.check()
        rendered = render_tree(resolution, dest, txn.work / "render", template=template,
                               data_report_md=data_report_md, finish=finish)
        files = _tree(rendered)
        txn.adopt(rendered, files)
        with gate.commit():
            try:
                overwritten = txn.apply()
            except OSError as exc:
                raise _cannot_write(dest / txn.current, exc, rolled_back=True) from None
    except BaseException as exc:
        txn.discard()
        if isinstance(exc, OSError):  # staging the files, before anything in DEST changed
            raise _cannot_write(dest, exc) from None
        raise
    return RenderResult(dest, files, overwritten)


def _cannot_write(path: Path, exc: OSError, *, rolled_back: bool = False) -> RenderError:
    where = path if rolled_back else (exc.filename or path)
    after = "every file was put back as it was" if rolled_back else "nothing was written"
    return RenderError(f"{where}: cannot write ({exc.strerror or exc}); {after}")


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def render_tree(
    resolution: Resolution,
    project_dir: Path,
    output_dir: Path,
    *,
    template: Path,
    data_report_md: str = "",
    finish: Finish | None = None,
) -> Path:
    """Render the files of the project living at `project_dir` into `output_dir`; return the rendered root.

    No transaction, no checks of the destination: `trainwizard update` renders into a scratch folder through
    here. The tree's .trainwizard.yml names this trainwizard version and the template. `finish(root)` runs on
    the rendered root last (`new` stores update's pristine archive there; an OSError is a RenderError).
    """
    resolution = record_provenance(resolution, template)
    context = build_context(resolution, project_dir, data_report_md=data_report_md)
    rendered = _generate(template, context, output_dir)
    try:
        _remove_bytecode(rendered)
        if finish is not None:
            finish(rendered)
    except OSError as exc:
        raise RenderError(f"cannot write the project ({exc.strerror}: {exc.filename})") from None
    return rendered


def _remove_bytecode(root: Path) -> None:
    """Delete the `__pycache__` folders and `*.pyc` files cookiecutter copied from the template.

    A template installed from a wheel holds them next to its plain .py files (pip compiles what it installs);
    they are no part of the project, and the pristine archive `update` compares with must not track them.
    """
    for path in sorted(root.rglob("*"), reverse=True):  # files before the folders holding them
        if path.is_symlink() or not path.exists():
            continue
        if path.is_dir() and path.name == "__pycache__":
            shutil.rmtree(path)
        elif path.is_file() and path.suffix in (".pyc", ".pyo"):
            path.unlink()


def _check_destination(dest: Path, *, force: bool, data_path: str) -> None:
    if dest.is_symlink() and not dest.exists():
        error = DestinationError(f"{dest}: is a broken symlink; choose another destination")
        error.key, error.params = "dest-not-folder", {"dest": str(dest)}
        raise error
    if dest.exists() and not dest.is_dir():
        error = DestinationError(f"{dest}: exists and is not a folder; choose another destination")
        error.key, error.params = "dest-not-folder", {"dest": str(dest)}
        raise error
    _check_outside_data(dest, data_path)
    if dest.is_dir() and any(p.name != TXN_DIR for p in dest.iterdir()) and not force:
        error = DestinationError(
            f"{dest}: folder is not empty; choose a new folder, or pass --force to overwrite the files the "
            "template writes (your other files are kept)"
        )
        error.key, error.params = "dest-not-empty", {"dest": str(dest)}
        raise error


def _check_outside_data(dest: Path, data_path: str) -> None:
    """A project inside the dataset folder would add its files to the data (the next check finds a new class)."""
    data = Path(data_path)
    if not data.is_absolute() or not data.is_dir():
        return
    data, where = data.resolve(), dest.resolve()
    if where == data or data in where.parents:
        error = DestinationError(
            f"{dest}: is inside the dataset folder {data}; the project's files would become part of the data. "
            "Choose a destination outside it"
        )
        error.key, error.params = "dest-inside-data", {"dest": str(dest), "data": str(data)}
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
