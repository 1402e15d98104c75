"""Reading CSV files with the stdlib, and typing their columns (numbers, categories, label-like names)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from wizard.datacheck.dataset import SPLIT_ALIASES
from wizard.datacheck.texts import data_error

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
LABEL_NAMES = (
    "label", "labels", "target", "class", "classes", "y", "category", "categories", "tags", "tag",
    "outcome", "diagnosis", "finding labels", "finding_labels", "species", "annotation", "ground_truth",
)
SPLIT_COLUMNS = ("split", "subset", "set", "ml_use", "is_valid")
VALID_FLAGS = ("1", "1.0", "true", "yes")  # is_valid cells that mean validation
# deepchecks' is_categorical: few distinct values overall, and at most this many per value kind.
MAX_CATEGORIES = {"int": 30, "float": 5, "str": 150}


@dataclass
class Table:
    """A CSV file's header and rows (rows padded/cut to the header's width)."""

    path: Path
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def read_table(path: Path) -> Table:
    """Read a CSV/TSV file with a header row; DataError when it cannot be read or is empty."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except FileNotFoundError:
        raise data_error("no-such-file", path=str(path)) from None
    except UnicodeDecodeError:
        raise data_error("csv-not-utf8", path=str(path)) from None
    except OSError as exc:
        raise data_error("cannot-read", path=str(path), reason=exc.strerror) from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _guess_delimiter(first_line)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise data_error("csv-empty", path=str(path)) from None
    except csv.Error as exc:
        raise data_error("csv-invalid", path=str(path), reason=str(exc)) from None
    if not any(header):
        raise data_error("csv-no-header", path=str(path))
    width = len(header)
    header = [h or f"column_{i + 1}" for i, h in enumerate(header)]
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            row = [cell.strip() for cell in row[:width]]
            rows.append(row + [""] * (width - len(row)))
    except csv.Error as exc:
        raise data_error("csv-invalid-line", path=str(path), line=reader.line_num, reason=str(exc)) from None
    if not rows:
        raise data_error("csv-no-rows", path=str(path))
    return Table(path, header, rows)


def _guess_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_missing(value: str) -> bool:
    return value.strip().lower() in MISSING


def present(values: list[str]) -> list[str]:
    return [v for v in values if not is_missing(v)]


def value_kind(values: list[str]) -> str:
    """'int' (whole numbers, 3 or 3.0), 'float' (other numbers) or 'str', over the non-missing values."""
    kind = "int"
    for v in values:
        try:
            number = float(v)
        except ValueError:
            return "str"
        if math.isinf(number):
            return "str"
        if kind == "int" and not number.is_integer():
            kind = "float"
    return kind


def is_categorical(values: list[str]) -> bool:
    """Whether non-missing values look like categories rather than a measured quantity (deepchecks' rule:
    distinct/max(N, 1000) < 0.05, and at most 30 ints, 5 non-integer floats or 150 strings)."""
    values = present(values)
    if not values:
        return False
    distinct = len(set(values)) if value_kind(values) == "str" else len({float(v) for v in values})
    if distinct / max(len(values), 1000) >= 0.05:
        return False
    return distinct <= MAX_CATEGORIES[value_kind(values)]


def label_name_rank(name: str) -> int | None:
    """Position of a column name among the usual label names (None when not label-like)."""
    key = name.strip().lower()
    return LABEL_NAMES.index(key) if key in LABEL_NAMES else None


def suggest_label_columns(table: Table, exclude: set[str], limit: int = 3) -> list[str]:
    """Columns that look like class labels: few distinct values, label-like names first."""
    found: list[tuple[int, int, str]] = []
    for position, name in enumerate(table.header):
        if name in exclude:
            continue
        values = present(table.column(name))
        if len(set(values)) < 2 or not is_categorical(values):
            continue
        rank = label_name_rank(name)
        found.append((0 if rank is not None else 1, position, name))
    return [name for _, _, name in sorted(found)[:limit]]


def find_split_column(table: Table) -> str | None:
    """The first of SPLIT_COLUMNS (any case) in the header; the generated project looks for the same ones."""
    lowered = {h.lower(): h for h in table.header}
    return next((lowered[name] for name in SPLIT_COLUMNS if name in lowered), None)


def split_of(value: str, split_column: str | None) -> str | None:
    """The split a split-column cell assigns (train, val or test); None for a value no convention knows.
    An empty cell means train; an `is_valid` column holds a flag (true/1/yes: validation)."""
    if split_column is None:
        return "train"
    value = value.strip().lower()
    if split_column.lower() == "is_valid":
        return "val" if value in VALID_FLAGS else "train"
    return SPLIT_ALIASES.get(value) if value else "train"
