"""The text an update prints: which answers changed and why, each file's outcome, and a diff for --dry-run."""

from __future__ import annotations

import difflib
import textwrap
from typing import TYPE_CHECKING, Any

from wizard.update.answers import RULE_TEXT
from wizard.update.merge import is_binary
from wizard.update.plan import STATUSES

if TYPE_CHECKING:
    from wizard.update.flow import UpdateResult
    from wizard.update.plan import FileAction


def summary_lines(result: UpdateResult) -> list[str]:
    """The summary: answers changed, files by outcome, totals, and what to do about conflicts."""
    verb = "Would update" if result.dry_run else "Updated"
    lines = [f"{verb} {result.project_dir}"]
    if result.base_from_answers:
        lines.append("  base: the recorded answers rendered with the current template (--base-from-answers)")
    lines += _answer_lines(result)
    lines.append("Files:")
    width = max(len(s) for s in STATUSES)
    for action in sorted(result.actions, key=lambda a: (STATUSES.index(a.status), a.path)):
        note = f"  ({action.note})" if action.note else ""
        lines.append(f"  {action.status:<{width}}  {action.path}{note}")
    counts = {s: sum(1 for a in result.actions if a.status == s) for s in STATUSES}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no files")
    if result.dry_run:
        lines.append("Dry run: nothing was written.")
    elif not result.changed:
        lines.append("Already up to date: nothing to write.")
    if result.conflicts:
        lines.append(f"Conflicts in {len(result.conflicts)} file(s): " + ", ".join(result.conflicts))
        lines.append("  In each, cut the block from '<<<<<<< yours (project)' to")
        lines.append("  '>>>>>>> template (after update)' down to the lines you want to keep.")
        if result.git_recorded:
            lines.append("  git lists them as unmerged; `git add` each file once it is resolved.")
    return lines


def _answer_lines(result: UpdateResult) -> list[str]:
    changes, stale = result.answers.changes, result.answers.stale
    lines = ["Answers:" if changes else "Answers: unchanged"]
    for change in changes:
        lines.append(f"  {change.key}: {_show(change.old)} -> {_show(change.new)}  ({change.why})")
    if stale:
        lines.append(
            "  kept as recorded, though the rules now recommend otherwise (--set KEY=VALUE to follow):"
        )
        for change in stale:
            lines.append(f"    {change.key}: {_show(change.old)} (now recommended: {_show(change.new)})")
    if changes or stale:
        lines += textwrap.wrap(RULE_TEXT, width=100, initial_indent="  Rule: ", subsequent_indent="        ")
    return lines


def _show(value: Any) -> str:
    """A value as it would be typed after --set KEY=VALUE (YAML: [a, b] for lists, '' for empty text), which
    is why this is not catalogue.show_value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value) if value != "" else "''"


def diff_text(result: UpdateResult) -> str:
    """A unified diff of every change the update makes (or would make), from the project as it is now."""
    return "".join(_file_diff(action) for action in result.changed)


def _file_diff(action: FileAction) -> str:
    before = action.current
    after = None if action.deletes else action.content
    old_name = f"a/{action.path}" if before is not None else "/dev/null"
    new_name = f"b/{action.path}" if after is not None else "/dev/null"
    if (before and is_binary(before)) or (after and is_binary(after)):
        return f"Binary files {old_name} and {new_name} differ\n"
    old_lines = (before or b"").decode("utf-8").splitlines(True)
    new_lines = (after or b"").decode("utf-8").splitlines(True)
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, old_name, new_name):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
