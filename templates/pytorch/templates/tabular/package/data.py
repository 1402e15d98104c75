"""Reading the table (a CSV file): its rows, the training/validation split, and the datasets of encoded rows."""

from __future__ import annotations

import csv
import random
{%- if not f.regression %}
from collections import Counter
{%- endif %}
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset

from .errors import DataError
from .splits import split_column, split_of
from .tabular import FeatureSchema, Row, fit_schema, is_missing, {{ "" if f.regression else "natural_key, " }}parse_number
{%- if not f.regression %}

CONTINUOUS_LABELS = 30  # more distinct numbers than this in the label column: a feature, not class labels
{%- endif %}


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[Row]


@dataclass
class Splits:
    """The rows of each split, and where the validation split came from."""

    train: list[Row]
    val: list[Row]
    test: list[Row] = field(default_factory=list)
    val_source: str = ""
    notes: list[str] = field(default_factory=list)


class TabularDataset(Dataset):
    """(encoded features, target) pairs; the whole split is encoded once, up front."""

    def __init__(self, rows: list[Row], schema: FeatureSchema, source: str = "table") -> None:
        self.rows = rows
        self.features = schema.encode(rows, source)
{%- if f.regression %}
        self.targets = schema.encode_target(rows)  # float32, in the units the model learns
{%- else %}
        self.labels = schema.encode_target(rows)
        self.targets = self.labels.tolist()  # the class index of each row (read by samplers)
{%- endif %}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.features[index], self.{{ "targets" if f.regression else "labels" }}[index]


@dataclass
class Datasets:
    train: TabularDataset
    val: TabularDataset
    schema: FeatureSchema
    splits: Splits
{%- if not f.regression %}

    @property
    def classes(self) -> list[str]:
        return self.schema.classes

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: index for index, name in enumerate(self.schema.classes)}

    def class_counts(self) -> list[int]:
        """Training rows per class, in class-index order."""
        return torch.bincount(self.train.labels, minlength=len(self.classes)).tolist()
{%- endif %}


def build_datasets(cfg: dict[str, Any], schema: FeatureSchema | None = None) -> Datasets:
    """The training and validation datasets, both encoded with the schema of the training split.

    Pass `schema` (e.g. from a checkpoint) to encode with it instead of fitting a new one.
    """
    table = read_table(Path(cfg["data"]["path"]))
    columns, ignored = feature_columns(cfg, table)
    check_targets(cfg, table)
    splits = split_rows(cfg, table)
    schema = schema or fit_schema(cfg, columns, splits.train, ignored)
{%- if not f.regression %}
    check_labels(splits, schema)
{%- endif %}
    if not splits.val:
        raise DataError(f"{table.path}: no validation rows ({splits.val_source})")
    source = str(table.path)
    train, val = TabularDataset(splits.train, schema, source), TabularDataset(splits.val, schema, source)
    return Datasets(train, val, schema, splits)


def eval_dataset(cfg: dict[str, Any], split: str, schema: FeatureSchema) -> TabularDataset:
    """One split ('train', 'val' or 'test') encoded with the given (trained) schema."""
    table = read_table(Path(cfg["data"]["path"]))
    schema.check_columns(table.header, str(table.path))
    check_targets(cfg, table)
    splits = split_rows(cfg, table)
{%- if not f.regression %}
    check_labels(splits, schema)
{%- endif %}
    rows = getattr(splits, split)
    if not rows:
        raise DataError(f"{table.path}: the data has no {split!r} split")
    return TabularDataset(rows, schema, str(table.path))


def read_table(path: Path) -> Table:
    """A CSV (or .tsv) file with a header row; blank lines are skipped."""
    if not path.exists():
        raise DataError(f"{path}: no such file (data.path in config.yaml)")
    if not path.is_file():
        raise DataError(f"{path}: expected a CSV file with one row per sample (data.path in config.yaml)")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            first = handle.readline()
            handle.seek(0)
            reader = csv.reader(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else _delimiter(first))
            header = [name.strip() for name in next(reader, [])]
            lines = [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc})") from None
    if not header:
        raise DataError(f"{path}: is empty; expected a header row with the column names")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise DataError(f"{path}: the header names column(s) {', '.join(map(repr, repeated))} more than once")
    rows = []
    for line, cells in lines:
        if len(cells) > len(header):  # usually a separator inside an unquoted value
            raise DataError(f"{path}: line {line} has {len(cells)} cells but the header has {len(header)} columns")
        cells = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
        rows.append(Row(line, dict(zip(header, cells, strict=True))))
    if not rows:
        raise DataError(f"{path}: has a header but no rows")
    return Table(path, header, rows)


