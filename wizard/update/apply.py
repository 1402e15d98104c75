"""Applying an update all or nothing, through the shared journaled transaction (wizard/transaction.py)."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import WizardError
from wizard.transaction import Transaction
from wizard.update.plan import FileAction

LEGACY_WORK_PREFIX = ".trainwizard-update-"
"""Work folders of updates made by trainwizard before the shared transaction (they are never created now)."""


def leftover_work_dirs(project_dir: Path) -> list[Path]:
    """Work folders an older trainwizard's update left when it was killed too hard to clean up."""
    return sorted(p for p in project_dir.glob(LEGACY_WORK_PREFIX + "*") if p.is_dir())


def apply_actions(project_dir: Path, actions: list[FileAction]) -> None:
    """Write and delete what the actions say; on any error or interrupt, every file is put back as it was.
    Call with the project's folder lock held and recover() done."""
    changes = [a for a in actions if a.writes or a.deletes]
    if not changes:
        return
    txn = Transaction(project_dir)
    txn.begin()
    try:
        for action in changes:
            if action.deletes:
                txn.delete(action.path)
            else:
                assert action.content is not None
                txn.stage(action.path, action.content, action.mode)
        txn.apply()
    except OSError as exc:
        txn.discard()
        where = project_dir / txn.current if txn.current else (exc.filename or project_dir)
        raise WizardError(
            f"update stopped at {where} ({exc.strerror or exc}); every file was put back, the project is unchanged"
        ) from None
    except BaseException:
        txn.discard()
        raise
