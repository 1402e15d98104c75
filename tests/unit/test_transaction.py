"""Writes into an existing folder: preflight conflicts, the lock, recovery, disk-full and read-only folders."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE, write_answers
from wizard import transaction
from wizard.transaction import STAGING_PREFIX, TXN_DIR, folder_lock


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root: file bytes (or the link target), None for a folder."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = os.readlink(path).encode()
        else:
            found[rel] = path.read_bytes() if path.is_file() else None
    return found


def new(run_cli, tmp_path: Path, dest: Path | str, *extra: str):
    answers = write_answers(tmp_path, "project: {name: x}\n")
    return run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE, *extra)


def test_new_into_the_empty_working_folder_keeps_the_folder_its_mode_and_group(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "here"
    dest.mkdir()
    os.chmod(dest, 0o2750)  # setgid: files made inside take the folder's group
    before = os.stat(dest)
    monkeypatch.chdir(dest)
    result = new(run_cli, tmp_path, ".")
    assert result.code == 0, result.err
    after = os.stat(dest)
    assert (after.st_ino, after.st_mode, after.st_gid) == (before.st_ino, before.st_mode, before.st_gid)
    assert os.getcwd() == str(dest) and (dest / "pkg" / "about.py").is_file()
    assert stat.S_IMODE(os.stat(dest / "pkg").st_mode) & stat.S_ISGID
    assert not (dest / TXN_DIR).exists() and not list(tmp_path.glob(STAGING_PREFIX + "*"))


def test_every_conflict_is_reported_at_once_and_nothing_is_written(tmp_path: Path, run_cli) -> None:
    dest, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (outside / "about.py").write_text("not yours to overwrite")
    dest.mkdir()
    (dest / "README.md").mkdir()  # a folder where the template writes a file
    (dest / "pkg").symlink_to(outside)  # a symlinked folder leading out of DEST
    (dest / ".trainwizard").write_text("a file where the template needs a folder")
    (dest / "config.yaml").write_text("mine")
    before, before_outside = tree(dest), tree(outside)
    dry = new(run_cli, tmp_path, dest, "--force", "--dry-run")
    assert dry.code == 0 and "3 path(s) stand where the template writes" in dry.err and f"{dest / 'pkg'}: a sym" in dry.err
    result = new(run_cli, tmp_path, dest, "--force")
    assert result.code == 2 and "Traceback" not in result.err
    assert "3 path(s)" in result.err and "nothing was written" in result.err
    for name, why in (("README.md", "a folder where"), ("pkg", "a symlink"), (".trainwizard", "a file where")):
        assert f"{dest / name}: {why}" in result.err
    assert tree(dest) == before and tree(outside) == before_outside


def test_a_destination_inside_the_dataset_is_refused(tmp_path: Path, run_cli) -> None:
    data = tmp_path / "data"
    for label in ("cat", "dog"):
        (data / label).mkdir(parents=True)
    answers = write_answers(tmp_path, f"project: {{name: x}}\ndata: {{path: {data}}}\n")
    for dest in (data, data / "cat" / "project"):
        result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE, "--force")
        assert result.code == 2 and "inside the dataset folder" in result.err, result.err
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*")) == ["cat", "dog"]


def test_a_second_run_on_a_locked_project_is_refused_and_writes_nothing(tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "out"
    assert new(run_cli, tmp_path, dest).code == 0
    (dest / "README.md").write_text("edited")
    before = tree(dest)
    with folder_lock(dest):  # another run holds the project
        forced = new(run_cli, tmp_path, dest, "--force")
        updated = run_cli("update", dest, "--set", "training.batch_size=4")
    for result in (forced, updated):
        assert result.code == 1 and f"another trainwizard run is writing {dest}; wait for it" in result.err
    assert tree(dest) == before


def test_disk_full_midway_puts_every_file_back_and_names_the_path(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "README.md").write_text("old readme")
    (dest / "notes.txt").write_text("mine")
    before = tree(dest)
    real_replace, calls = os.replace, {"n": 0}

    def full_disk(src, dst, **kwargs):
        if Path(dst).parent == dest / "pkg":  # README.md and others are in place by now
            calls["n"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", full_disk)
    result = new(run_cli, tmp_path, dest, "--force")
    assert result.code == 1 and "Traceback" not in result.err
    assert calls["n"] == 1 and "put back" in result.err
    assert f"{dest / 'pkg' / 'about.py'}: cannot write (No space left on device)" in result.err
    assert tree(dest) == before


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch):
    """Make folders under the given path refuse new entries, as a read-only folder does (even for root)."""

    def make(folder: Path) -> None:
        real_mkdir, real_open = os.mkdir, os.open

        def refuse(path, *args, **kwargs):
            if str(path).startswith(str(folder)):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))

        def no_mkdir(path, *args, **kwargs):
            refuse(path)
            return real_mkdir(path, *args, **kwargs)

        def no_create(path, flags, *args, **kwargs):
            if flags & os.O_CREAT:
                refuse(path)
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", no_mkdir)
        monkeypatch.setattr(os, "open", no_create)

    return make


@pytest.mark.parametrize("command", ["new", "new --force", "demo"])
def test_a_read_only_folder_gives_one_message_naming_it(command: str, tmp_path: Path, run_cli, read_only) -> None:
    work = tmp_path / "work"
    work.mkdir()
    if command == "new --force":
        (work / "notes.txt").write_text("mine")
    write_answers(tmp_path, "project: {name: x}\n")
    before = tree(tmp_path)
    read_only(work)
    if command == "demo":
        result = run_cli("demo", work / "demo")
    else:
        result = new(run_cli, tmp_path, work if "force" in command else work / "proj", *command.split()[1:])
    assert result.code != 0 and "Traceback" not in result.err
    assert "Permission denied" in result.err and str(work) in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert tree(tmp_path) == before


def test_update_in_a_read_only_project_changes_nothing(tmp_path: Path, run_cli, read_only) -> None:
    dest = tmp_path / "out"
    assert new(run_cli, tmp_path, dest).code == 0
    before = tree(dest)
    read_only(dest)
    result = run_cli("update", dest, "--set", "training.batch_size=4")
    assert result.code != 0 and "Traceback" not in result.err
    assert "Permission denied" in result.err and str(dest) in result.err
    assert tree(dest) == before


def test_the_next_run_rolls_back_what_a_killed_run_left_and_says_so(tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "out"
    assert new(run_cli, tmp_path, dest).code == 0
    (dest / "README.md").write_text("edited")
    before = tree(dest)
    # What a run killed right after moving README.md away into the backup area leaves behind.
    work = dest / TXN_DIR
    (work / "old").mkdir(parents=True)
    (work / "new").mkdir()
    os.replace(dest / "README.md", work / "old" / "README.md")
    (work / "journal.json").write_text(json.dumps(
        {"version": 1, "writes": ["README.md"], "deletes": [], "existed": ["README.md"], "folders": []}
    ))
    transaction.recover(dest)
    assert tree(dest) == before

    (work / "new").mkdir(parents=True)  # a killed render: staging only
    dry = run_cli("update", dest, "--dry-run")  # would compare against a half-written project: refused
    assert dry.code == 2 and "without --dry-run" in dry.err and work.exists()
    result = new(run_cli, tmp_path, dest, "--force")
    assert result.code == 0 and "removed the work folder of an interrupted trainwizard run" in result.err
    assert not work.exists()


def test_staging_folders_left_in_the_parent_are_removed_unless_in_use(tmp_path: Path, run_cli) -> None:
    stale, busy = tmp_path / f"{STAGING_PREFIX}stale", tmp_path / f"{STAGING_PREFIX}busy"
    for folder in (stale, busy):
        (folder / "x").mkdir(parents=True)
    with folder_lock(busy):  # a render running right now
        result = new(run_cli, tmp_path, tmp_path / "out")
    assert result.code == 0 and "removed 1 staging folder(s)" in result.err
    assert not stale.exists() and busy.exists()


@pytest.mark.parametrize("force", [False, True])
def test_disk_full_while_storing_the_baseline_leaves_nothing(
    force: bool, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.update import pristine

    def full_disk(rendered: Path, **kwargs) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(rendered / ".trainwizard" / "pristine.tar.gz"))

    monkeypatch.setattr(pristine, "write_baseline", full_disk)
    dest = tmp_path / "out"
    if force:
        dest.mkdir()
        (dest / "README.md").write_text("old readme")
    write_answers(tmp_path, "project: {name: x}\n")
    before = tree(tmp_path)
    result = new(run_cli, tmp_path, dest, *(["--force"] if force else []))
    assert result.code == 1 and "No space left on device" in result.err and "Traceback" not in result.err
    assert tree(tmp_path) == before


def test_originals_that_cannot_be_put_back_stay_for_the_next_run(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out"
    assert new(run_cli, tmp_path, dest).code == 0
    (dest / "README.md").write_text("edited")
    before = tree(dest)
    real_replace = os.replace

    def broken(src, dst, **kwargs):
        if Path(dst).parent == dest / "pkg" or Path(src).parent == dest / TXN_DIR / "old":
            raise OSError(errno.EIO, "Input/output error", str(dst))  # the move and every restore fail
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", broken)
    result = new(run_cli, tmp_path, dest, "--force")
    assert result.code == 1 and "could not be put back" in result.err and "Traceback" not in result.err
    assert (dest / TXN_DIR / "journal.json").is_file() and (dest / TXN_DIR / "old" / "README.md").is_file()
    monkeypatch.setattr(os, "replace", real_replace)
    with folder_lock(dest):
        transaction.recover(dest)
    assert tree(dest) == before


def test_two_updates_at_once_one_runs_and_the_other_is_refused(tmp_path: Path, run_cli) -> None:
    dest = tmp_path / "out"
    assert new(run_cli, tmp_path, dest).code == 0
    reached, release = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:  # the first update, paused just before its journal is written
        code = 99
        try:
            def pause(step: str) -> None:
                if step == "journal":
                    os.write(reached[1], b"x")
                    os.read(release[0], 1)

            transaction.checkpoint_hook = pause
            from wizard.cli import main

            try:
                main(["update", str(dest), "--set", "training.batch_size=4"])
            except SystemExit as exited:
                code = int(exited.code or 0)
        finally:
            os._exit(code)
    assert os.read(reached[0], 1) == b"x"
    second = run_cli("update", dest, "--set", "training.batch_size=8")
    os.write(release[1], b"x")
    assert os.WEXITSTATUS(os.waitpid(pid, 0)[1]) == 0
    assert second.code == 1 and "another trainwizard run is writing" in second.err
    assert "batch_size: 4" in (dest / ".trainwizard.yml").read_text()
