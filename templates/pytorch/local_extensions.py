"""Jinja filters of the pytorch template: free text and numbers written safely into Python, YAML and Markdown."""
# The context this template receives, and the filters below, are described in CONTRACT.md beside this file.

from __future__ import annotations

import json
import math
from typing import Any

from jinja2.ext import Extension


def pyrepr(value: Any) -> str:
    """A Python literal for a value: free text can never break out of its string, whatever it contains."""
    if isinstance(value, str):
        # repr() escapes quotes, backslashes and newlines; `{{ }}` inside stays inert text. Lone surrogates
        # cannot be written as UTF-8 source, so such text falls back to an all-ASCII literal.
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return ascii(value)
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a Python literal")
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for {type(value).__name__}")


def yamlval(value: Any) -> str:
    """A one-line YAML value (flow style); strings are always quoted, floats always read back as floats."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        text = repr(value)
        # YAML 1.1 (PyYAML) reads 1e-05 as a string: it needs a dot in the mantissa.
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yamlval(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yamlval(str(k))}: {yamlval(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no YAML value for {type(value).__name__}")


def mdtext(value: Any) -> str:
    """Free text for Markdown prose: one line, markup characters escaped."""
    text = " ".join(str(value).split())
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def as_float(value: Any) -> float:
    """A float from a number or its text (plain `cookiecutter --no-input` passes numbers as text)."""
    return float(value)


def as_int(value: Any) -> int:
    """An int from a number or its text."""
    return int(float(value))


def as_bool(value: Any) -> bool:
    """A bool from a bool or its text ('true', 'False', '1' ...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


class TrainwizardExtension(Extension):
    """Registers the filters above on the template environment."""

    def __init__(self, environment):  # noqa: ANN001 - jinja2's signature
        super().__init__(environment)
        environment.filters.update(
            pyrepr=pyrepr, yamlval=yamlval, mdtext=mdtext, as_float=as_float, as_int=as_int, as_bool=as_bool
        )
