"""CSV manifests of images: find the path and label columns, resolve the files, and check the rows."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wizard.datacheck.csvtable import Table, find_split_column, label_name_rank, split_of
from wizard.datacheck.dataset import Dataset, Item, display_name, is_hidden, is_image_name
from wizard.datacheck.labels import Labels, binary_columns, column_labels, hot_labels
from wizard.datacheck.report import finding
from wizard.datacheck.texts import data_error
from wizard.vocabulary import IMAGE_CLASSIFICATION, IMAGE_MULTILABEL

BASE_FOLDERS = ("", "images", "imgs", "img", "data")
SUFFIXES = ("", ".jpg", ".png", ".jpeg")
SAMPLE = 200
MAX_FOLDERS_FOR_UNLISTED = 1000


def find_image_column(table: Table, given: str | None) -> tuple[str, str, str] | None:
    """(column, base folder, suffix) where the column's values resolve to files, or None.

    The given column is used when the CSV has it; otherwise the column is detected, because answers files
    carry a default name ('path') that a user's manifest may not use.
    """
    folder = str(table.path.parent)
    if given is not None and given in table.header:
        return (given, *_best_resolution(table, given, folder))
    best: tuple[float, str, str, str] | None = None
    for column in table.header:
        rate, base, suffix = _resolution_rate(table, column, folder)
        if rate > 0.5 and (best is None or rate > best[0]):
            best = (rate, column, base, suffix)
    if best:
        return best[1], best[2], best[3]
    for column in table.header:  # image names whose files are all missing: still a manifest
        values = _sample(table.column(column))
        if values and sum(is_image_name(v) for v in values) >= 0.9 * len(values):
            return column, folder, ""
    return None


def _sample(values: list[str]) -> list[str]:
    values = [v for v in values if v]
    step = max(1, len(values) // SAMPLE)
    return values[::step][:SAMPLE]


def _resolution_rate(table: Table, column: str, folder: str) -> tuple[float, str, str]:
    values = _sample(table.column(column))
    if not values or all(_is_number(v) and "." in v for v in values[:20]):  # measurements, not file ids
        return 0.0, folder, ""
    best = (0.0, folder, "")
    for sub in BASE_FOLDERS:
        base = os.path.join(folder, sub) if sub else folder
        if sub and not os.path.isdir(base):
            continue
        for suffix in SUFFIXES:
            if suffix and any(is_image_name(v) for v in values[:20]):
                continue
            rate = sum(os.path.isfile(os.path.join(base, v + suffix)) for v in values) / len(values)
            if rate > best[0]:
                best = (rate, base, suffix)
            if rate == 1.0:
                return best
    return best


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _best_resolution(table: Table, column: str, folder: str) -> tuple[str, str]:
    _, base, suffix = _resolution_rate(table, column, folder)
    return base, suffix


def read_manifest(table: Table, *, task: str | None, image_column: str | None, label_column: str | None,
                  label_columns: list[str] | None, found: tuple[str, str, str]) -> Dataset:
    """A Dataset of the manifest's rows; the label encoding decides between single- and multi-label."""
    column, base, suffix = found
    root = table.path.parent
    split_column = find_split_column(table)
    exclude = {column} | ({split_column} if split_column else set())
    multilabel = {IMAGE_MULTILABEL: True, IMAGE_CLASSIFICATION: False}.get(task or "")
    labels = _labels(table, label_column, label_columns, exclude, multilabel)
    is_multi = labels.multilabel if multilabel is None else multilabel
    ds = Dataset(root=root, layout="csv-manifest",
                 task=IMAGE_MULTILABEL if is_multi else IMAGE_CLASSIFICATION,
                 label_format=labels.format, image_column=column, checks=list(labels.checks))
    if image_column is not None and image_column != column:
        ds.checks.append(finding("image-column", "info", 1, file=table.path.name, given=image_column,
                                 column=column))
    if len(labels.columns) > 1 or label_columns:
        ds.label_columns = labels.columns
    else:
        ds.label_column = labels.columns[0]
    _add_rows(ds, table, column, base, suffix, split_column, labels)
    return ds


def _labels(table: Table, label_column: str | None, label_columns: list[str] | None, exclude: set[str],
            multilabel: bool | None) -> Labels:
    if label_columns:
        missing = [c for c in label_columns if c not in table.header]
        if missing:
            raise data_error("no-label-columns", path=str(table.path), missing=", ".join(missing),
                             columns=", ".join(table.header))
        return hot_labels(table, label_columns, multilabel=multilabel)
    if label_column is not None:
        if label_column not in table.header:
            raise data_error("no-column", path=str(table.path), column=label_column,
                             columns=", ".join(table.header))
        return column_labels(table, label_column, multilabel=multilabel, exclude=exclude)
    named = sorted((rank, name) for name in table.header if name not in exclude
                   and (rank := label_name_rank(name)) is not None)
    if named:
        return column_labels(table, named[0][1], multilabel=multilabel, exclude=exclude)
    hot = binary_columns(table, exclude)
    if len(hot) >= 2:
        return hot_labels(table, hot, multilabel=multilabel)
    rest = [name for name in table.header if name not in exclude]
    if not rest:
        raise data_error("no-label-column", path=str(table.path), columns=", ".join(table.header))
    return column_labels(table, rest[-1], multilabel=multilabel, exclude=exclude)


