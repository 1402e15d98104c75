"""Label encodings of CSV columns: class names, indices, one-hot, multi-hot, separated or list multi-labels,
and the check that a class-label column is not a continuous feature."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field

from wizard.datacheck.csvtable import (
    Table,
    is_categorical,
    is_missing,
    present,
    suggest_label_columns,
    value_kind,
)
from wizard.datacheck.label_values import CONTROL, control_check, json_kind, kind_of, type_checks
from wizard.datacheck.report import Check, finding

SEPARATORS = ("|", ";", ",", " ")
BINARY_TRUE = frozenset({"1", "1.0", "true", "yes"})
BINARY_FALSE = frozenset({"0", "0.0", "false", "no"})
UNCERTAIN = frozenset({"", "-1", "-1.0"})  # CheXpert-style: blank or -1 means "not sure"


@dataclass
class Labels:
    """Each row's labels (empty tuple: no label), the encoding found, and problems with it."""

    per_row: list[tuple[str, ...]]
    multilabel: bool
    format: str
    columns: list[str]
    """The column(s) the labels were read from (several: one-hot or multi-hot columns)."""
    checks: list[Check] = field(default_factory=list)


def separator_of(values: list[str], *, multilabel: bool | None) -> str | None:
    """The separator of a multi-label string column, or None when the values are single labels.

    The first of | ; , space found in the values wins; unless the task is known to be multi-label, the
    tokens must form a smaller vocabulary than the distinct strings (so 'golden retriever' stays one class).
    """
    if multilabel is False:
        return None
    distinct = set(values)
    for sep in SEPARATORS:
        if not any(sep in v for v in distinct):
            continue
        tokens = {t.strip() for v in distinct for t in v.split(sep) if t.strip()}
        if multilabel or len(tokens) < len(distinct):
            return sep
    return None


def parse_list(value: str) -> tuple[str, ...] | None:
    """A JSON array or Python list literal of labels, or None when the value is not one."""
    parsed = _list_literal(value)
    if parsed is None:
        return None
    return tuple(sorted({str(x).strip() for x in parsed if str(x).strip()}))


def _list_literal(value: str) -> list[object] | tuple[object, ...] | None:
    if not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, RecursionError, MemoryError):
            return None
    return parsed if isinstance(parsed, (list, tuple)) else None


def value_checks(values: list[str], per_row: list[tuple[str, ...]], column: str, lists: bool) -> list[Check]:
    """Control characters in labels, and labels mixing numbers and text or writing a number several ways."""
    kinds: dict[str, set[str]] = {}
    if lists:  # a JSON list keeps its elements' types: 1 and "1" are both the label '1'
        for value in values:
            for element in _list_literal(value) or ():
                label = str(element).strip()
                if label:
                    kinds.setdefault(label, set()).add(json_kind(element))
    else:
        for labels in per_row:
            for label in labels:
                if label not in kinds:
                    kinds[label] = {kind_of(label)}
    checks = type_checks(kinds, column)
    if any(CONTROL.search(label) for label in kinds):
        found = control_check((f"row {number}", label) for number, labels in enumerate(per_row, start=2)
                              for label in labels)
        if found:
            checks.append(found)
    return checks


def column_labels(table: Table, column: str, *, multilabel: bool | None, exclude: set[str]) -> Labels:
    """Labels from one column: a class per row, or several (a list literal or a separated string)."""
    values = table.column(column)
    filled = present(values)
    lists = [parse_list(v) for v in filled]
    if filled and multilabel is not False and all(x is not None for x in lists):
        per_row = [parse_list(v) or () if not is_missing(v) else () for v in values]
        return Labels(per_row, True, f"multi-label lists in column '{column}'", [column],
                      value_checks(filled, per_row, column, lists=True))
    sep = separator_of(filled, multilabel=multilabel)
    if sep is not None:
        per_row = [() if is_missing(v) else tuple(sorted({t.strip() for t in v.split(sep) if t.strip()}))
                   for v in values]
        shown = "space" if sep == " " else f"'{sep}'"
        return Labels(per_row, True, f"multi-label strings separated by {shown} in column '{column}'",
                      [column], value_checks(filled, per_row, column, lists=False))
    per_row = [() if is_missing(v) else (v,) for v in values]
    labels = Labels(per_row, False, label_format_of(filled, column), [column],
                    value_checks(filled, per_row, column, lists=False))
    problem = feature_like(table, column, filled, exclude)
    if problem:
        labels.checks.append(problem)
    elif "not 0..K-1" in labels.format:
        labels.checks.append(integer_ids_check(filled, column))
    return labels


