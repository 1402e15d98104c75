"""The bundled template stays easy to edit: little control flow, one file per concept, task families apart."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from wizard.render import default_template

REPO = Path(__file__).resolve().parents[2]
MOST_CONTROL = 0.06  # share of the template's lines that may carry `{%`: 14.6 % before issue 19, 5.8 % now (issue 19's bar)
FAMILY_BLOCK_MOST = 20  # lines a task-family condition may guard at once (the longest now: 12, in single_label/task.py);
# longer is a file of its own: the family's partial
FAMILY_TEST = re.compile(r"\bf\.(image|tabular|family)\b|cookiecutter\.task\b|\bc\.task\b")
TAG = re.compile(r"{%-?\s*(if|elif|else|endif|for|endfor)\b(.*?)-?%}")


def _template_stats():
    spec = importlib.util.spec_from_file_location("template_stats", REPO / "scripts" / "template_stats.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_control_flow_stays_a_small_share_of_the_template() -> None:
    counts = _template_stats().control_lines(default_template())
    control = sum(c for c, _ in counts.values())
    total = sum(t for _, t in counts.values())
    assert control / total <= MOST_CONTROL, f"{control} of {total} lines carry {{%"


def family_blocks(text: str) -> list[tuple[int, int]]:
    """(first line, lines guarded) of each `{% if %}` on the task family, else-branches included."""
    stack: list[tuple[bool, int]] = []
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for keyword, condition in TAG.findall(line):
            if keyword in ("if", "for"):
                stack.append((keyword == "if" and bool(FAMILY_TEST.search(condition)), number))
            elif keyword in ("elif",) and FAMILY_TEST.search(condition) and stack:
                stack[-1] = (True, stack[-1][1])
            elif keyword in ("endif", "endfor") and stack:
                is_family, start = stack.pop()
                if is_family:
                    found.append((start, number - start))
    return found


def test_no_file_is_two_files_in_one() -> None:
    """A task family's own code lives in its own partial (templates/<family>/), not behind one long `if`."""
    too_long = {
        path.relative_to(default_template()).as_posix(): [b for b in family_blocks(path.read_text()) if b[1] > FAMILY_BLOCK_MOST]
        for path in default_template().rglob("*")
        if path.is_file() and path.suffix in (".py", ".md", ".yaml", ".toml")
    }
    assert {name: blocks for name, blocks in too_long.items() if blocks} == {}


def test_family_blocks_are_measured() -> None:
    text = "{%- if f.tabular %}\n" + "x\n" * 50 + "{%- else %}\ny\n{%- endif %}\n{% if f.l1 %}\nz\n{% endif %}\n"
    assert family_blocks(text) == [(1, 53)]
