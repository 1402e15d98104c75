"""Shared test fixtures: an isolated cache/home per test, and helpers to run the CLI in-process."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from wizard.cli import main

# The suite's property tests draw the same examples on every run, so CI cannot fail by chance; run
# `HYPOTHESIS_PROFILE=explore pytest` to search new ones.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

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
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
        try:
            with pytest.raises(SystemExit) as exited:
                main([str(a) for a in args])
        finally:  # main() makes SIGTERM/SIGHUP raise KeyboardInterrupt; pytest's process keeps its own handling
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        captured = capsys.readouterr()
        return Run(int(exited.value.code or 0), captured.out, captured.err)

    return run


def write_answers(folder: Path, text: str, name: str = "answers.yml") -> Path:
    """Write an answers file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
