"""Dataset inspection (no torch, no textual): `scan()` a folder or CSV file into a `DataReport`."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wizard.datacheck.report import Check, DataReport, ImageSummary, ScanStats
from wizard.vocabulary import imbalance_band

__all__ = ["Check", "DataReport", "ImageSummary", "ScanStats", "imbalance_band", "scan"]


def scan(path: str | Path, *, task: str | None = None, label_column: str | None = None,
         image_column: str | None = None, label_columns: list[str] | None = None,
         backbone: str | None = None, workers: int | None = None, use_cache: bool = True,
         progress: Callable[[int, int], None] | None = None) -> DataReport:
    """Check a dataset and report what is wrong with it, before any training.

    path: an ImageFolder root (class folders, optionally inside train/val/test folders), a folder holding
    a CSV manifest, or a CSV file (an image manifest or a table). task: image-classification,
    image-multilabel, tabular-classification, tabular-regression, or None to detect it. label_column /
    image_column / label_columns: CSV columns (None: detect). backbone: the model, for the dataset size
    versus parameter count check. workers: processes decoding images (default min(CPUs, 8); 1 decodes in
    this process). use_cache: reuse per-file results of earlier scans (keyed by path, size and mtime).
    progress(done, total): called from the scanning thread as files are inspected.

    Raises wizard.errors.DataError when the path is missing, unreadable or has no recognisable layout,
    and UsageError for unknown task/backbone names.
    """
    from wizard.datacheck.scanner import run_scan

    with _cycle_collection_paused():
        return run_scan(path, task=task, label_column=label_column, image_column=image_column,
                        label_columns=label_columns, backbone=backbone, workers=workers, use_cache=use_cache,
                        progress=progress)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """A scan builds a few objects per file and no reference cycles, so the collector's passes over the
    growing heap only cost time (about a tenth of a rescan); it runs again afterwards as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
