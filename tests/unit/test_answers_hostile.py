"""Malformed and hostile answers files, --set values and file names: one clear message, exit code 2, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE, write_answers
from tests.unit.test_update import make_project
from wizard.answers import MAX_SLUG_LENGTH, parse_assignment, slugify, validate_answers
from wizard.errors import AnswersError
from wizard.safeyaml import MAX_BYTES, MAX_DEPTH, load_yaml

BOMB = (
    "project: {name: x}\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
)


def _new(run_cli, tmp_path: Path, text: str):
    answers = write_answers(tmp_path, text)
    return run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--dry-run", "--template",
                   MINI_TEMPLATE)


def _refused(result, *needles: str) -> str:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and result.err.startswith("error: ")
    for needle in needles:
        assert needle in result.err
    return result.err


@pytest.mark.parametrize(("text", "needles"), [
    (BOMB, ("line 3", "alias *a is not allowed")),
    ("project: {name: x}\nx: " + "[" * 5000 + "]" * 5000 + "\n", (f"nested more than {MAX_DEPTH} levels",)),
    ('project: {name: "a\\udc80"}\n', ("project.name", "lone surrogate")),
    ("project:\n  name: x\ntraining:\n  epochs: 3\n  epochs: 4\n",
     ("line 5", "key 'epochs' is given twice (first on line 4)")),
    ("project: {name: x}\nregularization: {early_stopping: {min_delta: .inf}}\n", ("min_delta", "finite number")),
    ("project: {name: x}\ntraining: {lr: .nan}\n", ("training.lr", "finite number")),
    ("project: {name: x}\ntraining: {batch_size: true}\n", ("training.batch_size", "yes/no value")),
    ("project: {name: x}\nregularization: {l2: false}\n", ("regularization.l2", "yes/no value")),
    ("project: {name: " + "a" * 300 + "}\n", ("project.name", "at most 200 characters")),
    ("project: {name: x, slug: " + "a" * 100 + "}\n", ("project.slug", f"at most {MAX_SLUG_LENGTH}")),
    ('project: {name: "x\\e]0;title\\a"}\n', ("project.name", r"control character '\x1b'")),
    ('project: {name: x, description: "a\\x7fb"}\n', ("project.description", r"'\x7f'")),
    ('project: {name: "a\\Lb"}\n', ("project.name", "line separator")),
    ('project: {name: x, author: "a\\nb"}\n', ("project.author", r"'\n'")),
], ids=["alias-bomb", "deep-nesting", "lone-surrogate", "duplicate-key", "inf-min-delta", "nan-lr", "true-as-int",
        "false-as-float", "name-300-chars", "slug-100-chars", "esc-in-name", "del-in-description",
        "line-separator-in-name", "newline-in-author"])
def test_malformed_answers_are_one_clear_error(text: str, needles: tuple[str, ...], tmp_path: Path,
                                               run_cli) -> None:
    _refused(_new(run_cli, tmp_path, text), *needles)


def test_an_answers_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path, run_cli) -> None:
    text = "project: {name: x}\n" + "# padding\n" * (MAX_BYTES // 10 + 1)
    _refused(_new(run_cli, tmp_path, text), f"allowed: an answers file of at most {MAX_BYTES:,} bytes")


def test_a_data_path_in_a_symlink_loop_is_named(tmp_path: Path, run_cli) -> None:
    os.symlink("loop", tmp_path / "loop")
    _refused(_new(run_cli, tmp_path, "project: {name: x}\ndata: {path: loop/images}\n"),
             "data.path: 'loop/images' is a symbolic link loop")


def test_description_keeps_tabs_and_anchors_alone_are_fine() -> None:
    data = load_yaml("project: &p {name: x, description: \"a\\tb\"}\n")
    assert validate_answers(data).project.description == "a\tb"


def test_long_names_give_a_slug_that_fits_every_file_system(tmp_path: Path, run_cli) -> None:
    assert len(slugify("叶" * 200)) <= MAX_SLUG_LENGTH
    assert len(slugify("9" * 300)) <= MAX_SLUG_LENGTH
    result = _new(run_cli, tmp_path, "project: {name: " + "叶" * 200 + "}\n")
    assert result.code == 0, result.err


def test_set_values_go_through_the_same_reader() -> None:
    assert parse_assignment("training.lr=*x") == ("training.lr", "*x")  # an alias is text, never expanded
    assert parse_assignment("x={a: 1, a: 2}") == ("x", "{a: 1, a: 2}")  # a duplicate key too
    with pytest.raises(AnswersError, match="finite number"):
        validate_answers({"project": {"name": "x"}, "training": {"lr": parse_assignment("k=.inf")[1]}})


@pytest.mark.parametrize(("assignment", "needles"), [
    ("regularization.early_stopping.min_delta=.inf", ("min_delta", "finite number")),
    ("training.batch_size=true", ("training.batch_size", "yes/no value")),
    ("training.epochs=*e", ("training.epochs",)),
    ("project.description=a\x1bb", ("project.description", r"'\x1b'")),
])
def test_update_set_values_are_checked_like_the_file(assignment: str, needles: tuple[str, ...], tmp_path: Path,
                                                      run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    err = _refused(run_cli("update", project, "--set", assignment, "--no-input"), *needles)
    assert "\x1b" not in err


def test_a_hand_edited_record_with_an_alias_bomb_is_refused(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path, run_cli)
    (project / ".trainwizard.yml").write_text(BOMB, encoding="utf-8")
    _refused(run_cli("update", project, "--no-input"), "alias *a is not allowed")


def test_error_messages_show_escape_sequences_escaped(tmp_path: Path, run_cli) -> None:
    hostile = tmp_path / "a\x1b]0;pwned\x07\x1b[2J.yml"
    result = run_cli("new", tmp_path / "out", "--answers", hostile, "--no-input")
    err = _refused(result, "no such answers file", r"\x1b]0;pwned\x07\x1b[2J")
    assert "\x1b" not in err and "\x07" not in err


HOSTILE_NAME = "x\x1b]0;pwned\x07\x1b[2J[bold]<b>|`"


def test_check_data_shows_hostile_file_and_folder_names_escaped(tmp_path: Path, run_cli) -> None:
    from markdown_it import MarkdownIt

    from tests.unit.datacheck_fixtures import imagefolder, write
    from wizard.datacheck import scan
    from wizard.datacheck.report_text import render_markdown

    root = imagefolder(tmp_path / "data", {"cat": 6, HOSTILE_NAME: 6})
    write(root / "cat" / f"{HOSTILE_NAME}.jpg", b"not an image")
    result = run_cli("check-data", root, "--no-cache", "--workers", "1")
    assert result.code == 1, result.err
    assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
    assert r"x\x1b]0;pwned\x07\x1b[2J[bold]<b>|`" in result.out  # the name shown, escaped, with its brackets

    as_json = run_cli("check-data", root, "--json", "--workers", "1")
    assert "\x1b" not in as_json.out and "\x07" not in as_json.out
    assert HOSTILE_NAME in json.loads(as_json.out)["splits"]["train"]

    markdown = render_markdown(scan(str(root), use_cache=False, workers=1))
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    html = [t for t in tokens if t.type == "html_block"]
    html += [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert html == [] and "\x1b" not in markdown
