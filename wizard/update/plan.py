"""What an update does to each file: pristine base vs yours vs the new render, merged where both changed."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from wizard.render.provenance import ANSWERS_FILE
from wizard.update.merge import is_binary, merge_text
from wizard.update.pristine import BASELINE_DIR, Baseline

# In the order the summary lists them.
STATUSES = ("conflicted", "merged", "updated", "added", "removed", "kept", "unchanged")


@dataclass
class FileAction:
    """One file's outcome. `content` is what gets written (None: the file on disk stays as it is)."""

    path: str
    status: str
    note: str = ""
    content: bytes | None = None
    mode: int = 0o644
    current: bytes | None = None
    """The file in the project before the update (None: absent)."""
    base: bytes | None = None
    """The pristine render it came from (None: the last render had no such file)."""
    template: bytes | None = None
    """The new render's version (None: the template no longer writes it)."""

    @property
    def writes(self) -> bool:
        return self.content is not None and self.content != self.current

    @property
    def deletes(self) -> bool:
        return self.status == "removed"


def is_bookkeeping(path: str) -> bool:
    """The files trainwizard owns (answers and baseline): always replaced by the new ones, never merged."""
    return path == ANSWERS_FILE or path.startswith(BASELINE_DIR + "/")


def plan_update(
    project_dir: Path, base: Baseline, new: Baseline, *, restore_deleted: bool = False
) -> list[FileAction]:
    """One action per file of the last or the new render; files only you have are never looked at."""
    actions = []
    for path in sorted(base.files.keys() | new.files.keys()):
        action = _plan_file(
            project_dir,
            path,
            base.files.get(path),
            new.files.get(path),
            new.modes.get(path, 0o644),
            restore_deleted=restore_deleted,
        )
        if action is not None:
            actions.append(action)
    return actions


def _plan_file(
    project_dir: Path,
    path: str,
    base: bytes | None,
    template: bytes | None,
    mode: int,
    *,
    restore_deleted: bool,
) -> FileAction | None:
    target = project_dir / path
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return FileAction(
            path, "kept", "not a regular file in your project; left alone", base=base, template=template
        )
    current = target.read_bytes() if target.exists() else None
    if current is not None:
        mode = stat.S_IMODE(target.stat().st_mode)
    action = FileAction(path, "unchanged", current=current, base=base, template=template, mode=mode)

    if is_bookkeeping(path):
        if template is not None and template != current:
            action.status, action.content = "updated", template
        return action
    if template is None:  # the template no longer writes this file
        if current is None:
            return None
        if current == base:
            action.status, action.note = "removed", "the template no longer writes it"
        else:
            action.status, action.note = "kept", "edited by you; the template no longer writes it"
        return action
    if current is None:
        if base is None or restore_deleted:
            action.status, action.content = "added", template
            action.note = "restored (--restore-deleted)" if base is not None else ""
        else:
            action.status, action.note = (
                "kept",
                "deleted by you; stays deleted (--restore-deleted brings it back)",
            )
        return action
    if current == template:
        return action
    if base is not None and current == base:
        action.status, action.content = "updated", template
        return action
    if base is not None and template == base:
        action.note = "your edits kept; the template did not change it"
        return action
    _merge_into(action, base or b"", current, template)
    if base is None:
        action.note = "you have a file where the template now adds one; " + action.note
    return action


def _merge_into(action: FileAction, base: bytes, current: bytes, template: bytes) -> None:
    if is_binary(base) or is_binary(current) or is_binary(template):
        action.status, action.note = (
            "conflicted",
            "binary file changed by you and by the template; yours is kept",
        )
        return
    merged = merge_text(base, current, template)
    action.content = merged.content
    if merged.conflicts:
        blocks = "1 conflict block" if merged.conflicts == 1 else f"{merged.conflicts} conflict blocks"
        action.status, action.note = "conflicted", blocks
    else:
        action.status, action.note = "merged", "your edits and the template's changes combined"
