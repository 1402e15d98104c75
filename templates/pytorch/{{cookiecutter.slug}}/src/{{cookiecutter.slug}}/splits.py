"""The split convention shared with trainwizard's data check: split folder names, and the CSV column (and its
values) that assigns rows to train, val and test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import DataError

# With data.split_column: auto, the first of these columns (any case) assigns rows to splits.
SPLIT_COLUMNS = ("split", "subset", "set", "ml_use", "is_valid")
SPLIT_NAMES = {  # split folder names, and values of the split column
    "train": ("train", "training"),
    "val": ("val", "valid", "validation", "dev"),
    "test": ("test", "testing", "eval", "evaluation"),
}
VALID_FLAGS = ("1", "1.0", "true", "yes")  # an is_valid column holds a flag: these mean validation


def split_column(cfg: dict[str, Any], header: list[str], path: Path) -> str | None:
    """data.split_column, or with `auto` the first of SPLIT_COLUMNS in the header (None: no split column)."""
    name = cfg["data"]["split_column"]
    if name != "auto":
        if name not in header:
            raise DataError(f"{path}: no column {name!r} (data.split_column); columns: {', '.join(header)}")
        return name
    lowered = {column.lower(): column for column in header}
    return next((lowered[column] for column in SPLIT_COLUMNS if column in lowered), None)


def split_of(value: str | None, column: str, where: str) -> str:
    """The split ('train', 'val' or 'test') a cell of the split column assigns; an empty cell means train."""
    text = (value or "").strip().lower()
    if column.lower() == "is_valid":
        return "val" if text in VALID_FLAGS else "train"
    for split, names in SPLIT_NAMES.items():
        if text in names or (not text and split == "train"):
            return split
    raise DataError(
        f"{where}: unknown {column} {value!r}; allowed: train, val, test (or training, validation, "
        "valid, dev, testing, eval)"
    )