def _add_rows(ds: Dataset, table: Table, column: str, base: str, suffix: str, split_column: str | None,
              labels: Labels) -> None:
    path_index = table.header.index(column)
    split_index = table.header.index(split_column) if split_column else None
    by_key: dict[tuple[str, str], Item] = {}
    listed: set[str] = set()
    missing_files, unlabeled, odd_splits, repeated, conflicting, outside = [], [], [], [], [], []
    inside = os.path.join(dataset_folder(ds.root), "")
    for number, (row, row_labels) in enumerate(zip(table.rows, labels.per_row), start=2):
        value = row[path_index]
        split = split_of(row[split_index] if split_index is not None else "", split_column)
        if split is None:
            odd_splits.append(f"row {number}: {split_column}={row[split_index]}")  # type: ignore[index]
            split = "train"
        path = os.path.normpath(os.path.join(base, value + suffix)) if value else ""
        if path and not os.path.abspath(path).startswith(inside):  # told by its path alone: nothing is opened
            outside.append(f"row {number}: {value}")
            continue
        shown = display_name(path, ds.root) if path else f"row {number}"
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        if st is None or stat.S_ISDIR(st.st_mode):  # a FIFO or a device: the inspection reports it, unread
            missing_files.append(f"row {number}: {value or '(empty path)'}")
            continue
        listed.add(path)
        if not row_labels and not ds.task.endswith("multilabel"):
            unlabeled.append(f"row {number}: {shown}")
            continue
        key = (path, split)
        if key in by_key:
            item = by_key[key]
            if set(row_labels) == set(item.labels):
                repeated.append(f"row {number}: {shown}")
            elif ds.task == IMAGE_MULTILABEL:
                by_key[key] = item._replace(labels=tuple(sorted(set(item.labels) | set(row_labels))))
            else:
                conflicting.append(f"{shown}: {', '.join(sorted(set(item.labels) | set(row_labels)))}")
            continue
        by_key[key] = Item(path, shown, split, tuple(row_labels), st.st_size, st.st_mtime_ns)
    ds.items = list(by_key.values())
    for item in ds.items:
        names = ds.classes.setdefault(item.split, [])
        names.extend(item.labels)
    ds.classes = {split: sorted(set(names)) for split, names in ds.classes.items()}
    _row_checks(ds, table, missing_files, unlabeled, odd_splits, repeated, conflicting)
    if outside:
        ds.checks.append(finding("outside-dataset", "error", len(outside), outside, file=table.path.name,
                                 folder=display_name(dataset_folder(ds.root), ds.root) + "/"))
    unlisted = _unlisted_images(ds, listed)
    if unlisted:
        name = table.path.name
        ds.checks.append(finding("unlisted-file", "warning", len(unlisted), unlisted, file=name))


def dataset_folder(manifest_folder: Path) -> str:
    """The folder a manifest's rows may point into: the manifest's own folder and the one around it, as
    images often sit next to the folder of their labels (labels/train.csv listing ../images/001.jpg).
    Rows that climb higher, or absolute paths elsewhere, are reported and never opened."""
    return os.path.dirname(os.path.abspath(manifest_folder))


def _row_checks(ds: Dataset, table: Table, missing_files: list[str], unlabeled: list[str],
                odd_splits: list[str], repeated: list[str], conflicting: list[str]) -> None:
    name = table.path.name
    if missing_files:
        ds.checks.append(finding("missing-file", "error", len(missing_files), missing_files, file=name))
    if unlabeled:
        ds.checks.append(finding("missing-label", "error", len(unlabeled), unlabeled, file=name))
    if conflicting:
        ds.checks.append(finding("conflicting-rows", "error", len(conflicting), conflicting))
    if repeated:
        ds.checks.append(finding("repeated-rows", "warning", len(repeated), repeated))
    if odd_splits:
        ds.checks.append(finding("unknown-split", "error", len(odd_splits), odd_splits))


def _unlisted_images(ds: Dataset, listed: set[str]) -> list[str]:
    folders = sorted({os.path.dirname(p) for p in listed})[:MAX_FOLDERS_FOR_UNLISTED]
    found: list[str] = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not is_hidden(entry.name) and is_image_name(entry.name) and entry.path not in listed:
                found.append(display_name(entry.path, ds.root))
    return found
