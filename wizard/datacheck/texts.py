"""Provides the data checks' texts in English and Chinese (texts/en.yaml, texts/zh.yaml): the findings'
titles and advice, the imbalance bands, the errors that stop a scan, and the words inside examples."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from wizard.catalogue import fill, read_catalogue, unwrap
from wizard.errors import DataError

LANGS = ("en", "zh")
SECTIONS = ("titles", "advice", "bands", "errors")
_DIR = Path(__file__).parent / "texts"


@functools.cache
def catalogue(lang: str) -> dict[str, Any]:
    """section -> key -> text for one language (English where `lang` is unknown)."""
    data = read_catalogue(_DIR / f"{lang if lang in LANGS else 'en'}.yaml")
    texts: dict[str, Any] = {s: {str(k): unwrap(str(v)) for k, v in (data.get(s) or {}).items()} for s in SECTIONS}
    texts["examples"] = [(re.compile(pattern), replacement) for pattern, replacement in data.get("examples") or []]
    return texts


def text(lang: str, section: str, key: str, params: dict[str, Any] | None = None) -> str:
    """One text with its placeholders filled (English if the language lacks it)."""
    template = catalogue(lang)[section].get(key)
    if template is None:
        template = catalogue("en")[section][key]
    return fill(template, params or {})


def example(lang: str, shown: str) -> str:
    """An example as shown in `lang`: the few English words examples carry ('row 5', '(truncated)') replaced."""
    for pattern, replacement in catalogue(lang)["examples"]:
        shown = pattern.sub(replacement, shown)
    return shown


def data_error(key: str, **params: Any) -> DataError:
    """The DataError `errors.<key>` (English message; the key and params let a UI show it in its language)."""
    error = DataError(text("en", "errors", key, params))
    error.key, error.params = key, params
    return error


def error_text(lang: str, key: str | None, params: dict[str, Any] | None, fallback: str) -> str:
    """A scan error in `lang`, from its key (the English `fallback` for errors without one)."""
    if not key or key not in catalogue("en")["errors"]:
        return fallback
    return text(lang, "errors", key, params)
