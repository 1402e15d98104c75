"""The vocabulary is the one home of task names, backbone names and the band thresholds: a copy of one of them
anywhere else in wizard/ fails here, as does a change of meaning in the bands or the "applies when" table."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from wizard import vocabulary
from wizard.vocabulary import applies, data_band, imbalance_band

WIZARD = Path(vocabulary.__file__).parent
NAMES = frozenset(vocabulary.TASKS + vocabulary.BACKBONES)
THRESHOLDS = frozenset({
    vocabulary.MIN_PER_CLASS, vocabulary.FEW_PER_CLASS, vocabulary.PLENTY_PER_CLASS, vocabulary.REGRESSION_SCALE,
    vocabulary.BALANCED_MAX, vocabulary.WEIGHTS_MAX, vocabulary.OVERSAMPLE_MAX,
})
# A threshold number is a finding where it is compared with (`ratio > 100`, but not a length: `len(x) == 3`)
# or bound to a module-level constant (`FEW_PER_CLASS = 100`). Elsewhere small round numbers are everyday
# values (slices, widths), so they are not judged. These constants share a value with a band threshold but
# mean something else; each is named, so a new copy of a threshold cannot hide among them.
OTHER_CONCEPTS = {
    ("knowledge/rules_training.py", "EPOCHS_MANY"),  # an epoch count, not a data size
    ("knowledge/rules_training.py", "TABLE_PATIENCE_STEPS"),  # optimizer steps of patience
    ("knowledge/rules_regularization.py", "PATIENCE_MIN"),  # epochs of patience
    ("knowledge/rules_regularization.py", "PATIENCE_MAX"),
    ("knowledge/rules_model.py", "SMALL_TABLE_ROWS"),  # the MLP's width by table rows
    ("datacheck/capacity.py", "MAX_PARAMS_PER_SAMPLE"),  # model size per sample, not samples per class
    ("knowledge/situation.py", "_ratio"),  # from 10:1 on a ratio is printed without decimals
    ("datacheck/label_values.py", "SHOWN_PER_KIND"),  # examples shown
    ("tui/widgets/report.py", "MAX_EXAMPLES"),
    ("datacheck/manifest.py", "MAX_FOLDERS_FOR_UNLISTED"),  # folders listed when looking for images
    ("datacheck/cache.py", "CACHE_FORMAT"),  # a file format's version
    ("datacheck/quality_checks.py", "LOW_INFORMATION_STD"),  # brightness levels
    ("datacheck/quality_checks.py", "MIN_IMAGES_TO_COMPARE"),  # images a set-relative check needs
    ("datacheck/thumbnail.py", "_sharpness"),
    ("datacheck/near_duplicates.py", "SPREAD_MARGIN"),  # hash bits
    ("datacheck/near_duplicates.py", "MIN_SPREAD_SET"),  # distinct images needed to judge their spread  # pixels (a 3x3 Laplacian) and brightness levels
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        for statement in body if isinstance(body, list) else []:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                found.add(id(statement.value))
    return found


def _owner(tree: ast.Module, node: ast.AST) -> str:
    """The module-level constant or function that holds `node`."""
    for statement in tree.body:
        if any(inner is node for inner in ast.walk(statement)):
            if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                return statement.name
            targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
            names = [t.id for target in targets if target is not None for t in ast.walk(target) if isinstance(t, ast.Name)]
            return names[0] if names else ""
    return ""


def _is_number(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value in THRESHOLDS)


def _is_len(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def literal_copies() -> list[str]:
    found = []
    for path in sorted(WIZARD.rglob("*.py")):
        relative = path.relative_to(WIZARD).as_posix()
        if relative == "vocabulary.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        numbers = [operand for compare in ast.walk(tree) if isinstance(compare, ast.Compare)
                   and not any(_is_len(side) for side in (compare.left, *compare.comparators))
                   for operand in (compare.left, *compare.comparators) if _is_number(operand)]
        numbers += [s.value for s in tree.body if isinstance(s, (ast.Assign, ast.AnnAssign)) and s.value is not None
                    and _is_number(s.value)]
        for node in numbers:
            if (relative, _owner(tree, node)) not in OTHER_CONCEPTS:
                found.append(f"{relative}:{node.lineno}: threshold {node.value!r}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in NAMES and id(node) not in docstrings:
                found.append(f"{relative}:{node.lineno}: {node.value!r}")
    return sorted(found)


def test_task_backbone_and_threshold_literals_live_only_in_the_vocabulary() -> None:
    assert literal_copies() == []


def test_the_check_finds_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "vocabulary.py").write_text("TASK = 'mlp'\n")
    (tmp_path / "copy.py").write_text('"""Docstrings may say image-multilabel or resnet50."""\n'
                                      "BACKBONE = 'resnet50'\nFEW = 100\n\ndef few(n):\n    return n < 100\n")
    monkeypatch.setattr(f"{__name__}.WIZARD", tmp_path)
    assert literal_copies() == ["copy.py:2: 'resnet50'", "copy.py:3: threshold 100", "copy.py:6: threshold 100"]


@pytest.mark.parametrize(("per_class", "regression", "band"), [
    (None, False, None), (99, False, "few"), (100, False, "some"), (999.5, False, "some"), (1000, False, "plenty"),
    (999, True, "few"), (1000, True, "some"), (10_000, True, "plenty"),
])
def test_data_bands(per_class: float | None, regression: bool, band: str | None) -> None:
    assert data_band(per_class, regression=regression) == band


@pytest.mark.parametrize(("ratio", "smallest", "band"), [
    (None, 5, None), (3.0, 50, "none"), (3.1, 50, "class-weights"), (10.0, 50, "class-weights"),
    (10.5, 50, "oversample"), (100.0, 50, "oversample"), (101.0, 50, "collect-more-data"),
    (1.0, 9, "collect-more-data"),
])
def test_imbalance_bands(ratio: float | None, smallest: int | None, band: str | None) -> None:
    assert imbalance_band(ratio, smallest) == band


def test_applies_when() -> None:
    image_csv = {"task": "image-multilabel", "data.layout": "auto", "data.path": "/data/labels.CSV"}
    assert applies("data.label_columns", image_csv) and applies("data.label_column", image_csv)
    assert not applies("data.label_columns", {**image_csv, "data.path": "/data/images"})
    assert applies("data.label_column", {"task": "tabular-regression", "data.layout": "auto", "data.path": "x"})
    assert not applies("imbalance.strategy", {"task": "tabular-regression"})
    assert applies("imbalance.strategy", {"task": "tabular-classification"})
    assert applies("model.unfreeze_epoch", {"model.freeze": "gradual"})
    assert not applies("model.unfreeze_epoch", {"model.freeze": "early-layers"})
    assert not applies("regularization.early_stopping.patience", {"regularization.early_stopping.enabled": False})
    assert applies("imbalance.focal_gamma", {}), "a value the table needs is missing: the question shows"
    assert applies("training.lr", {}), "keys the table does not list always apply"


def test_applies_when_names_real_keys_and_values() -> None:
    from wizard.answers import leaf_keys

    keys = set(leaf_keys())
    for key, conditions in vocabulary.APPLIES_WHEN.items():
        assert key in keys
        for condition in conditions:
            assert set(condition) <= keys | {vocabulary.CSV_DATA}, key


def test_the_vocabulary_needs_only_the_standard_library() -> None:
    tree = ast.parse(Path(vocabulary.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_combination_rows_name_real_keys() -> None:
    from wizard.answers import leaf_keys
    from wizard.combinations import COMBINATIONS

    assert {row.key for row in COMBINATIONS} <= set(leaf_keys())
