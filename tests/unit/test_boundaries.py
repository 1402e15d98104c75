"""Where things live: only the CLI, wizard/console.py and the UI print; render never imports update."""

from __future__ import annotations

import ast
from pathlib import Path

import wizard
from tests.conftest import MINI_TEMPLATE
from wizard.answers import validate_answers
from wizard.knowledge import resolve
from wizard.render import render_project
from wizard.update.pristine import BASELINE_FILE, read_baseline
from wizard.workflow import Prepared, generate

PACKAGE = Path(wizard.__file__).parent
MAY_PRINT = {"cli.py", "console.py"}


def _core_modules() -> list[Path]:
    """wizard/**.py outside the UI, the CLI and the console module."""
    return sorted(
        path for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "tui" and path.relative_to(PACKAGE).as_posix() not in MAY_PRINT
    )


def printing_calls(source: str) -> list[str]:
    """`line: call` for each print(), click.echo() and rich Console(...) in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("print", "Console") and (isinstance(func, ast.Name) or name == "Console"):
            found.append(f"{node.lineno}: {name}(")
        elif name == "echo" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "click":
            found.append(f"{node.lineno}: click.echo(")
    return found


def test_the_detector_finds_each_way_of_printing() -> None:
    source = (
        "import click, rich.console\nfrom rich.console import Console\n"
        "print('x')\nclick.echo('x')\nConsole(stderr=True)\nrich.console.Console()\n"
        "report.print_summary()\nparts.append(Text('x'))\n"
    )
    assert printing_calls(source) == ["3: print(", "4: click.echo(", "5: Console(", "6: Console("]


def test_only_the_cli_the_console_module_and_the_ui_print() -> None:
    modules = _core_modules()
    assert PACKAGE / "transaction.py" in modules and PACKAGE / "knowledge" / "explain.py" in modules
    offenders = {
        path.relative_to(PACKAGE).as_posix(): calls
        for path in modules
        if (calls := printing_calls(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "print through wizard/console.py from cli.py; the core returns text or renderables"


def test_render_never_imports_update() -> None:
    """update builds on render (render_tree); render must not know update exists (the pristine archive is
    written by update's code, passed in by workflow.generate)."""
    imported = set()
    for path in (PACKAGE / "render").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    assert imported and not {(name, module) for name, module in imported if module.startswith("wizard.update")}


def test_update_package_only_reexports() -> None:
    tree = ast.parse((PACKAGE / "update" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Assign)) and
                not (isinstance(n, ast.Assign) and [getattr(t, "id", "") for t in n.targets] == ["__all__"])]


def test_new_stores_the_pristine_archive_render_alone_does_not(tmp_path: Path) -> None:
    resolution = resolve(validate_answers({"project": {"name": "Boundary"}}, partial=True))
    plain = render_project(resolution, tmp_path / "plain", template=MINI_TEMPLATE)
    assert BASELINE_FILE not in plain.files and not (plain.dest / BASELINE_FILE).exists()
    made = generate(Prepared(resolution, None), tmp_path / "made", template=MINI_TEMPLATE)
    assert made.files == sorted([*plain.files, BASELINE_FILE])
    assert sorted(read_baseline(made.dest).files) == plain.files
