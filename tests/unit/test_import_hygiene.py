"""The core never loads textual or torch; `trainwizard --help` stays light (SPEC §6, §7)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import MINI_TEMPLATE

HEAVY = ("textual", "torch", "torchvision", "tensorboard", "mlflow", "wandb")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "module",
    ["wizard.answers", "wizard.knowledge", "wizard.render", "wizard.workflow", "wizard.datacheck", "wizard.cli",
     "wizard.update", "wizard.demo"],
)
def test_core_module_loads_neither_textual_nor_torch(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


def test_help_loads_no_ui_no_torch_and_no_validation_stack() -> None:
    code = (
        "from wizard.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
    )
    roots = {m.split(".")[0] for m in _modules_after(code)}
    assert not roots & {*HEAVY, "pydantic", "cookiecutter", "yaml", "rich"}


def test_rendering_without_ui_loads_no_textual_nor_torch(tmp_path) -> None:
    answers = tmp_path / "a.yml"
    answers.write_text("project: {name: x}\n")
    code = (
        "from wizard.cli import main\n"
        f"try:\n    main(['new', {str(tmp_path / 'out')!r}, '--answers', {str(answers)!r}, '--no-input',"
        f" '--template', {str(MINI_TEMPLATE)!r}])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    roots = {m.split(".")[0] for m in _modules_after(code)}
    assert not roots & set(HEAVY)
