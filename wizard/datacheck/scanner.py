"""The scan: detect the layout, read the labels, inspect the images, and assemble the report."""

from __future__ import annotations

import os
import pickle
from dataclasses import asdict
from operator import attrgetter
from pathlib import Path
from typing import Any

from wizard import timm_models
from wizard.datacheck.cache import FolderListings, ReportMemo
from wizard.datacheck.capacity import capacity_checks
from wizard.datacheck.csvtable import Table, read_table
from wizard.datacheck.dataset import Dataset, is_hidden
from wizard.datacheck.folders import expected_layouts, looks_like_imagefolder, read_imagefolder
from wizard.datacheck.image_checks import (
    duplicate_checks,
    file_checks,
    geometry,
    split_outside,
    unusable_paths,
)
from wizard.datacheck.label_checks import count_splits, imbalance_check, multilabel_checks, split_checks
from wizard.datacheck.manifest import find_image_column, read_manifest
from wizard.datacheck.near_duplicates import near_duplicate_checks
from wizard.datacheck.pixels import PixelStats, pixel_stats, sampled
from wizard.datacheck.quality_checks import quality_checks
from wizard.datacheck.report import Check, DataReport, ScanStats, finding
from wizard.datacheck.runner import Progress, inspect_items
from wizard.datacheck.tabular import scan_table
from wizard.datacheck.texts import data_error
from wizard.errors import DataError, UsageError
from wizard.vocabulary import BACKBONES, IMAGE_MULTILABEL, TABULAR_TASKS, TASKS

CSV_SUFFIXES = (".csv", ".tsv")
MANIFEST_NAMES = ("labels", "metadata", "manifest", "annotations", "train", "data")


def run_scan(path: str | Path, *, task: str | None = None, label_column: str | None = None,
             image_column: str | None = None, label_columns: list[str] | None = None,
             backbone: str | None = None, workers: int | None = None, use_cache: bool = True,
             progress: Progress | None = None) -> DataReport:
    """Check a dataset folder or CSV file; see wizard.datacheck.scan."""
    _validate(task, backbone, workers)
    shown = str(path)
    target = Path(os.path.expanduser(str(path)))
    if not target.exists():
        raise data_error("no-such-path", path=shown, expected=expected_layouts())
    if not os.access(target, os.R_OK):
        raise data_error("permission-denied", path=shown)
    columns = {"image_column": image_column, "label_column": label_column, "label_columns": label_columns}
    if target.is_file():
        if target.suffix.lower() not in CSV_SUFFIXES:
            raise data_error("not-a-csv", path=shown, suffix=target.suffix or "plain", expected=expected_layouts())
        return _scan_csv(read_table(target), shown, task, backbone, workers, use_cache, progress, **columns)
    tables = _candidate_tables(target)
    if task in TABULAR_TASKS:
        if len(tables) != 1:
            found = ", ".join(t.name for t in tables) or "-"
            raise data_error("tabular-one-csv", path=shown, found=found)
        return _scan_csv(read_table(tables[0]), shown, task, backbone, workers, use_cache, progress,
                         **columns)
    for candidate in tables:
        try:
            table = read_table(candidate)
        except DataError:
            continue  # some other CSV next to the images; the folder layout may still apply
        found = find_image_column(table, image_column)
        if found:
            ds = read_manifest(table, task=task, found=found, image_column=image_column,
                               label_column=label_column, label_columns=label_columns)
            return _scan_images(ds, shown, task, backbone, workers, use_cache, progress)
    if looks_like_imagefolder(target):
        listings = FolderListings(target).load() if use_cache else None
        ds = read_imagefolder(target, listings)
        if listings:
            listings.save()
        return _scan_images(ds, shown, task, backbone, workers, use_cache, progress)
    raise data_error("no-layout", path=shown, expected=expected_layouts())


def _validate(task: str | None, backbone: str | None, workers: int | None) -> None:
    if task is not None and task not in TASKS:
        raise UsageError(f"task {task!r} is not known; allowed: {', '.join(TASKS)}")
    if backbone is not None and backbone not in BACKBONES:
        if timm_models.is_timm(backbone):
            if (problem := timm_models.name_problem(backbone)) is not None:
                raise UsageError(f"backbone {problem}")
        else:
            raise UsageError(f"backbone {backbone!r} is not known; allowed: {', '.join(BACKBONES)}, "
                             f"or {timm_models.FORM}")
    if workers is not None and workers < 1:
        raise UsageError(f"workers must be at least 1, not {workers}")


def _candidate_tables(folder: Path) -> list[Path]:
    """The CSV files at the top of a folder, likely manifest names first."""
    try:
        files = [e for e in os.scandir(folder) if e.is_file() and not is_hidden(e.name)
                 and os.path.splitext(e.name)[1].lower() in CSV_SUFFIXES]
    except OSError as exc:
        raise data_error("cannot-read", path=str(folder), reason=exc.strerror) from None

    def rank(name: str) -> tuple[int, str]:
        stem = os.path.splitext(name)[0].lower()
        return (MANIFEST_NAMES.index(stem) if stem in MANIFEST_NAMES else len(MANIFEST_NAMES), name)

    return [Path(e.path) for e in sorted(files, key=lambda e: rank(e.name))]


