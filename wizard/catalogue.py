"""Provides what every text catalogue (YAML, one file per language) shares: reading one, joining its wrapped
lines the way each script needs, and filling placeholders without failing in front of the user."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_WRAPPED = re.compile(r"(\S)\n([ \t]*)(?=(\S))")


def read_catalogue(path: Path) -> dict[str, Any]:
    """The mapping in one catalogue file."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader) or {}


def unwrap(body: str, *, markdown: bool = False) -> str:
    """Join a catalogue text's wrapped lines: one line per paragraph (Markdown keeps its lines).

    A break between two Chinese characters (or next to Chinese punctuation) joins without a space; one
    between Latin words becomes a space. Markdown keeps its breaks, except those inside Chinese text, which
    a Markdown renderer would show as a stray space between two characters.
    """

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(3)
        tight = is_cjk_punct(before) or is_cjk_punct(after) or (is_cjk(before) and is_cjk(after))
        if tight and (not markdown or is_cjk(after)):
            return before
        return match.group(0) if markdown else before + " "

    return _WRAPPED.sub(join, body.strip())


def is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or is_cjk_punct(char)


def is_cjk_punct(char: str) -> bool:
    return "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f" or char in "“”‘’—…"


class _KeepMissing(dict):
    """Leaves an unknown placeholder visible rather than failing in front of the user."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def show_value(value: Any, *, empty: str = "[]", most: int | None = None) -> str:
    """A value as people read it ('hflip, rotation', 'true'): lists comma-separated, `empty` for an empty one,
    and beyond `most` items the first few and the count (the rest is in config.yaml)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if not value:
            return empty
        if most is not None and len(value) > most:
            return ", ".join(str(v) for v in value[:most - 1]) + f", … ({len(value)} in all)"
        return ", ".join(str(v) for v in value)
    return str(value)


def fill(template: str, fields: dict[str, Any]) -> str:
    """`template` with its {placeholders} filled from `fields` (values shown as people read them; numbers in
    prose in their short form: 0.0003, 2)."""
    shown = {k: f"{v:g}" if isinstance(v, float) else show_value(v) for k, v in fields.items()}
    return template.format_map(_KeepMissing(shown))
