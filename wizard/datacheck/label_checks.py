"""Checks on labels across splits: unseen or missing classes, look-alike class names, imbalance, and
multi-label cardinality."""

from __future__ import annotations

import re
from collections import Counter

from wizard.datacheck.dataset import SPLIT_ORDER, Dataset
from wizard.datacheck.report import Check, finding
from wizard.vocabulary import imbalance_band

Splits = dict[str, dict[str, int]]


def count_splits(ds: Dataset) -> tuple[Splits, dict[str, int]]:
    """Split -> class -> items (multi-label: positives), declared empty classes included; and split sizes."""
    splits: Splits = {split: dict.fromkeys(names, 0) for split, names in ds.classes.items()}
    sizes: Counter[str] = Counter()
    for item in ds.items:
        sizes[item.split] += 1
        counts = splits.setdefault(item.split, {})
        for label in item.labels:
            counts[label] = counts.get(label, 0) + 1
    splits.setdefault("train", {})
    order = {s: i for i, s in enumerate(SPLIT_ORDER)}
    ordered = {s: dict(sorted(splits[s].items())) for s in sorted(splits, key=lambda s: (order.get(s, 9), s))}
    return ordered, {s: sizes.get(s, 0) for s in ordered}


def split_checks(splits: Splits, sizes: dict[str, int], *, classification: bool, what: str) -> list[Check]:
    """Missing training data, classes seen only outside train, train classes absent from val, one class,
    and class names that differ only in case, spaces or punctuation."""
    checks: list[Check] = []
    train = {c for c, n in splits.get("train", {}).items() if n > 0}
    if sizes.get("train", 0) == 0:
        checks.append(finding("no-training-data", "error", title=f"no-training-data.{what}"))
        return checks
    unseen = []
    for split in ("val", "test"):
        for label, n in splits.get(split, {}).items():
            if n > 0 and label not in train:
                twin = _lookalike(label, train)
                unseen.append(f"{split}: {label!r} ({n})" + (f", train has {twin!r}" if twin else ""))
    if unseen:
        checks.append(finding("val-label-not-in-train", "error", len(unseen), unseen))
    if sizes.get("val", 0) > 0:
        missing = sorted(c for c in train if splits.get("val", {}).get(c, 0) == 0)
        if missing:
            checks.append(finding("train-class-missing-from-val", "warning", len(missing), missing))
    if classification and len(train) < 2:
        checks.append(finding("single-class", "error", len(train), sorted(train), title=f"single-class.{what}"))
    all_labels = sorted({label for counts in splits.values() for label in counts})
    groups: dict[str, list[str]] = {}
    for label in all_labels:
        groups.setdefault(_normal(label), []).append(label)
    lookalikes = [" / ".join(repr(x) for x in g) for g in groups.values() if len(g) > 1]
    if lookalikes:
        checks.append(finding("label-lookalikes", "warning", len(lookalikes), lookalikes))
    return checks


def _normal(label: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", label).strip().lower()


def _lookalike(label: str, known: set[str]) -> str | None:
    key = _normal(label)
    return next((k for k in sorted(known) if _normal(k) == key), None)


def imbalance_check(counts: dict[str, int], *, what: str = "class") -> Check | None:
    """The imbalance ratio over non-empty classes and the strategy its band calls for."""
    nonzero = {c: n for c, n in counts.items() if n > 0}
    if len(nonzero) < 2:
        return None
    largest = max(nonzero, key=lambda c: (nonzero[c], c))
    smallest = min(nonzero, key=lambda c: (nonzero[c], c))
    ratio = nonzero[largest] / nonzero[smallest]
    band = imbalance_band(ratio, nonzero[smallest])
    assert band is not None
    return finding(
        "class-imbalance", "warning" if band in ("oversample", "collect-more-data") else "info", len(nonzero),
        [f"{c}: {n}" for c, n in sorted(nonzero.items(), key=lambda x: (x[1], x[0]))[:5]],
        title="class-imbalance.label" if what == "label" else "class-imbalance", ratio=f"{ratio:.1f}",
        largest=repr(largest), largest_count=f"{nonzero[largest]:,}", smallest=repr(smallest),
        smallest_count=f"{nonzero[smallest]:,}", band_key=band,
    )


def multilabel_checks(ds: Dataset) -> list[Check]:
    """Labels per item, items without labels, and data that is really single-label."""
    train = [item for item in ds.items if item.split == "train"]
    if not train:
        return []
    per_item = [len(item.labels) for item in train]
    mean = sum(per_item) / len(per_item)
    checks = [finding("multilabel-cardinality", "info", len(train), mean=f"{mean:.2f}", min=min(per_item),
                      max=max(per_item))]
    if max(per_item) <= 1:
        checks.append(finding("multilabel-single", "warning", len(train)))
    empty = [item.name for item in ds.items if not item.labels]
    if empty:
        share = len(empty) / len(ds.items)
        checks.append(finding("missing-label", "warning" if share > 0.05 else "info", len(empty), empty,
                              title="missing-label.items", advice="missing-label.items", share=f"{share:.1%}"))
    return checks
