"""Tabular CSVs: the target column (class or number), its problems, and the feature columns' problems."""

from __future__ import annotations

from collections import Counter, defaultdict

from wizard.datacheck.capacity import capacity_checks
from wizard.datacheck.csvtable import (
    Table,
    find_split_column,
    is_categorical,
    is_missing,
    label_name_rank,
    present,
    split_of,
    value_kind,
)
from wizard.datacheck.dataset import SPLIT_ORDER
from wizard.datacheck.label_checks import imbalance_check, split_checks
from wizard.datacheck.labels import feature_like, integer_ids_check, label_format_of, value_checks
from wizard.datacheck.report import Check, DataReport, finding
from wizard.datacheck.texts import data_error
from wizard.vocabulary import TABULAR_CLASSIFICATION, TABULAR_REGRESSION


def target_column(table: Table, given: str | None) -> str:
    """The given target column, else the first label-like name, else the last column."""
    if given is not None:
        if given not in table.header:
            raise data_error("no-column", path=str(table.path), column=given, columns=", ".join(table.header))
        return given
    named = sorted((rank, name) for name in table.header if (rank := label_name_rank(name)) is not None)
    return named[0][1] if named else table.header[-1]


def scan_table(table: Table, *, shown_path: str, task: str | None, label_column: str | None,
               backbone: str | None) -> DataReport:
    """The report for a tabular CSV (features + target)."""
    target = target_column(table, label_column)
    split_column = find_split_column(table)
    if split_column == target:
        split_column = None
    values = table.column(target)
    filled = present(values)
    if task is None:
        categories = value_kind(filled) == "str" or is_categorical(filled)
        task = TABULAR_CLASSIFICATION if categories else TABULAR_REGRESSION
    classification = task == TABULAR_CLASSIFICATION
    features = [c for c in table.header if c not in (target, split_column)]
    splits_of = _row_splits(table, split_column)
    checks: list[Check] = []
    missing = [f"row {n}" for n, v in enumerate(values, start=2) if is_missing(v)]
    if missing:
        checks.append(finding("target-missing", "error", len(missing), missing, target=target))
    splits: dict[str, dict[str, int]] = {}
    sizes: Counter[str] = Counter()
    for value, split in zip(values, splits_of):
        if split is None or is_missing(value):
            continue
        sizes[split] += 1
        if classification:
            counts = splits.setdefault(split, {})
            counts[value] = counts.get(value, 0) + 1
    order = {s: i for i, s in enumerate(SPLIT_ORDER)}
    names = sorted(set(sizes) | {"train"}, key=lambda s: order.get(s, 9))
    splits = {s: dict(sorted(splits.get(s, {}).items())) for s in names}
    split_sizes = {s: sizes.get(s, 0) for s in names}
    label_format = ""
    if filled:
        label_format = label_format_of(filled, target) if classification else f"numeric target in column '{target}'"
    if classification:
        problem = feature_like(table, target, filled, {split_column} if split_column else set())
        if problem:
            checks.append(problem)
        elif "not 0..K-1" in label_format:
            checks.append(integer_ids_check(filled, target))
        checks.extend(value_checks(filled, [() if is_missing(v) else (v,) for v in values], target, lists=False))
        checks.extend(split_checks(splits, split_sizes, classification=True, what="rows"))
        imbalance = imbalance_check(splits["train"])
        if imbalance:
            checks.append(imbalance)
    else:
        checks.extend(_regression_target_checks(target, filled))
    checks.extend(capacity_checks(splits["train"], split_sizes["train"], backbone,
                                  classification=classification, tabular=True))
    checks.extend(_feature_checks(table, features, target, splits_of, classification))
    odd = [f"row {n}: {v}" for n, (v, s) in enumerate(zip(table.column(split_column), splits_of), start=2)
           if s is None] if split_column else []
    if odd:
        checks.append(finding("unknown-split", "error", len(odd), odd))
    return DataReport(
        path=shown_path, layout="tabular-csv", task=task, splits=splits, split_sizes=split_sizes,
        checks=checks,
        label_format=label_format, label_column=target, backbone=backbone, feature_columns=features,
    )


def _row_splits(table: Table, split_column: str | None) -> list[str | None]:
    if split_column is None:
        return ["train"] * len(table.rows)
    return [split_of(v, split_column) for v in table.column(split_column)]


def _regression_target_checks(target: str, filled: list[str]) -> list[Check]:
    if not filled:
        return []
    if value_kind(filled) == "str":
        bad = sorted({v for v in filled if not _is_number(v)})
        return [finding("target-not-numeric", "error", len(bad), bad, target=target)]
    if len({float(v) for v in filled}) == 1:
        return [finding("target-constant", "error", len(filled), target=target, value=filled[0])]
    return []


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _feature_checks(table: Table, features: list[str], target: str, splits_of: list[str | None],
                    classification: bool) -> list[Check]:
    checks: list[Check] = []
    n_rows = len(table.rows)
    missing, constant, ids = [], [], []
    for name in features:
        column = table.column(name)
        filled = present(column)
        if len(filled) < n_rows:
            missing.append(f"{name}: {n_rows - len(filled)} missing")
        if len(set(filled)) <= 1:
            constant.append(name)
        elif n_rows >= 20 and len(set(filled)) == n_rows and _id_like(filled):
            ids.append(name)
    if missing:
        checks.append(finding("feature-missing-values", "warning", len(missing), missing))
    if constant:
        checks.append(finding("constant-columns", "info", len(constant), constant))
    if ids:
        checks.append(finding("id-column", "warning", len(ids), ids))
    checks.extend(_duplicate_rows(table, features, target, splits_of, classification))
    return checks


def _id_like(values: list[str]) -> bool:
    kind = value_kind(values)
    if kind == "str":
        return True
    if kind == "int":
        numbers = [int(float(v)) for v in values]
        return max(numbers) - min(numbers) == len(numbers) - 1
    return False


def _duplicate_rows(table: Table, features: list[str], target: str, splits_of: list[str | None],
                    classification: bool) -> list[Check]:
    if not features:
        return []
    indices = [table.header.index(c) for c in features]
    target_index = table.header.index(target)
    groups: dict[tuple[str, ...], list[tuple[int, str, str | None]]] = defaultdict(list)
    for number, (row, split) in enumerate(zip(table.rows, splits_of), start=2):
        groups[tuple(row[i] for i in indices)].append((number, row[target_index], split))
    dupes = [g for g in groups.values() if len(g) > 1]
    if not dupes:
        return []
    checks = [finding(
        "duplicate-rows", "warning" if sum(len(g) - 1 for g in dupes) > 0.05 * len(table.rows) else "info",
        sum(len(g) - 1 for g in dupes), [" = ".join(f"row {n}" for n, _, _ in g[:3]) for g in dupes],
    )]
    conflicts = [g for g in dupes if len({t for _, t, _ in g}) > 1]
    if conflicts:
        checks.append(finding(
            "duplicate-conflicting-labels", "error" if classification else "warning", len(conflicts),
            [" / ".join(f"row {n}: {t}" for n, t, _ in g[:3]) for g in conflicts],
            title="duplicate-conflicting-labels.rows", advice="duplicate-conflicting-labels.rows",
        ))
    leaks = [g for g in dupes
             if any(s == "train" for _, _, s in g) and any(s in ("val", "test") for _, _, s in g)]
    if leaks:
        checks.append(finding(
            "train-val-duplicates", "warning", len(leaks),
            [" = ".join(f"row {n} ({s})" for n, _, s in g[:3]) for g in leaks],
            title="train-val-duplicates.rows", advice="train-val-duplicates.rows",
        ))
    return checks
