"""Provides line breaking for mixed Chinese/Latin text, and installs it into Textual's and Rich's wrapping.

Rich (and Textual, which uses Rich's function) breaks lines only at spaces, so a run of Chinese text is one
"word": it is pushed whole to the next line — stranding the Latin word before it alone on a line — and then
chopped at the line's end, in the middle of a Latin word if one is inside the run. Here a line may also
break between two CJK characters and between CJK and Latin text (as Unicode's line-breaking rules allow),
never before closing punctuation or after opening punctuation, and never inside a Latin word.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len, chop_cells

OPENING = frozenset("（「『【《〈“‘〔［｛([{")
"""Punctuation that stays with the character after it."""
CLOSING = frozenset("，。、；：！？）」』】》〉”’〕］｝…—·%％)]},.;:!?")
"""Punctuation that stays with the character before it (no line starts with it)."""


def is_cjk(char: str) -> bool:
    """Chinese, Japanese and Korean characters and the full-width forms: each may stand on its own."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FA1F)


def units(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces a line may not break inside: a CJK character or a Latin word, with the
    opening punctuation before it, the closing punctuation after it and the spaces that follow."""
    i, n = 0, len(text)
    while i < n:
        start = i
        while i < n and text[i] in OPENING:
            i += 1
        if i < n and is_cjk(text[i]) and text[i] not in CLOSING:
            i += 1
        else:
            while i < n and not text[i].isspace() and not is_cjk(text[i]) and text[i] not in OPENING:
                i += 1
        while i < n and text[i] in CLOSING:
            i += 1
        while i < n and text[i].isspace():
            i += 1
        if i == start:
            i += 1
        yield start, i


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's `divide_line` (the offsets to break `text` at to fit `width` cells), with the breaks above for
    text holding CJK characters; text without them is left to Rich."""
    if not any(is_cjk(c) for c in text):
        return rich_divide_line(text, width, fold=fold)
    breaks: list[int] = []
    offset = 0
    for start, end in units(text):
        word = text[start:end]
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if fold:
                pieces = chop_cells(word, width=width)
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


@functools.cache
def install_line_breaking() -> None:
    """Use `divide_line` wherever Textual and Rich wrap text (once per process)."""
    import rich.text
    import textual.content

    for module in (textual.content, rich.text):
        if getattr(module, "divide_line", None) is not rich_divide_line:
            raise RuntimeError(f"{module.__name__}.divide_line is not Rich's: re-check wizard.tui.wrap")
        module.divide_line = divide_line  # type: ignore[attr-defined]
