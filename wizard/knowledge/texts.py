"""The text catalogues (texts/en.yaml, texts/zh.yaml), loaded lazily, and placeholder filling."""

from __future__ import annotations

import difflib
import functools
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from wizard.errors import UsageError

LANGS: tuple[str, ...] = ("en", "zh")
BASE_LANG = "en"
SECTIONS: tuple[str, ...] = (
    "sources",
    "titles",
    "reasons",
    "alternatives",
    "warnings",
    "topic_titles",
    "topics",
    "ui",
)
_TEXTS_DIR = Path(__file__).parent / "texts"


def check_lang(lang: str) -> str:
    """The language code itself, or a UsageError listing the languages there are."""
    if lang not in LANGS:
        base = str(lang).lower().replace("_", "-").split("-")[0]  # 'zh-CN', 'en_US' -> the language itself
        hint = [base] if base in LANGS else difflib.get_close_matches(str(lang), LANGS, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        raise UsageError(f"language {lang!r} is not available{suggestion} (available: {', '.join(LANGS)})")
    return lang


@functools.cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """Every text of one language: section -> name -> text (read once per process)."""
    import yaml

    check_lang(lang)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(_TEXTS_DIR / f"{lang}.yaml", encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)
    return {section: _section(data.get(section) or {}, markdown=section == "topics") for section in SECTIONS}


def _section(entries: dict[str, Any], *, markdown: bool) -> dict[str, str]:
    return {str(name): _unwrap(str(body).strip(), markdown=markdown) for name, body in entries.items()}


_WRAPPED = re.compile(r"(\S)\n([ \t]*)(?=(\S))")


def _unwrap(body: str, *, markdown: bool) -> str:
    """Join the catalogue's wrapped lines: one line per paragraph for reasons, warnings and the like.

    A break between two Chinese characters (or next to Chinese punctuation) joins without a space; one
    between Latin words becomes a space. Markdown topics keep their lines, except breaks inside Chinese
    text, which a Markdown renderer would show as a stray space between two characters.
    """

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(3)
        tight = _is_cjk_punct(before) or _is_cjk_punct(after) or (_is_cjk(before) and _is_cjk(after))
        if tight and (not markdown or _is_cjk(after)):
            return before
        return match.group(0) if markdown else before + " "

    return _WRAPPED.sub(join, body)


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or _is_cjk_punct(char)


def _is_cjk_punct(char: str) -> bool:
    return "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f" or char in "“”‘’—…"


class _KeepMissing(dict):
    """Leaves an unknown placeholder visible rather than failing in front of the user."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(lang: str, section: str, name: str, **fields: Any) -> str:
    """One text with its placeholders filled; falls back to English if a translation is missing."""
    entries = catalogue(lang)[section]
    template = entries.get(name)
    if template is None:
        template = catalogue(BASE_LANG)[section].get(name)
        if template is None:
            raise KeyError(f"no text {section}.{name}")
    return template.format_map(_KeepMissing({k: _show(v) for k, v in fields.items()}))


def placeholders(template: str) -> set[str]:
    """The named fields a text uses (for the test that the translations use the same ones)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "[]"
    return str(value)


def show_value(value: Any) -> str:
    """A value as people read it in reasons and in the README ('0.0003', 'hflip, rotation', 'true')."""
    return _show(value)


def source_label(source: str, lang: str = BASE_LANG) -> str:
    """Human text for where a value came from: 'answer' -> 'your answer', and so on."""
    return text(lang, "sources", source)


class _SourceLabels(Mapping):
    """SOURCE_LABELS[source] is the English label; SOURCE_LABELS[lang][source] the label in that language."""

    def __getitem__(self, key: str) -> Any:
        if key in LANGS:
            return dict(catalogue(key)["sources"])
        return source_label(key, BASE_LANG)

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue(BASE_LANG)["sources"])

    def __len__(self) -> int:
        return len(catalogue(BASE_LANG)["sources"])


SOURCE_LABELS: Mapping[str, Any] = _SourceLabels()
