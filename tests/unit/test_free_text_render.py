"""Acceptance (issue 18): arbitrary text in every free-text answer is refused clearly, or renders a project whose
every file parses with its own parser, shows the text literally (never executed) and records it exactly."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.unit.test_escape import SNIPPETS, TEXT
from wizard.answers import validate_answers
from wizard.errors import AnswersError
from wizard.escape import is_control
from wizard.knowledge import resolve
from wizard.render import default_template
from wizard.render.engine import render_tree

FREE_TEXT = ("project.name", "project.description", "project.author", "data.label_column")
PRINTABLE_CHAR = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")).filter(lambda c: not is_control(c))
PRINTABLE = st.lists(
    st.one_of(st.sampled_from([s for s in SNIPPETS if not any(is_control(c) for c in s)]),
              st.text(PRINTABLE_CHAR, max_size=4)),
    max_size=8,
).map("".join)
# Half the examples are all printable (they render), half may hold anything (most are refused).
ANSWER_TEXTS = st.one_of(
    st.fixed_dictionaries({key: PRINTABLE for key in FREE_TEXT}),
    st.fixed_dictionaries({key: st.one_of(PRINTABLE, TEXT) for key in FREE_TEXT}),
)


def _expected_problem(key: str, text: str) -> bool:
    allowed = "\t" if key == "project.description" else ""
    if any(is_control(c) and c not in allowed for c in text):
        return True
    return key == "project.name" and (not text.strip() or len(text) > 200)


def _shown(text: str) -> str:
    return " ".join(text.split())


def _parse_every_file(root: Path) -> dict[str, object]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    parsed: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".toml", ".yml", ".yaml", ".py", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".toml":
            parsed[rel] = tomllib.loads(text)
        elif path.suffix in (".yml", ".yaml"):
            parsed[rel] = yaml.safe_load(text)
        elif path.suffix == ".py":
            parsed[rel] = ast.parse(text, filename=rel)
        else:
            parsed[rel] = MarkdownIt("commonmark").enable("table").parse(text)
    return parsed


def _html(tokens) -> list[str]:
    found = [t.content for t in tokens if t.type == "html_block"]
    return found + [c.content for t in tokens if t.children for c in t.children if c.type == "html_inline"]


def _render(answers_data: dict, tmp: Path) -> tuple[Path, dict[str, object]]:
    answers = validate_answers(answers_data, partial=True)
    root = render_tree(resolve(answers, None, lang="en"), tmp / "project", tmp / "out", template=default_template())
    return root, _parse_every_file(root)


# Rendered once with plain text: the HTML the README itself holds, so hostile text can be shown to add none.
@pytest.fixture(scope="module")
def baseline_html() -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        found = {}
        for task in ("image-classification", "tabular-classification"):
            _, parsed = _render({"project": {"name": "Plain"}, "task": task}, Path(tmp) / task)
            found[task] = _html(parsed["README.md"])
        return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=ANSWER_TEXTS,
    task=st.sampled_from(["image-classification", "tabular-classification"]),
)
def test_free_text_is_refused_clearly_or_rendered_literally(texts: dict[str, str], task: str,
                                                            baseline_html: dict[str, list[str]]) -> None:
    name, description, author, label_column = (texts[key] for key in FREE_TEXT)
    data = {"project": {"name": name, "description": description, "author": author}, "task": task,
            "data": {"label_column": label_column}}
    refused = {key for key in FREE_TEXT if _expected_problem(key, texts[key])}
    event("refused" if refused else "rendered")
    if refused:
        with pytest.raises(AnswersError) as caught:
            validate_answers(data, partial=True)
        assert {key for key, _ in caught.value.problems} == refused
        return

    with tempfile.TemporaryDirectory() as tmp:
        root, parsed = _render(data, Path(tmp))
        slug = (yaml.safe_load((root / ".trainwizard.yml").read_text(encoding="utf-8")))["project"]["slug"]

        # The record round-trips to the same answers.
        record = parsed[".trainwizard.yml"]
        assert validate_answers(record).project.model_dump() == validate_answers(data, partial=True).project.model_dump()
        assert record["data"]["label_column"] == label_column

        # TOML and YAML hold the text exactly.
        meta = parsed["pyproject.toml"]["project"]
        assert meta["description"] == (description or name)
        assert meta.get("authors", [{"name": ""}])[0]["name"] == author
        assert parsed["config.yaml"]["data"]["label_column"] == label_column

        # Python holds it exactly: the Jinja payload is a literal, never evaluated.
        init = parsed[f"src/{slug}/__init__.py"]
        project_name = next(n.value for n in init.body if isinstance(n, ast.Assign)
                            and getattr(n.targets[0], "id", "") == "PROJECT_NAME")
        assert ast.literal_eval(project_name) == name

        # Markdown shows the text as text: the heading reads the name, and no HTML comes from the answers.
        readme = parsed["README.md"]
        heading = next(readme[i + 1] for i, t in enumerate(readme) if t.type == "heading_open" and t.tag == "h1")
        assert "".join(c.content for c in heading.children if c.type in ("text", "code_inline")) == _shown(name)
        assert _html(readme) == baseline_html[task]
