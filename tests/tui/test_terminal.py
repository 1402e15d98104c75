"""`trainwizard new` in a real terminal (a pseudo-terminal): the exit codes and closing words of quitting, and
generation interrupted by SIGINT, SIGTERM or a closed terminal — the whole project or nothing."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE, write_answers
from wizard.render.engine import STAGING_PREFIX

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """A program running in an 80×24 pseudo-terminal that is its controlling terminal."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        # In its own session, the terminal made its controlling terminal before the program starts (so that
        # closing the terminal sends it SIGHUP, as closing a window does).
        adopt = ("import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
                 "os.execv(sys.argv[1], sys.argv[1:])")
        self.proc = subprocess.Popen([sys.executable, "-c", adopt, *args], cwd=cwd, env=env, stdin=slave,
                                     stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        self.master: int | None = master
        self.output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while self.master is not None:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    @property
    def text(self) -> str:
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def wait_for(self, pattern: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text):
            assert self.proc.poll() is None, f"exited {self.proc.returncode} before {pattern!r}:\n{self.text[-2000:]}"
            assert time.monotonic() < deadline, f"no {pattern!r} on screen:\n{self.text[-2000:]}"
            time.sleep(0.05)

    def send(self, keys: str) -> None:
        assert self.master is not None
        os.write(self.master, keys.encode())
        time.sleep(0.15)

    def hang_up(self) -> None:
        """Close the terminal, as closing its window does (the kernel sends SIGHUP)."""
        master, self.master = self.master, None
        if master is not None:
            os.close(master)

    def exit_code(self, timeout: float = 30) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self.hang_up()


@pytest.fixture
def wizard_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24", PYTHONPATH=str(Path(__file__).parents[2]))
    return env


def slow_template(tmp_path: Path, marker: Path) -> Path:
    """The mini template with a hook that says it started, then takes its time (generation in progress)."""
    template = Path(shutil.copytree(MINI_TEMPLATE, tmp_path / "slow_template"))
    (template / "hooks").mkdir()
    (template / "hooks" / "pre_gen_project.py").write_text(
        f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(4)\n"
    )
    return template


def start(tmp_path: Path, env: dict[str, str], *extra: str) -> Terminal:
    answers = write_answers(tmp_path, "project: {name: Signals}\n")
    args = [sys.executable, "-m", "wizard", "new", str(tmp_path / "proj"), "--answers", str(answers), *extra]
    terminal = Terminal(args, tmp_path, env)
    terminal.wait_for(r"Step 1 of 8")
    return terminal


def nothing_written(tmp_path: Path) -> bool:
    return not (tmp_path / "proj").exists() and not list(tmp_path.glob(STAGING_PREFIX + "*"))


def test_ctrl_c_twice_quits_with_130_and_says_nothing_was_written(tmp_path: Path, wizard_env) -> None:
    terminal = start(tmp_path, wizard_env)
    terminal.send("\x03")
    terminal.wait_for(r"Quit trainwizard\?")
    terminal.send("\x03")
    assert terminal.exit_code() == 130
    assert "Cancelled — nothing was written." in terminal.text and "Traceback" not in terminal.text
    assert nothing_written(tmp_path)


def test_generating_from_the_terminal_prints_the_next_commands(tmp_path: Path, wizard_env) -> None:
    terminal = start(tmp_path, wizard_env, "--template", str(MINI_TEMPLATE))
    terminal.send("\x14")  # ctrl+t: accept every recommendation
    terminal.wait_for(r"Step 8 of 8")
    time.sleep(1)  # the dry run works out the file tree (below the fold)
    terminal.send("\r")  # Enter on Review generates
    terminal.wait_for(r"Created")
    terminal.send("\r")  # and Enter again leaves
    assert terminal.exit_code() == 0
    assert re.search(r"Created \S*proj \(\d+ files\)\.\s+Next:\s+cd proj && pip install", terminal.text)
    assert (tmp_path / "proj" / ".trainwizard.yml").is_file()


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "closed terminal"])
def test_a_stop_signal_during_generation_leaves_nothing_and_exits_130(tmp_path: Path, wizard_env, how: str) -> None:
    marker = tmp_path / "hook-started"
    terminal = start(tmp_path, wizard_env, "--template", str(slow_template(tmp_path, marker)))
    terminal.send("\x14")
    terminal.wait_for(r"Step 8 of 8")
    time.sleep(1)
    terminal.send("\r")
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline and terminal.proc.poll() is None, terminal.text[-2000:]
        time.sleep(0.02)
    if how == "closed terminal":
        terminal.hang_up()
    else:
        terminal.proc.send_signal(getattr(signal, how))
    assert terminal.exit_code() == 130
    assert nothing_written(tmp_path), sorted(p.name for p in tmp_path.iterdir())
    if how != "closed terminal":
        assert "Cancelled — nothing was written." in terminal.text and "Traceback" not in terminal.text


def test_keys_typed_ahead_each_take_effect(tmp_path: Path, wizard_env) -> None:
    terminal = start(tmp_path, wizard_env)
    terminal.send("\x15")  # ctrl+u: clear the name given in the answers file
    # One write, as a fast typist or a paste sends it: a name, Enter, Down twice, then text for the author.
    terminal.send("Typed\r\x1b[B\x1b[Bzz")
    terminal.send("\x03")
    terminal.wait_for(r"Quit trainwizard\?")
    terminal.send("\r")  # save the answers, then quit
    assert terminal.exit_code() == 130
    assert sorted(p.name for p in tmp_path.glob("*.yml")) == ["answers.yml", "typed.answers.yml"], terminal.text[-1500:]
    saved = (tmp_path / "typed.answers.yml").read_text()
    assert "name: Typed" in saved and "author: zz" in saved and "description" not in saved
