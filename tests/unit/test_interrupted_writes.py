"""Acceptance: `new --force` and `update` killed at random moments by SIGINT, SIGTERM, SIGHUP or SIGKILL leave,
after the next run's recovery, the project exactly as it was before or as the command makes it; nothing else."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import time
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE, write_answers
from tests.unit.test_update import V1, v2_template
from wizard import transaction
from wizard.cli import install_signal_handlers, main
from wizard.transaction import STAGING_PREFIX, TXN_DIR

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)
CATCHABLE = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
CHECKPOINT_KILLS, DELAYED_KILLS = 40, 10  # 50 points per command and signal
Snapshot = dict[str, tuple[int, bytes] | None]


def snapshot(root: Path) -> Snapshot:
    """Every file's mode and bytes, and every folder (None), under root."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = None if path.is_dir() else (stat.S_IMODE(path.stat().st_mode), path.read_bytes())
    return found


def run_in_child(argv: list[str], *, kill_at: int = 0, sig: int = signal.SIGKILL, delay: float = 0.0) -> int:
    """Run the CLI in a forked copy of this process, with the CLI's signal handlers; send `sig` to it at its
    `kill_at`-th checkpoint or after `delay` seconds. Returns the wait status.

    The signals stay blocked from before the fork until the child is inside its `try`: one that arrives in
    between would otherwise unwind the child into pytest's own code, which then runs on as a second pytest
    session (seen twice in CI: it finished "the" session and deleted the snapshot plugin's folder)."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, CATCHABLE)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            install_signal_handlers()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a signal sent meanwhile arrives here
            passed = 0

            def hook(step: str) -> None:
                nonlocal passed
                passed += 1
                if passed == kill_at:
                    os.kill(os.getpid(), sig)

            transaction.checkpoint_hook = hook
            try:
                main(argv)
            except SystemExit as exited:
                code = exited.code if isinstance(exited.code, int) else 0
        except KeyboardInterrupt:  # the signal came before main() started or after it returned
            code = 130
        finally:
            os._exit(code)
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    if delay:
        time.sleep(delay)
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    return os.waitpid(pid, 0)[1]


def count_checkpoints(argv: list[str]) -> int:
    steps: list[str] = []
    transaction.checkpoint_hook = steps.append
    handlers = {sig: signal.getsignal(sig) for sig in CATCHABLE}
    try:
        with pytest.raises(SystemExit) as exited:
            main(argv)
    finally:
        transaction.checkpoint_hook = None
        for sig, handler in handlers.items():  # main() installs the CLI's handlers; pytest keeps its own
            signal.signal(sig, handler)
    assert exited.value.code == 0
    return len(steps)


def restore(pristine: Path, project: Path) -> None:
    shutil.rmtree(project)
    shutil.copytree(pristine, project, symlinks=True)


def assert_survives_kills(
    tmp_path: Path, project: Path, argv: list[str], capsys: pytest.CaptureFixture[str], *, seed: int
) -> None:
    """Kill the command at every checkpoint and at random ones, and at random moments of its render; after
    each kill and the recovery the next run does first, the project is the before or the after tree."""
    pristine = tmp_path / "pristine"
    shutil.copytree(project, pristine, symlinks=True)
    before = snapshot(project)
    started = time.monotonic()
    checkpoints = count_checkpoints(argv)
    duration = time.monotonic() - started
    after = snapshot(project)
    assert after != before and checkpoints >= 10

    rng = random.Random(seed)
    seen = {"before": 0, "after": 0}
    for sig in SIGNALS:
        points = list(range(1, checkpoints + 1))
        points += rng.choices(points, k=CHECKPOINT_KILLS - len(points))
        kills: list[dict[str, float]] = [{"kill_at": at} for at in points]
        kills += [{"delay": rng.uniform(0.0, duration)} for _ in range(DELAYED_KILLS)]
        for number, kill in enumerate(kills):
            restore(pristine, project)
            status = run_in_child(argv, sig=sig, **kill)  # type: ignore[arg-type]
            assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) in (0, 130), (sig, number, status)
            with transaction.folder_lock(project):
                transaction.recover(project)  # what the next `new --force` or `update` does first
            state = snapshot(project)
            assert state in (before, after), (signal.Signals(sig).name, number, set(state) ^ set(before))
            seen["before" if state == before else "after"] += 1
            assert not list(project.parent.glob(STAGING_PREFIX + "*"))
            assert not list(project.rglob(".trainwizard-txn*")) and not (project / TXN_DIR).exists()
    assert seen["before"] > 0 and seen["after"] > 0, seen

    restore(pristine, project)  # and the normal command, run after a hard kill, recovers and completes
    os.WIFSIGNALED(run_in_child(argv, kill_at=checkpoints // 2, sig=signal.SIGKILL)) or pytest.fail("not killed")
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0 and snapshot(project) == after
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert notes == [f"note: {project}: rolled back an interrupted trainwizard run; every file is as it was before it"]


def test_new_force_survives_kills_at_any_moment(tmp_path: Path, run_cli, capsys) -> None:
    project = tmp_path / "proj"
    first = write_answers(tmp_path, "project: {name: x}\ntraining: {batch_size: 32}\n", "first.yml")
    assert run_cli("new", project, "--answers", first, "--no-input", "--template", MINI_TEMPLATE).code == 0
    (project / "README.md").write_text("my readme")
    (project / "notes.txt").write_text("mine")
    (project / "mine").mkdir()
    shutil.rmtree(project / "pkg")  # so the run creates a folder, which a rollback must remove again
    second = write_answers(tmp_path, "project: {name: x, description: Spots leaves.}\ntraining: {lr: 0.003}\n")
    argv = ["new", str(project), "--answers", str(second), "--no-input", "--template", str(MINI_TEMPLATE), "--force"]
    assert_survives_kills(tmp_path, project, argv, capsys, seed=18)


def test_update_survives_kills_at_any_moment(tmp_path: Path, run_cli, capsys) -> None:
    project = tmp_path / "proj"
    answers = write_answers(tmp_path, "project: {name: Demo}\ntraining: {batch_size: 32}\n")
    assert run_cli("new", project, "--answers", answers, "--no-input", "--template", V1).code == 0
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("seed: 42", "seed: 7"))
    (project / "README.md").unlink()
    argv = ["update", str(project), "--set", "training.batch_size=4", "--template", str(v2_template(tmp_path)),
            "--restore-deleted"]
    assert_survives_kills(tmp_path, project, argv, capsys, seed=19)
