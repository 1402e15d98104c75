"""The text catalogues, loaded lazily, and placeholder filling: per language the knowledge and CLI texts
(texts/en.yaml, texts/zh.yaml) and the wizard's screens (texts/tui.en.yaml, texts/tui.zh.yaml)."""

from __future__ import annotations

import difflib
import functools
import string
from pathlib import Path
from typing import Any

from wizard.catalogue import fill, read_catalogue, unwrap
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
    "tui",
    "field_labels",
    "field_help",
)
_TEXTS_DIR = Path(__file__).parent / "texts"
_FILES: tuple[str, ...] = ("{lang}.yaml", "tui.{lang}.yaml")


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
    check_lang(lang)
    data: dict[str, Any] = {}
    for name in _FILES:
        data.update(read_catalogue(_TEXTS_DIR / name.format(lang=lang)))
    texts = {section: _section(data.get(section) or {}, markdown=section == "topics") for section in SECTIONS}
    if lang == BASE_LANG:  # English help is the answers model's docstrings; the catalogue holds only the UI's own
        texts["field_help"] = {**_docstring_help(), **texts["field_help"]}
    return texts


def _section(entries: dict[str, Any], *, markdown: bool) -> dict[str, str]:
    """Wrapped texts joined into lines; a one-line text kept as written (quotes keep its edge spaces: '; ')."""
    return {str(name): unwrap(str(body), markdown=markdown) if "\n" in str(body) else str(body)
            for name, body in entries.items()}


def _docstring_help() -> dict[str, str]:
    """The help line of each question in English: its field docstring in the answers model, on one line."""
    from wizard.answers import Answers, leaf_keys

    help_lines: dict[str, str] = {}
    for key in leaf_keys():
        if key == "version":  # the file format, not a question
            continue
        *parents, leaf = key.split(".")
        model: Any = Answers
        for part in parents:
            model = model.model_fields[part].annotation
        help_lines[key] = " ".join((model.model_fields[leaf].description or "").split())
    return help_lines


def text(lang: str, section: str, name: str, **fields: Any) -> str:
    """One text with its placeholders filled; falls back to English if a translation is missing."""
    entries = catalogue(lang)[section]
    template = entries.get(name)
    if template is None:
        template = catalogue(BASE_LANG)[section].get(name)
        if template is None:
            raise KeyError(f"no text {section}.{name}")
    return fill(template, fields)


def placeholders(template: str) -> set[str]:
    """The named fields a text uses (for the test that the translations use the same ones)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def source_label(source: str, lang: str = BASE_LANG) -> str:
    """Human text for where a value came from: 'answer' -> 'your answer', and so on."""
    return text(lang, "sources", source)
