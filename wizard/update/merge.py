"""Three-way merge of one file's versions (base, yours, template) with conflict markers naming both sides."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from merge3 import Merge3

YOURS_LABEL = b"yours (project)"
TEMPLATE_LABEL = b"template (after update)"


@dataclass(frozen=True)
class Merged:
    """The merged bytes and the number of conflict blocks in them (0: clean)."""

    content: bytes
    conflicts: int


class _FullMatcher(difflib.SequenceMatcher):
    """difflib's matcher without the 'popular line' heuristic, which mismatches long files of blank lines."""

    def __init__(self, isjunk=None, a="", b="", autojunk=False) -> None:
        super().__init__(isjunk, a, b, autojunk=False)


def is_binary(content: bytes) -> bool:
    """Content that is not line-based text: has NUL bytes or is not UTF-8."""
    if b"\0" in content:
        return True
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def merge_text(base: bytes, yours: bytes, template: bytes) -> Merged:
    """Merge the template's change (base -> template) into your file (base -> yours), line by line.

    Lines changed on one side only are taken from that side; lines both sides changed differently become a
    block `<<<<<<< yours (project)` / `=======` / `>>>>>>> template (after update)`. A file you converted to
    CRLF line endings gets the template's lines in CRLF too, so the line endings alone cause no conflict.
    """
    if b"\r\n" in yours and b"\r\n" not in base:
        base, template = _crlf(base), _crlf(template)
    y, b, t = yours.splitlines(True), base.splitlines(True), template.splitlines(True)
    newline = b"\r\n" if y and y[0].endswith(b"\r\n") else b"\n"
    out: list[bytes] = []
    conflicts = 0
    for region in Merge3(b, y, t, sequence_matcher=_FullMatcher).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out.extend(b[region[1] : region[2]])
        elif kind in ("a", "same"):
            out.extend(y[region[1] : region[2]])
        elif kind == "b":
            out.extend(t[region[1] : region[2]])
        else:
            _, _, _, y0, y1, t0, t1 = region
            conflicts += 1
            out.append(b"<<<<<<< " + YOURS_LABEL + newline)
            out.extend(_ended(y[y0:y1], newline))
            out.append(b"=======" + newline)
            out.extend(_ended(t[t0:t1], newline))
            out.append(b">>>>>>> " + TEMPLATE_LABEL + newline)
    return Merged(b"".join(out), conflicts)


def _crlf(content: bytes) -> bytes:
    return content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _ended(lines: Sequence[bytes], newline: bytes) -> list[bytes]:
    """The lines with the last one ended, so a marker written after it starts a line of its own."""
    lines = list(lines)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += newline
    return lines
