"""In a git work tree: conflicted files recorded as unmerged, so that git and editors flag them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from wizard.update.plan import FileAction

_NO_BLOB = "0" * 40


def record_unmerged(project_dir: Path, conflicted: list[FileAction]) -> bool:
    """Stage base (1), yours (2) and the template's (3) version of each text conflict; False when not done.

    The same as `git merge` leaves a conflict: `git status` lists the file as unmerged until you `git add` it.
    Optional: no git, no repository or any git failure leaves the index as it was.
    """
    entries = [
        a for a in conflicted if a.content is not None and a.current is not None and a.template is not None
    ]
    git = shutil.which("git")
    if not entries or git is None:
        return False
    try:
        top = _git(git, project_dir, "rev-parse", "--show-toplevel").decode().strip()
        prefix = _git(git, project_dir, "rev-parse", "--show-prefix").decode().strip()
        lines = []
        for action in entries:
            path = prefix + action.path
            mode = "100755" if action.mode & 0o111 else "100644"
            lines.append(f"0 {_NO_BLOB}\t{path}")
            for stage, content in ((1, action.base), (2, action.current), (3, action.template)):
                if content is not None:
                    lines.append(f"{mode} {_blob(git, project_dir, content)} {stage}\t{path}")
        _git(git, Path(top), "update-index", "--index-info", stdin=("\n".join(lines) + "\n").encode())
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return False
    return True


def _blob(git: str, cwd: Path, content: bytes) -> str:
    return _git(git, cwd, "hash-object", "-w", "--stdin", stdin=content).decode().strip()


def _git(git: str, cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        [git, *args], cwd=cwd, input=stdin, capture_output=True, check=True, timeout=60
    ).stdout
