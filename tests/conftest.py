"""Shared test fixtures: an isolated cache/home per test, and helpers to run the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from wizard.cli import main

REPO = Path(__file__).resolve().parent.parent
MINI_TEMPLATE = REPO / "tests" / "unit" / "fixtures" / "mini_template"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's real cache, config (trusted templates) or cookiecutter config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `trainwizard ARGS...` in this process; return exit code, stdout and stderr."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(int(exited.value.code or 0), captured.out, captured.err)

    return run


def write_answers(folder: Path, text: str, name: str = "answers.yml") -> Path:
    """Write an answers file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
