"""Check the table before training: the target column, splits, {{ "target statistics" if f.regression else "class counts" }}, feature columns and duplicate rows.

    python scripts/check_data.py [--config config.yaml] [--set data.path=...]

Exit code: 0 no errors (warnings allowed), 1 errors found, 2 the data cannot be read at all.
"""

from __future__ import annotations

import argparse
{%- if f.regression %}
import statistics
{%- endif %}
import sys
from collections import {% if not f.regression %}Counter, {% endif %}defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import Splits, Table, feature_columns, read_table, split_rows  # noqa: E402
from {{ c.slug }}.errors import DataError, UserError  # noqa: E402
from {{ c.slug }}.tabular import Row, is_missing, parse_number  # noqa: E402

{% if f.regression -%}
FEW_VALUES = 10  # a numeric target with at most this many distinct integers may be class ids
{%- else -%}
IMBALANCE_WARN = {{ c._vocabulary.imbalance_warn }}  # largest class / smallest class
FEW_PER_CLASS = {{ c._vocabulary.min_per_class }}  # fewer training rows than this in a class is too few to learn it
CONTINUOUS_LABELS = 30  # more distinct numbers than this in the label column: a feature, not class labels
{%- endif %}
MANY_CATEGORIES = 0.9  # a text column with a different value on 90% of the rows looks like an identifier


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Check the table described by config.yaml.")
    add_config_arguments(parser, "override a config value, e.g. data.path=other/table.csv (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        table = read_table(Path(cfg["data"]["path"]))
        columns, ignored = feature_columns(cfg, table)
    except DataError as exc:  # found, but not readable as config.yaml describes it
        print(f"ERROR  {exc}")
        return 2 if not Path(cfg["data"]["path"]).exists() else 1
    target = cfg["data"]["label_column"]
    errors: list[str] = []
    warnings: list[str] = []
    print(
        f"data: {table.path}\n{len(table.rows)} rows; target {target!r}; {len(columns)} feature columns"
        + (f"; ignored: {', '.join(ignored)}" if ignored else "")
    )

    empty = [row.line for row in table.rows if is_missing(row.cells[target])]
    if empty:
        errors.append(
            f"{len(empty)} rows have no {target!r} value (first at line {empty[0]}): fill them in or drop them"
        )
    labelled = Table(table.path, table.header, [row for row in table.rows if not is_missing(row.cells[target])])
    try:
        splits = split_rows(cfg, labelled)
    except DataError as exc:
        print(f"ERROR  {exc}")
        return 1
    print(f"validation: {splits.val_source}\n")
    check_target(target, splits, errors, warnings)
    check_features(columns, splits, errors, warnings)
    check_duplicates(columns, target, splits, errors, warnings)

    for text in warnings:
        print(f"WARN   {text}")
    for text in errors:
        print(f"ERROR  {text}")
    print(f"\n{len(table.rows)} rows checked: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0
{%- if f.regression %}


def check_target(target: str, splits: Splits, errors: list[str], warnings: list[str]) -> None:
    """A regression target: numbers only, not constant, and not a handful of class ids."""
    rows = splits.train + splits.val + splits.test
    bad = [row for row in rows if parse_number(row.cells[target]) is None]
    if bad:
        shown = ", ".join(f"line {row.line}: {row.cells[target]!r}" for row in bad[:3])
        errors.append(f"{len(bad)} target values are not numbers ({shown}); a regression target must be numeric")
        return
    for name in ("train", "val", "test"):
        values = [float(row.cells[target]) for row in getattr(splits, name)]
        if values:
            print(
                f"{name:>5}: {len(values):>6} rows   mean {statistics.fmean(values):.4g}   std "
                f"{statistics.pstdev(values):.4g}   min {min(values):.4g}   max {max(values):.4g}"
            )
    values = [float(row.cells[target]) for row in splits.train]
    distinct = set(values)
    if len(distinct) == 1:
        errors.append(f"the target {target!r} has one value ({values[0]:g}) on every training row: nothing to learn")
    elif len(distinct) <= FEW_VALUES and all(v.is_integer() for v in distinct):
        warnings.append(
            f"the target {target!r} takes only {len(distinct)} integer values: if they are classes, "
            "the tabular-classification task fits better"
        )
{%- else %}


def check_target(target: str, splits: Splits, errors: list[str], warnings: list[str]) -> None:
    """Class labels: not a continuous column, at least two classes, no validation class unseen in training."""
    named = {"train": splits.train, "val": splits.val, "test": splits.test}
    counts = {name: Counter(row.cells[target].strip() for row in rows) for name, rows in named.items()}
    numbers = sorted(n for n in map(parse_number, counts["train"]) if n is not None)
    if len(numbers) == len(counts["train"]) > CONTINUOUS_LABELS:
        errors.append(
            f"the label column {target!r} has {len(numbers)} distinct numbers from {numbers[0]:g} to "
            f"{numbers[-1]:g}: it looks like a continuous feature, not a class label; choose the class "
            "column (data.label_column), or predict the number with the tabular-regression task"
        )
        return
    classes = sorted(counts["train"])
    shown = [name for name in named if named[name] and (name != "test" or splits.test is not splits.val)]
    width = max([5, *(len(c) for c in classes)])
    print(f"{'class':<{width}}  " + "  ".join(f"{name:>6}" for name in shown))
    for label in classes:
        print(f"{label:<{width}}  " + "  ".join(f"{counts[name][label]:>6}" for name in shown))
    print(f"{'total':<{width}}  " + "  ".join(f"{len(named[name]):>6}" for name in shown) + "\n")
    if len(classes) < 2:
        errors.append(f"the training split has {len(classes)} class(es); classification needs at least 2")
    for name in ("val", "test"):
        unseen = sorted(set(counts[name]) - set(classes))
        if unseen:
            errors.append(
                f"{name} labels not in the training split: {', '.join(map(repr, unseen[:10]))} "
                "(spelling, case, spaces?)"
            )
    missing_val = [c for c in classes if counts["val"][c] == 0]
    if missing_val and splits.val:
        warnings.append(f"classes without validation rows: {', '.join(map(repr, missing_val[:10]))}")
    if classes:
        largest, smallest = max(counts["train"].values()), min(counts["train"].values())
        print(f"imbalance (largest/smallest class): {largest / smallest:.1f}:1")
        if largest / smallest > IMBALANCE_WARN:
            warnings.append(
                f"strong class imbalance {largest / smallest:.0f}:1: watch per-class recall, not only accuracy"
            )
        few = [c for c in classes if counts["train"][c] < FEW_PER_CLASS]
        if few:
            warnings.append(f"classes with fewer than {FEW_PER_CLASS} training rows: {', '.join(map(repr, few[:10]))}")
{%- endif %}


def check_features(columns: list[str], splits: Splits, errors: list[str], warnings: list[str]) -> None:
    """Per column: its type as training will read it, gaps, constant values, identifiers, and numbers that
    turn into text outside the training split."""
    print()
    for name in columns:
        train = [row.cells[name] for row in splits.train]
        filled = [v for v in train if not is_missing(v)]
        numeric = bool(filled) and all(parse_number(v) is not None for v in filled)
        gaps = len(train) - len(filled)
        kind = "number" if numeric else f"category ({len(set(filled))} values)"
        print(
            f"{name}: {kind}"
            + (f", {gaps} missing in training (filled with the median)" if gaps and numeric else "")
            + (f", {gaps} missing in training (a category of its own)" if gaps and not numeric else "")
        )
        if len(set(filled)) <= 1:
            warnings.append(f"column {name!r} has a single value in training: it carries no information")
        elif not numeric and len(filled) >= 20 and len(set(filled)) > MANY_CATEGORIES * len(filled):
            warnings.append(
                f"column {name!r} has a different value on almost every row: an identifier? "
                "Leave it out of data.feature_columns"
            )
        if numeric:
            odd = [
                row
                for row in splits.val + splits.test
                if not is_missing(row.cells[name]) and parse_number(row.cells[name]) is None
            ]
            if odd:
                errors.append(
                    f"column {name!r} holds numbers in training but {odd[0].cells[name]!r} at line "
                    f"{odd[0].line} ({len(odd)} such cells): fix them, or list the column in "
                    "data.categorical_columns"
                )


def check_duplicates(columns: list[str], target: str, splits: Splits, errors: list[str], warnings: list[str]) -> None:
    """Identical feature rows: with different targets (contradictions) and across training and validation (leaks)."""
    groups: dict[tuple[str, ...], list[tuple[str, Row]]] = defaultdict(list)
    for name in ("train", "val", "test"):
        for row in getattr(splits, name):
            groups[tuple(row.cells[c] for c in columns)].append((name, row))
    repeated = [group for group in groups.values() if len(group) > 1]
    conflicting = [g for g in repeated if len({row.cells[target].strip() for _, row in g}) > 1]
    leaking = [g for g in repeated if "train" in {split for split, _ in g} and {split for split, _ in g} - {"train"}]
    if conflicting:
        lines = " and ".join(f"line {row.line} ({row.cells[target]})" for _, row in conflicting[0][:2])
        text = f"{len(conflicting)} groups of rows with identical features but different targets, e.g. {lines}"
        {{ "warnings" if f.regression else "errors" }}.append(text)
    if leaking:
        warnings.append(
            f"{len(leaking)} feature rows appear in training and in validation/test: scores will be optimistic"
        )
    if len(repeated) > len(conflicting):
        warnings.append(f"{len(repeated) - len(conflicting)} groups of duplicate rows (same target)")


if __name__ == "__main__":
    sys.exit(main())
