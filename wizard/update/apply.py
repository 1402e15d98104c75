"""Applying an update all or nothing: files replaced atomically, originals put back on any failure."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wizard.errors import WizardError
from wizard.update.plan import FileAction

WORK_PREFIX = ".trainwizard-update-"


def leftover_work_dirs(project_dir: Path) -> list[Path]:
    """Work folders of an update that was killed too hard to clean up (SIGKILL, power loss)."""
    return sorted(p for p in project_dir.glob(WORK_PREFIX + "*") if p.is_dir())


def apply_actions(project_dir: Path, actions: list[FileAction]) -> None:
    """Write and delete what the actions say; on any error or interrupt, every file is put back as it was."""
    changes = [a for a in actions if a.writes or a.deletes]
    if not changes:
        return
    # The work folder lives inside the project so every rename stays on one file system (atomic).
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=project_dir))
    journal = _Journal(project_dir, work)
    try:
        for action in changes:
            if action.deletes:
                journal.delete(action.path)
            else:
                assert action.content is not None
                journal.write(action.path, action.content, action.mode)
    except BaseException as exc:
        with _interrupts_held():
            restored = journal.roll_back()
            if restored:
                shutil.rmtree(work, ignore_errors=True)
        if not restored:
            raise WizardError(
                f"update stopped at {journal.current} and could not put every file back; "
                f"the originals are in {work / 'backup'}"
            ) from exc
        if isinstance(exc, OSError):
            raise WizardError(
                f"update stopped while writing {journal.current} ({exc.strerror or exc}); "
                "every file was put back, the project is unchanged"
            ) from None
        raise
    shutil.rmtree(work, ignore_errors=True)


class _Journal:
    """Every change made so far, each recorded before it is made, so rolling back never misses one."""

    def __init__(self, project_dir: Path, work: Path) -> None:
        self.project_dir = project_dir
        self.backups = work / "backup"  # mirrors the project's paths, for a human after a hard kill
        self.staged = work / "staged"
        self.staged.mkdir()
        self.undo: list[tuple[str, Path, Path | None]] = []
        self.current = ""

    def write(self, rel: str, content: bytes, mode: int) -> None:
        self.current = rel
        target = self.project_dir / rel
        self._make_parents(target.parent)
        staged = self.staged / str(len(self.undo))
        staged.write_bytes(content)
        os.chmod(staged, mode)
        if target.exists():
            backup = self._backup_path(rel)
            shutil.copy2(target, backup)
            self.undo.append(("restore", target, backup))
        else:
            self.undo.append(("remove", target, None))
        os.replace(staged, target)

    def delete(self, rel: str) -> None:
        self.current = rel
        target = self.project_dir / rel
        backup = self._backup_path(rel)
        self.undo.append(("restore", target, backup))
        os.replace(target, backup)

    def _backup_path(self, rel: str) -> Path:
        backup = self.backups / rel
        backup.parent.mkdir(parents=True, exist_ok=True)
        return backup

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for created in reversed(missing):
            self.undo.append(("rmdir", created, None))
            created.mkdir()

    def roll_back(self) -> bool:
        """Undo every recorded change, newest first; False when some original could not be put back."""
        restored = True
        for kind, target, backup in reversed(self.undo):
            try:
                if kind == "restore" and backup is not None and backup.exists():
                    os.replace(backup, target)
                elif kind == "remove":
                    target.unlink(missing_ok=True)
                elif kind == "rmdir" and target.is_dir():
                    target.rmdir()
            except OSError:
                restored = restored and kind == "rmdir"  # an empty folder left over loses nothing
        return restored


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM are ignored while files are being put back (a second Ctrl-C must not stop that)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, signal.SIG_IGN)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
