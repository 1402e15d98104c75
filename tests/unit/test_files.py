"""write_text_atomic: the old file or the new one, never a mix; usual permissions for a new file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from wizard.files import write_text_atomic


def test_a_new_file_gets_the_umask_permissions_and_an_old_one_keeps_its_mode(tmp_path: Path) -> None:
    new = tmp_path / "answers.yml"
    write_text_atomic(new, "a: 1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert new.read_text() == "a: 1\n" and stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    new.chmod(0o600)
    write_text_atomic(new, "a: 2\n")
    assert new.read_text() == "a: 2\n" and stat.S_IMODE(new.stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch) -> None:
    old = tmp_path / "answers.yml"
    old.write_text("kept\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_text_atomic(old, "new\n")
    assert old.read_text() == "kept\n" and sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]