def feature_columns(cfg: dict[str, Any], table: Table) -> tuple[list[str], list[str]]:
    """The feature columns (data.feature_columns, or every column but the target and the split column), and the
    other columns, which the model ignores."""
    target, listed = cfg["data"]["label_column"], cfg["data"]["feature_columns"]
    known = ", ".join(table.header)
    if target not in table.header:
        raise DataError(f"{table.path}: no column {target!r} (data.label_column); columns: {known}")
    for key in ("feature_columns", "categorical_columns"):
        unknown = [name for name in cfg["data"][key] if name not in table.header]
        if unknown:
            listed = ", ".join(map(repr, unknown))
            raise DataError(f"{table.path}: no column(s) {listed} (data.{key}); columns: {known}")
    if target in listed:
        raise DataError(f"data.feature_columns lists the target {target!r}: a model given its answer learns nothing")
    split = split_column(cfg, table.header, table.path)
    columns = listed or [name for name in table.header if name not in (target, split)]
    if not columns:
        raise DataError(f"{table.path}: no feature columns besides the target {target!r}")
    return columns, [name for name in table.header if name not in columns and name != target]


def check_targets(cfg: dict[str, Any], table: Table) -> None:
    """Every row has a target{{ ", every target is a number, and they are not all the same" if f.regression else " that looks like a class label" }}."""
    target = cfg["data"]["label_column"]
    empty = [row.line for row in table.rows if is_missing(row.cells[target])]
    if empty:
        raise DataError(
            f"{table.path}: {len(empty)} rows have no {target!r} value (first at line {empty[0]}); "
            "fill them in or drop those rows"
        )
{%- if f.regression %}
    bad = [row for row in table.rows if parse_number(row.cells[target]) is None]
    if bad:
        raise DataError(
            f"{table.path}: line {bad[0].line}: the target {target!r} is {bad[0].cells[target]!r}, "
            f"not a number ({len(bad)} such rows); a regression target must be numeric"
        )
    if len({float(row.cells[target]) for row in table.rows}) == 1:
        raise DataError(f"{table.path}: the target {target!r} has the same value on every row; nothing to learn")
{%- else %}
    labels = {row.cells[target].strip() for row in table.rows}
    numbers = sorted(n for n in map(parse_number, labels) if n is not None)
    if len(numbers) == len(labels) > CONTINUOUS_LABELS:
        raise DataError(
            f"{table.path}: the label column {target!r} holds {len(labels)} distinct numbers from "
            f"{numbers[0]:g} to {numbers[-1]:g}: it looks like a continuous feature, not a class label. Choose the "
            "column with the classes (data.label_column), or predict the number with the tabular-regression task."
        )
{%- endif %}


def split_rows(cfg: dict[str, Any], table: Table) -> Splits:
    """Rows by the split column when there is one, else {{ "a seeded random" if f.regression else "a stratified" }} val_fraction held out."""
    fraction, seed = cfg["data"]["val_fraction"], cfg["training"]["seed"]
    column = split_column(cfg, table.header, table.path)
    if column is not None:
        by_split: dict[str, list[Row]] = {"train": [], "val": [], "test": []}
        for row in table.rows:
            by_split[split_of(row.cells[column], column, f"{table.path}: line {row.line}")].append(row)
        if by_split["val"] or by_split["test"]:
            val = by_split["val"] or by_split["test"]
            source = (
                f"rows the {column!r} column puts in val"
                if by_split["val"]
                else f"rows the {column!r} column puts in test (there are no val rows)"
            )
            return Splits(by_split["train"], val, by_split["test"], val_source=source)
        rows = by_split["train"]
    else:
        rows = table.rows
{%- if f.regression %}
    shuffled = random.Random(seed).sample(rows, len(rows))
    n_val = min(len(rows) - 1, max(1, round(len(rows) * fraction)))
    return Splits(shuffled[n_val:], shuffled[:n_val], val_source=f"{fraction:.0%} of the rows held out (seed {seed})")
{%- else %}
    train, val = stratified_split(rows, cfg["data"]["label_column"], fraction, seed)
    return Splits(train, val, val_source=f"{fraction:.0%} of each class held out (seed {seed})")


def stratified_split(rows: list[Row], target: str, fraction: float, seed: int) -> tuple[list[Row], list[Row]]:
    """Hold out `fraction` of each class (at least one row of every class with two or more)."""
    rng = random.Random(seed)
    by_class: dict[str, list[Row]] = {}
    for row in rows:
        by_class.setdefault(row.cells[target].strip(), []).append(row)
    train, val = [], []
    for label in sorted(by_class, key=natural_key):
        items = rng.sample(by_class[label], len(by_class[label]))
        n_val = min(len(items) - 1, max(1, round(len(items) * fraction)))
        val += items[:n_val]
        train += items[n_val:]
    return train, val


def check_labels(splits: Splits, schema: FeatureSchema) -> None:
    """Every label of every split must be a class of the training split."""
    if len(schema.classes) < 2:
        raise DataError(f"the training split has {len(schema.classes)} class(es); classification needs at least 2")
    known = set(schema.classes)
    for name in ("train", "val", "test"):
        labels = (row.cells[schema.target].strip() for row in getattr(splits, name))
        unseen = Counter(label for label in labels if label not in known)
        if unseen:
            listed = ", ".join(f"{label!r} ({count} rows)" for label, count in unseen.most_common(5))
            raise DataError(
                f"{name} split has labels the training split does not have: {listed}; "
                f"known classes: {', '.join(map(repr, schema.classes))}. Check spelling, case and spaces."
            )
{%- endif %}


def _delimiter(first_line: str) -> str:
    """The most frequent of , ; | and tab in the header line (comma when none occurs)."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","
