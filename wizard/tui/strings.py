"""Provides the UI's texts, which live in the catalogues (wizard/knowledge/texts/tui.en.yaml, tui.zh.yaml)."""

from __future__ import annotations

from typing import Any

from wizard.knowledge.texts import BASE_LANG, LANGS, catalogue


def _section(lang: str, section: str) -> dict[str, str]:
    return catalogue(lang if lang in LANGS else BASE_LANG)[section]


def t(lang: str, name: str, **fields: Any) -> str:
    """One UI text in `lang` (English when missing), with its placeholders filled."""
    template = _section(lang, "tui").get(name) or _section(BASE_LANG, "tui")[name]
    return template.format(**fields) if fields else template


def label(lang: str, key: str) -> str:
    """The short label of an answers key."""
    return _section(lang, "field_labels").get(key) or _section(BASE_LANG, "field_labels").get(key, key)


def help_text(lang: str, key: str) -> str:
    """The help line of a question (in English, the answers model's docstring unless the UI says otherwise)."""
    return _section(lang, "field_help").get(key) or _section(BASE_LANG, "field_help")[key]


def validation_message(lang: str, kind: str, context: dict[str, Any], english: str) -> str:
    """A problem the answers model found with one value, in `lang`: its catalogue text when the kind of
    problem has one (placeholders from pydantic's context), else the model's English message."""
    name = f"validation.{kind}"
    if lang == BASE_LANG or name not in _section(lang, "tui"):
        return english
    try:
        return t(lang, name, **context)
    except (KeyError, IndexError):
        return english
