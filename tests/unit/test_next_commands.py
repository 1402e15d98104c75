"""The commands printed after generation: shell-safe, in the user's language, and within 80 columns."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from rich.cells import cell_len

from wizard.workflow import next_commands


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_with_its_comment_fits_an_80_column_terminal_after_its_indent(lang: str, tmp_path: Path) -> None:
    commands = next_commands(tmp_path / "proj", cwd=tmp_path, lang=lang)
    assert commands[0] == "cd proj && pip install -e '.[test]'"
    assert [c.split("#")[0].strip() for c in commands[1:]] == [
        "python scripts/capacity_test.py", "python scripts/baseline.py", "python scripts/train.py"]
    assert max(cell_len("  $ " + c) for c in commands) <= 80


def test_the_comments_follow_the_language(tmp_path: Path) -> None:
    english = next_commands(tmp_path / "p", cwd=tmp_path, lang="en")
    chinese = next_commands(tmp_path / "p", cwd=tmp_path, lang="zh")
    assert "overfit" in english[1] and "overfit" not in chinese[1]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese[1] + chinese[2])


def test_a_destination_with_blanks_or_quotes_is_quoted_for_the_shell(tmp_path: Path) -> None:
    dest = tmp_path / "my 'odd' project"
    command = next_commands(dest, cwd=tmp_path)[0]
    assert shlex.split(command)[:2] == ["cd", "my 'odd' project"]
    assert next_commands(dest, cwd=Path("/elsewhere"))[0].startswith(f"cd {shlex.quote(str(dest))} ")
