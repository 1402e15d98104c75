"""One data convention: the data check and the generated project read the same split columns, split values
and missing-value markers."""

from __future__ import annotations

import ast
import re

from wizard.datacheck.csvtable import MISSING, SPLIT_COLUMNS, VALID_FLAGS, Table, find_split_column, split_of
from wizard.datacheck.dataset import SPLIT_ALIASES
from wizard.render import default_template


def _template_constants() -> dict[str, object]:
    path = next((default_template() / "{{cookiecutter.slug}}" / "src" / "{{cookiecutter.slug}}").glob("splits.py"))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}


def test_the_generated_project_reads_the_split_columns_and_values_the_scan_reads() -> None:
    constants = _template_constants()
    assert constants["SPLIT_COLUMNS"] == SPLIT_COLUMNS
    assert constants["VALID_FLAGS"] == VALID_FLAGS
    aliases = {name: split for split, names in constants["SPLIT_NAMES"].items() for name in names}
    assert aliases == SPLIT_ALIASES


def test_split_values_and_flags() -> None:
    assert [split_of(v, "split") for v in ("train", " Valid ", "DEV", "testing", "", "holdout")] == \
        ["train", "val", "val", "test", "train", None]
    assert [split_of(v, "is_valid") for v in ("True", "1", "yes", "false", "0", "")] == \
        ["val", "val", "val", "train", "train", "train"]
    table = Table(path=None, header=["x", "ML_USE", "label"], rows=[])  # type: ignore[arg-type]
    assert find_split_column(table) == "ML_USE"


def test_the_generated_project_reads_the_missing_values_the_scan_reads() -> None:
    package = default_template() / "{{cookiecutter.slug}}" / "src" / "{{cookiecutter.slug}}"
    source = next(p for p in package.iterdir() if p.name.endswith("tabular.py{% endif %}")).read_text(encoding="utf-8")
    found = re.search(r"^MISSING = (frozenset\(\{.*?\}\))", source, re.MULTILINE)
    assert found is not None
    assert ast.literal_eval(found.group(1).removeprefix("frozenset(").removesuffix(")")) == MISSING
