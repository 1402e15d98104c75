"""Text written where it cannot break out: TOML and YAML values, Markdown, Python literals and the terminal.

One helper per destination. The pytorch template cannot import trainwizard (plain cookiecutter renders it), so
its Jinja filters in templates/pytorch/local_extensions.py carry their own copies of toml_string, yaml_value,
md_text, md_code and py_literal; tests/unit/test_escape.py checks that the copies agree with these.
Where Rich prints a name, it goes through for_terminal and into a rich.text.Text, which never reads markup,
so a file called "[bold]x" shows as such.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import cache
from typing import Any

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\x85\u2028\u2029")


def _hex_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def is_control(char: str) -> bool:
    """C0, DEL and C1 control characters, lone surrogates, line/paragraph separators and bidi overrides."""
    return (
        unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or char in _BIDI_CONTROLS
    )


def for_terminal(text: str, *, keep_newlines: bool = True) -> str:
    """Text safe to print: control characters (ESC, CSI, C1, DEL, CR ...) and lone surrogates are shown escaped
    like \\x1b, never emitted raw; newlines (when kept) and tabs stay."""
    kept = "\n\t" if keep_newlines else "\t"
    return "".join(_hex_escape(c) if is_control(c) and c not in kept else c for c in str(text))


def json_for_terminal(data: Any, *, indent: int = 2) -> str:
    """JSON to print: readable Unicode, but control characters, C1, DEL and lone surrogates as \\u escapes
    (json.dumps leaves DEL, C1 such as CSI and U+2028 raw). Still valid JSON that loads back equal."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if is_control(c) and c != "\n" else c for c in text)


def toml_string(text: str) -> str:
    """A TOML basic string ("...") holding `text` exactly; control characters and DEL are \\u-escaped."""
    out = []
    for char in str(text):
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"a lone surrogate ({_hex_escape(char)}) cannot be written in TOML")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _yaml_printable(char: str) -> bool:
    # PyYAML's reader refuses characters outside this set, and reads \x85, \u2028, \u2029 as line breaks.
    code = ord(char)
    return (
        0x20 <= code <= 0x7E or code == 0x09 or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and char not in _LINE_BREAKS and char != "\ufeff"


def yaml_value(value: Any) -> str:
    """A one-line YAML value (flow style): strings always double-quoted with every non-printable character
    escaped, floats always read back as floats, non-finite numbers refused."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a YAML number")
        text = repr(value)
        # YAML 1.1 (PyYAML) reads 1e-05 as a string: it needs a dot in the mantissa.
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        body = "".join(
            "\\" + c if c in '"\\' else c if _yaml_printable(c) else _hex_escape(c) for c in value
        )
        return f'"{body}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_value(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no YAML value for {type(value).__name__}")


@cache
def _text_dumper() -> type:
    """safe_dump's Dumper, never writing aliases, and double-quoting the strings a plain or single-quoted
    scalar would not give back (line separators, NEL, control characters). Built on first use: the CLI's
    startup does not import yaml."""
    import yaml

    class SafeTextDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = None if all(_yaml_printable(c) or c == "\n" for c in value) else '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    SafeTextDumper.add_representer(str, represent_str)
    return SafeTextDumper


def yaml_dump(data: Any) -> str:
    """YAML text of plain data (keys in the given order) that yaml.safe_load reads back equal, whatever
    characters the strings hold."""
    import yaml

    return yaml.dump(data, Dumper=_text_dumper(), sort_keys=False, allow_unicode=True, width=100)


_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|~&")


def md_text(value: Any) -> str:
    """Free text for Markdown prose on one line: whitespace runs become one space, Markdown and HTML
    characters are backslash-escaped (so `<b>` shows as text), control characters are shown escaped."""
    text = " ".join(str(value).split())
    text = "".join(
        "\\" + c if c in _MARKDOWN_SPECIAL else _hex_escape(c) if is_control(c) else c for c in text
    )
    # Text that starts like a list item, a thematic break or a setext underline stays a paragraph.
    marker = re.match(r"\d{1,9}(?=[.)])|(?=[-+=])", text)
    return text if marker is None else text[:marker.end()] + "\\" + text[marker.end():]


def md_code(value: Any) -> str:
    """Text as an inline Markdown code span (shown verbatim, never as HTML), whatever backticks it holds."""
    text = "".join(_hex_escape(c) if is_control(c) else c for c in " ".join(str(value).split()))
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "` `"


def py_literal(value: Any) -> str:
    """A Python literal for a value: free text can never break out of its string, whatever it contains."""
    if isinstance(value, str):
        # repr() escapes quotes, backslashes, line breaks and non-printable characters (lone surrogates too),
        # so the literal is valid UTF-8 source; `{{ }}` inside stays inert text.
        # The quotes ruff format chooses: double, unless the text holds more double quotes than single ones.
        # repr() chooses single quotes unless the text holds one and no double quote; its single-quoted form
        # escapes every ' (always as \', a backslash itself being \\), so swapping the escapes is exact.
        literal = repr(value)
        if literal.startswith("'") and value.count('"') <= value.count("'"):
            return '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        return literal
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a Python literal")
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for {type(value).__name__}")
