"""Journaled writes into a folder: every change lands or none does, even across a kill, and the next run recovers.

A transaction stages the new files in ROOT/.trainwizard-txn/ (inside ROOT, so every rename stays on one file
system and is atomic), writes a journal of what it will do, then applies it by renames, moving each old file into
the backup area first. Once all renames are done it marks itself committed and removes its folder. A run that
finds the folder (the last one was killed) rolls the project back to exactly how it was, or, past the commit mark,
only finishes the cleanup.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from wizard.errors import DestinationError, WizardError

TXN_DIR = ".trainwizard-txn"
STAGING_PREFIX = ".trainwizard-staging-"
JOURNAL, COMMITTED = "journal.json", "committed"

checkpoint_hook: Callable[[str], None] | None = None
"""Called with a step name before every step that changes the file system (tests kill the process there)."""


class ProjectBusyError(WizardError):
    """Another trainwizard run holds the lock on the folder."""


def checkpoint(step: str) -> None:
    if checkpoint_hook is not None:
        checkpoint_hook(step)


def notify(line: str) -> None:
    """One line on stderr saying what a recovery did."""
    from wizard.console import note

    note(line)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder` itself (flock on its descriptor: no file is left behind, a kill releases it);
    ProjectBusyError at once when another run holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise DestinationError(f"{folder}: cannot be opened ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProjectBusyError(
                f"another trainwizard run is writing {folder}; wait for it to finish, then run again"
            ) from None
        yield
    finally:
        os.close(fd)


def remove_stale_staging(parent: Path) -> None:
    """Remove the staging folders in `parent` that no running trainwizard holds (their run was killed)."""
    removed = 0
    for staging in sorted(parent.glob(STAGING_PREFIX + "*")):
        if staging.is_symlink() or not staging.is_dir():
            continue
        try:
            with folder_lock(staging):
                shutil.rmtree(staging)
            removed += 1
        except (WizardError, OSError):
            continue  # in use by a running render, or not ours to remove
    if removed:
        notify(f"{parent}: removed {removed} staging folder(s) left by an interrupted trainwizard run")


def recover(root: Path) -> None:
    """Finish or undo the transaction a killed run left in `root` (call with the folder lock held)."""
    work = root / TXN_DIR
    if work.is_symlink() or (work.exists() and not work.is_dir()):
        raise DestinationError(f"{work}: is not trainwizard's work folder; move it away, then run again")
    if not work.exists():
        return
    with interrupts_held():
        if (work / COMMITTED).exists():
            _remove_work(work)
            notify(f"{root}: finished cleaning up after a trainwizard run that had completed its changes")
        elif (work / JOURNAL).exists():
            journal = json.loads((work / JOURNAL).read_text(encoding="utf-8"))
            _roll_back(root, work, journal)
            _remove_work(work)
            notify(f"{root}: rolled back an interrupted trainwizard run; every file is as it was before it")
        else:
            shutil.rmtree(work)
            notify(f"{root}: removed the work folder of an interrupted trainwizard run (it had changed nothing)")


def find_conflicts(root: Path, rels: list[str]) -> list[str]:
    """Paths inside `root` that stand where files are to be written: folders, files on the way, symlinks."""
    problems: dict[Path, str] = {}
    for rel in rels:
        parts = PurePosixPath(rel).parts
        probe = root
        for index, part in enumerate(parts):
            probe = probe / part
            last = index == len(parts) - 1
            if probe.is_symlink():
                problems[probe] = "a symlink (trainwizard never writes through a link)"
                break
            if not probe.exists():
                break
            if last and probe.is_dir():
                problems[probe] = "a folder where the template writes a file"
            elif not last and not probe.is_dir():
                problems[probe] = "a file where the template needs a folder"
                break
    return [f"{path}: {why}" for path, why in sorted(problems.items())]


class Transaction:
    """Files to write (staged under the work folder) and files to delete in `root`, applied all or nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / TXN_DIR
        self.staged = self.work / "new"
        self.backup = self.work / "old"
        self.writes: list[str] = []
        self.deletes: list[str] = []
        self.existed: list[str] = []
        self.current = ""
        self._journal: dict | None = None

    def begin(self) -> None:
        """Create the work folder (recover() first: a leftover one is refused)."""
        try:
            self.work.mkdir()
        except OSError as exc:
            raise DestinationError(f"{self.root}: cannot write here ({exc.strerror}); nothing was written") from None

    def stage(self, rel: str, content: bytes, mode: int) -> None:
        self.current = rel
        path = self.staged / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.chmod(path, mode)
        self.writes.append(rel)

    def adopt(self, rendered: Path, files: list[str]) -> None:
        """Take a tree rendered inside the work folder as the staged files."""
        rendered.rename(self.staged)
        self.writes.extend(files)

    def delete(self, rel: str) -> None:
        self.deletes.append(rel)

    def apply(self) -> list[str]:
        """Preflight, journal, rename into place, commit, clean up; return the files that were replaced.
        Any exception or signal on the way rolls every change back before it propagates."""
        problems = find_conflicts(self.root, self.writes + self.deletes)
        if problems:
            raise DestinationError(
                f"{self.root}: {len(problems)} path(s) stand where the template writes; move them away, then run "
                "again (nothing was written)",
                details=problems,
            )
        self.existed = [rel for rel in self.writes if os.path.lexists(self.root / rel)]
        try:
            self._journal = self._write_journal()
            for rel in self._journal["folders"]:
                self.current = rel
                checkpoint("mkdir")
                (self.root / rel).mkdir()
            existed = set(self.existed)
            for rel in self.writes:
                self.current = rel
                if rel in existed:
                    checkpoint("backup")
                    os.replace(self.root / rel, self.backup / rel)
                checkpoint("move")
                os.replace(self.staged / rel, self.root / rel)
            for rel in self.deletes:
                self.current = rel
                checkpoint("delete")
                os.replace(self.root / rel, self.backup / rel)
            checkpoint("commit")
            (self.work / COMMITTED).touch()
        except BaseException:
            with interrupts_held():
                if self._journal is not None and not (self.work / COMMITTED).exists():
                    self._roll_back_or_keep_backups()
                _remove_work(self.work)
            raise
        with interrupts_held():
            _remove_work(self.work)
        return self.existed

    def _roll_back_or_keep_backups(self) -> None:
        assert self._journal is not None
        try:
            _roll_back(self.root, self.work, self._journal)
        except OSError as exc:  # the journal and backups stay, so the next run can finish putting files back
            raise WizardError(
                f"{exc.filename or self.root}: could not be put back ({exc.strerror or exc}); the original files "
                f"are kept in {self.backup}, and the next `trainwizard new --force` or `update` in {self.root} "
                "puts them back"
            ) from None

    def discard(self) -> None:
        """Remove the work folder, unless it holds the journal of changes that could not all be undone."""
        with interrupts_held():
            if not (self.work / JOURNAL).exists() or (self.work / COMMITTED).exists():
                _remove_work(self.work)

    def _write_journal(self) -> dict:
        folders: list[str] = []
        for rel in self.writes:
            for parent in reversed(PurePosixPath(rel).parents[:-1]):
                if parent.as_posix() not in folders and not (self.root / parent).exists():
                    folders.append(parent.as_posix())
        for rel in self.existed + self.deletes:
            (self.backup / rel).parent.mkdir(parents=True, exist_ok=True)
        journal = {"version": 1, "writes": self.writes, "deletes": self.deletes, "existed": self.existed,
                   "folders": folders}
        checkpoint("journal")
        tmp = self.work / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(journal, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.work / JOURNAL)
        return journal


def _roll_back(root: Path, work: Path, journal: dict) -> None:
    """Put back every file the journal names; safe to repeat after a kill in the middle of it."""
    staged, backup = work / "new", work / "old"
    existed = set(journal["existed"])
    for rel in reversed(journal["writes"] + journal["deletes"]):
        target = root / rel
        if os.path.lexists(backup / rel):
            os.replace(backup / rel, target)
        elif (rel not in existed and rel in journal["writes"] and os.path.lexists(target)
              and not os.path.lexists(staged / rel)):
            target.unlink()  # the new file had been moved in; before, there was nothing here
    for rel in reversed(journal["folders"]):
        try:
            (root / rel).rmdir()
        except OSError:
            pass  # never created, or it holds something that is not ours


def _remove_work(work: Path) -> None:
    """The commit mark stays until the journal is gone, so a kill in here never turns into a rollback."""
    try:
        (work / JOURNAL).unlink(missing_ok=True)
    except OSError:
        pass
    checkpoint("cleanup")
    shutil.rmtree(work, ignore_errors=True)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP are ignored while files are put back (a second Ctrl-C must not stop that)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.getsignal(sig) for sig in held}
    for sig in held:
        signal.signal(sig, signal.SIG_IGN)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
