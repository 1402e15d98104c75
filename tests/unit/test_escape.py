"""Each escaping helper, fed arbitrary text, gives back exactly that text through its format's own parser."""

from __future__ import annotations

import ast
import importlib.util

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wizard.escape import (
    for_terminal,
    is_control,
    json_for_terminal,
    md_code,
    md_text,
    py_literal,
    toml_string,
    yaml_dump,
    yaml_value,
)
from wizard.render import default_template

SNIPPETS = [
    "\x00", "\x07", "\x1b[31m", "\x1b]0;title\x07", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffe",
    "\ud800", "\udc80", "\t", "\n", "\r", "{{ 7*7 }}", "{% raw %}", "{#", "<script>", "</p>", "&amp;", "`", "``",
    "*", "_", "[x](y)", "#", "|", "\\", '"', "'", "- ", "1. ", "===", "    ", "\xa0", "[bold]", "\U0001f600",
]
ANY_CHAR = st.characters(exclude_categories=())  # surrogates included
TEXT = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(ANY_CHAR, max_size=4)), max_size=8).map("".join)
CHEAP = settings(max_examples=300, deadline=None)


def _template_filters():
    spec = importlib.util.spec_from_file_location("local_extensions", default_template() / "local_extensions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FILTERS = _template_filters()


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@CHEAP
@given(TEXT)
def test_toml_string_reads_back_exactly(text: str) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    if _has_surrogate(text):
        with pytest.raises(ValueError, match="lone surrogate"):
            toml_string(text)
        return
    assert tomllib.loads(f"key = {toml_string(text)}\n")["key"] == text


@CHEAP
@given(TEXT)
def test_yaml_value_and_yaml_dump_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_value(text)}  # comment\n")["key"] == text
    data = {"project": {"name": text, "tags": [text, 1.5e-05, True]}, text: None}
    assert yaml.safe_load(yaml_dump(data)) == data
    yaml_dump(data).encode("utf-8")  # writable as UTF-8: surrogates are escaped, not emitted


@CHEAP
@given(TEXT)
def test_python_literal_reads_back_exactly_and_is_valid_utf8_source(text: str) -> None:
    source = f"NAME = {py_literal(text)}\n"
    source.encode("utf-8")
    assert ast.literal_eval(ast.parse(source).body[0].value) == text


def _inline_text(tokens) -> str:
    return "".join(c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "text")


def _html(tokens) -> list[str]:
    found = [t.content for t in tokens if t.type == "html_block"]
    return found + [c.content for t in tokens if t.children for c in t.children if c.type == "html_inline"]


def _shown(text: str) -> str:
    """What the Markdown helpers show: one line, control characters as their escapes."""
    return "".join(for_terminal(c, keep_newlines=False) if is_control(c) else c for c in " ".join(text.split()))


@CHEAP
@given(TEXT)
def test_markdown_text_shows_the_text_and_no_html(text: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(f"{md_text(text)}\n")
    assert _html(tokens) == []
    assert [t.type for t in tokens if t.type != "inline"] in ([], ["paragraph_open", "paragraph_close"])
    assert _inline_text(tokens) == _shown(text)
    heading = MarkdownIt("commonmark").parse(f"# {md_text(text)}\n")
    assert _inline_text(heading) == _shown(text)


@CHEAP
@given(TEXT)
def test_markdown_code_span_shows_the_text_verbatim(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(f"see {md_code(text)} here\n")
    spans = [c for t in tokens if t.type == "inline" for c in t.children if c.type == "code_inline"]
    assert len(spans) == 1 and spans[0].content == (_shown(text) or " ")


@CHEAP
@given(TEXT)
def test_terminal_text_holds_no_control_character(text: str) -> None:
    shown = for_terminal(text)
    assert not any(is_control(c) and c not in "\n\t" for c in shown)
    shown.encode("utf-8")  # printable on a UTF-8 terminal: no lone surrogates
    if not any(is_control(c) for c in text):
        assert for_terminal(text) == text


@CHEAP
@given(TEXT)
def test_json_for_terminal_loads_back_and_holds_no_control_character(text: str) -> None:
    import json

    data = {"path": text, text: [text, 1]}
    shown = json_for_terminal(data)
    assert not any(is_control(c) and c != "\n" for c in shown)
    # as json.dumps itself round-trips: JSON cannot tell a lone high and a lone low surrogate in a row from the
    # pair they make (file names decoded with surrogateescape only ever carry low ones)
    assert json.loads(shown) == json.loads(json.dumps(data))


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_template_filters_agree_with_wizard_escape(text: str) -> None:
    # The template cannot import trainwizard (plain cookiecutter renders it): its filters are copies.
    assert FILTERS.yamlval(text) == yaml_value(text)
    assert FILTERS.mdtext(text) == md_text(text)
    assert FILTERS.mdcode(text) == md_code(text)
    assert FILTERS.pyrepr(text) == py_literal(text)
    if not _has_surrogate(text):
        assert FILTERS.tomlstr(text) == toml_string(text)


def test_python_literals_use_the_quotes_ruff_format_writes() -> None:
    assert py_literal("Leaf {{ 7*7 }}") == '"Leaf {{ 7*7 }}"'
    assert py_literal("it's") == '"it\'s"'
    assert py_literal('say "hi"') == "'say \"hi\"'"  # double quotes inside: single quotes need no escape
    assert py_literal(["a", {"b": "c\\d"}]) == '["a", {"b": "c\\\\d"}]'
    tie = "end " + '"' * 3 + "doc" + "'" * 3 + " here"  # as many double quotes as single: double, as ruff writes
    assert py_literal(tie) == '"end ' + '\\"' * 3 + "doc''' here" + '"'