def integer_ids_check(values: list[str], column: str) -> Check:
    """A note that integer class ids are not the indices 0..K-1 a classifier's outputs use."""
    ids = sorted({int(float(v)) for v in values})
    return finding("label-ids", "info", len(ids), [str(i) for i in ids[:8]], column=column, last=len(ids) - 1)


def label_format_of(values: list[str], column: str) -> str:
    kind = value_kind(values)
    if kind == "str":
        return f"class names in column '{column}'"
    if kind == "float":
        return f"continuous numbers in column '{column}'"
    indices = sorted({int(float(v)) for v in values})
    if indices == list(range(len(indices))):
        return f"class indices 0..{len(indices) - 1} in column '{column}'"
    return f"integer class ids (not 0..K-1) in column '{column}'"


def feature_like(table: Table, column: str, values: list[str], exclude: set[str]) -> Check | None:
    """An error when a column chosen as a class label looks like a feature (many distinct numbers) or an
    identifier (a different string on nearly every row)."""
    if not values:
        return None
    kind = value_kind(values)
    distinct = len(set(values)) if kind == "str" else len({float(v) for v in values})
    if kind == "str":
        if len(values) < 20 or distinct / len(values) <= 0.9:
            return None
        looks = "identifier"
    elif is_categorical(values):
        return None
    else:
        looks = "float" if kind == "float" else "integer"
    others = suggest_label_columns(table, exclude | {column})
    return finding(
        "label-continuous", "error", len(values), [f"{column}={v}" for v in sorted(set(values))[:5]],
        title=f"label-continuous.{looks}", advice="label-continuous.hint" if others else "label-continuous",
        column=column, distinct=f"{distinct:,}", rows=f"{len(values):,}", others=", ".join(others),
    )


def binary_columns(table: Table, exclude: set[str]) -> list[str]:
    """Columns of 0/1 values (the blocks of one-hot or multi-hot labels), allowing a few uncertain cells."""
    found = []
    for name in table.header:
        if name in exclude:
            continue
        values = [v.lower() for v in table.column(name)]
        binary = sum(1 for v in values if v in BINARY_TRUE or v in BINARY_FALSE)
        if (binary >= 0.9 * len(values) and set(values) <= (BINARY_TRUE | BINARY_FALSE | UNCERTAIN)
                and any(v in BINARY_TRUE for v in values)):
            found.append(name)
    return found


def hot_labels(table: Table, columns: list[str], *, multilabel: bool | None) -> Labels:
    """Labels from several 0/1 columns: one-hot (every row exactly one 1) or multi-hot."""
    indices = [table.header.index(c) for c in columns]
    per_row: list[tuple[str, ...]] = []
    odd: list[str] = []
    for number, row in enumerate(table.rows, start=2):
        labels = []
        for name, index in zip(columns, indices):
            value = row[index].lower()
            if value in BINARY_TRUE:
                labels.append(name)
            elif value not in BINARY_FALSE:
                odd.append(f"row {number}: {name}={row[index] or '(blank)'}")
        per_row.append(tuple(labels))
    one_hot = all(len(labels) == 1 for labels in per_row)
    is_multi = multilabel if multilabel is not None else not one_hot
    kind = "one-hot" if one_hot else "multi-hot"
    labels = Labels(per_row, is_multi, f"{kind} columns {', '.join(columns)}", list(columns))
    if odd:
        labels.checks.append(finding("label-values", "warning", len(odd), odd))
    if not is_multi and not one_hot:
        bad = sum(1 for labels_ in per_row if len(labels_) != 1)
        labels.checks.append(finding(
            "label-one-hot", "error", bad, [f"row {i}" for i, labels_ in enumerate(per_row, start=2) if len(labels_) != 1],
        ))
    return labels
