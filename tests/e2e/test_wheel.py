"""A non-editable install (the wheel) carries the templates and renders from any working folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(out),
         str(REPO)],
        check=True, timeout=600,
    )
    return next(out.glob("trainwizard-*.whl"))


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "wizard/_templates/pytorch/cookiecutter.json" in names
    assert "wizard/_templates/pytorch/local_extensions.py" in names
    assert any(n.startswith("wizard/_templates/pytorch/{{cookiecutter.slug}}/") for n in names)


def test_installed_wheel_renders_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--disable-pip-version-check",
         "--target", str(target), str(wheel)],
        check=True, timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "answers.yml").write_text("project: {name: From The Wheel}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", "import wizard, wizard.render as r; print(wizard.__file__); print(r.templates_root())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    module_file, templates = probe.stdout.split()
    assert module_file.startswith(str(target)) and templates.startswith(str(target))
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "new", "proj", "--answers", "answers.yml", "--no-input"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "proj" / ".trainwizard.yml").is_file()
    assert (elsewhere / "proj" / "scripts" / "train.py").is_file()
    compiled = [p for p in (target / "wizard" / "_templates").rglob("*") if p.suffix == ".pyc"]
    assert compiled, "pip no longer compiles the template's plain .py files: this check proves nothing"
    stray = [p.relative_to(elsewhere).as_posix() for p in (elsewhere / "proj").rglob("*")
             if p.name == "__pycache__" or p.suffix == ".pyc"]
    assert stray == []
    with tarfile.open(elsewhere / "proj" / ".trainwizard" / "pristine.tar.gz") as archive:  # what update tracks
        assert [n for n in archive.getnames() if "__pycache__" in n or n.endswith(".pyc")] == []