def _scan_csv(table: Table, shown: str, task: str | None, backbone: str | None, workers: int | None,
              use_cache: bool, progress: Progress | None, *, image_column: str | None,
              label_column: str | None, label_columns: list[str] | None) -> DataReport:
    if task not in TABULAR_TASKS:
        found = find_image_column(table, image_column)
        if found:
            ds = read_manifest(table, task=task, found=found, image_column=image_column,
                               label_column=label_column, label_columns=label_columns)
            return _scan_images(ds, shown, task, backbone, workers, use_cache, progress)
        if task is not None:
            raise data_error("no-image-column", path=shown, columns=", ".join(table.header))
        if image_column is not None:
            raise data_error("no-such-image-column", path=shown, column=image_column,
                             columns=", ".join(table.header))
    if progress:
        progress(0, 1)
    report = scan_table(table, shown_path=shown, task=task, label_column=label_column, backbone=backbone)
    if progress:
        progress(1, 1)
    return report


def _scan_images(ds: Dataset, shown: str, task: str | None, backbone: str | None, workers: int | None,
                 use_cache: bool, progress: Progress | None) -> DataReport:
    memo = ReportMemo(ds.root) if use_cache else None
    signature = _signature(ds, task, backbone) if memo else ""
    if memo:
        remembered = _remembered(memo, signature, ds, shown)
        if remembered is not None:
            if progress:
                progress(remembered.stats.files, remembered.stats.files)
            return remembered
    report = _build_report(ds, shown, task, backbone, workers, use_cache, progress)
    if memo:
        memo.save(signature, report.to_dict())
    return report


def _signature(ds: Dataset, task: str | None, backbone: str | None) -> str:
    """Everything a report is built from: the options, the layout's findings and every file's stat."""
    found = [(c.id, c.severity, c.title, c.count, c.examples, c.advice) for c in ds.checks]
    # Column by column, the loops in C: the fastest exact encoding of 100k items (only hashed, never loaded).
    # The paths are left out, as the names shown (relative to the root) determine them; no name holds a NUL.
    names = "\0".join(map(attrgetter("name"), ds.items)).encode("utf-8", "surrogateescape")
    columns = [pickle.dumps([*map(attrgetter(column), ds.items)], protocol=5)
               for column in ("split", "labels", "size", "mtime_ns")]
    return ReportMemo.signature(task, backbone, str(ds.root), ds.layout, ds.task, ds.label_format,
                                ds.label_column, ds.label_columns, ds.image_column, ds.classes, found, names,
                                *columns)


def _remembered(memo: ReportMemo, signature: str, ds: Dataset, shown: str) -> DataReport | None:
    data = memo.load(signature)
    if data is None:
        return None
    try:
        report = DataReport.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None
    files = report.stats.files  # the same items as when it was saved, or the signature would differ
    report.path = shown
    report.stats = ScanStats(files=files, decoded=0, cached=files, workers=1)
    return report


def _pixel_stats(ds: Dataset, results: dict[str, tuple[Any, ...]], use_cache: bool) -> PixelStats | None:
    """pixel_stats of the readable training images, remembered with the sample's names, sizes and times: a
    report built again with other options (task, backbone) decodes nothing."""
    paths = [i.path for i in ds.items if i.split == "train" and not results[i.path][2]]
    if not use_cache:
        return pixel_stats(paths)
    by_path = {item.path: item for item in ds.items}
    chosen = sampled(paths)
    memo = ReportMemo(ds.root, "pixels")
    signature = ReportMemo.signature([(by_path[p].name, by_path[p].size, by_path[p].mtime_ns) for p in chosen])
    data = memo.load(signature)
    if data == {}:
        return None
    if data is not None:
        try:
            return PixelStats(**{**data, "mean": tuple(data["mean"]), "std": tuple(data["std"])})
        except (KeyError, TypeError):
            pass  # a damaged memo: measure again
    stats = pixel_stats(chosen)
    memo.save(signature, asdict(stats) if stats else {})
    return stats


def _build_report(ds: Dataset, shown: str, task: str | None, backbone: str | None, workers: int | None,
                  use_cache: bool, progress: Progress | None) -> DataReport:
    checks: list[Check] = list(ds.checks)
    if task == IMAGE_MULTILABEL and ds.task != IMAGE_MULTILABEL:
        checks.append(finding("task-layout", "error"))
    results, stats = inspect_items(ds.items, ds.root, workers=workers, use_cache=use_cache, progress=progress)
    checks.extend(file_checks(ds.items, results))
    exact, copied = duplicate_checks(ds.items, results)
    checks.extend(exact)
    quality, near_constant = quality_checks(ds.items, results)
    near, leaked = near_duplicate_checks(ds.items, results, near_constant)
    checks.extend(near)
    checks.extend(quality)
    summary, geometry_checks = geometry(ds.items, results)
    if summary is not None:
        summary.pixels = _pixel_stats(ds, results, use_cache)
    checks.extend(geometry_checks)
    if ds.items and summary is None:
        checks.append(finding("no-readable-images", "error", len(ds.items)))
    splits, sizes = count_splits(ds)
    multilabel = ds.task == IMAGE_MULTILABEL
    checks.extend(split_checks(splits, sizes, classification=not multilabel, what="images"))
    if multilabel:
        checks.extend(multilabel_checks(ds))
    imbalance = imbalance_check(splits["train"], what="label" if multilabel else "class")
    if imbalance:
        checks.append(imbalance)
    checks.extend(capacity_checks(splits["train"], sizes["train"], backbone, classification=True,
                                  multilabel=multilabel))
    unusable, outside = split_outside(unusable_paths(ds.items, results, ds.layout, [*copied, *leaked]))
    return DataReport(
        path=shown, layout=ds.layout, task=ds.task, splits=splits, split_sizes=sizes, checks=checks,
        label_format=ds.label_format, label_column=ds.label_column, label_columns=ds.label_columns,
        image_column=ds.image_column, backbone=backbone, images=summary, stats=stats,
        unusable=unusable, unusable_outside=outside,
    )
