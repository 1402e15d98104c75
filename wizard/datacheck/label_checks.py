"""Checks on labels across splits: unseen or missing classes, look-alike class names, imbalance, and
multi-label cardinality."""

from __future__ import annotations

import re
from collections import Counter

from wizard.datacheck.dataset import SPLIT_ORDER, Dataset
from wizard.datacheck.report import IMBALANCE_BANDS, Check, imbalance_band

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
        checks.append(Check(
            "no-training-data", "error", f"No labelled training {what}", 0, [],
            "Put the training data in train/ (or in class folders at the root), or fix the split column.",
        ))
        return checks
    unseen = []
    for split in ("val", "test"):
        for label, n in splits.get(split, {}).items():
            if n > 0 and label not in train:
                twin = _lookalike(label, train)
                unseen.append(f"{split}: {label!r} ({n})" + (f", train has {twin!r}" if twin else ""))
    if unseen:
        checks.append(Check(
            "val-label-not-in-train", "error", "Labels in validation/test that training never shows",
            len(unseen), unseen,
            "Fix the label names (case, spaces?) or add training examples; the model cannot predict a class "
            "it never saw.",
        ))
    if sizes.get("val", 0) > 0:
        missing = sorted(c for c in train if splits.get("val", {}).get(c, 0) == 0)
        if missing:
            checks.append(Check(
                "train-class-missing-from-val", "warning", "Training classes without any validation example",
                len(missing), missing,
                "Add validation examples for them, or their accuracy cannot be measured.",
            ))
    if classification and len(train) < 2:
        checks.append(Check(
            "single-class", "error", f"Training {what} have fewer than two classes", len(train),
            sorted(train),
            "A classifier needs at least two classes; check the label column or the class folders.",
        ))
    all_labels = sorted({label for counts in splits.values() for label in counts})
    groups: dict[str, list[str]] = {}
    for label in all_labels:
        groups.setdefault(_normal(label), []).append(label)
    lookalikes = [" / ".join(repr(x) for x in g) for g in groups.values() if len(g) > 1]
    if lookalikes:
        checks.append(Check(
            "label-lookalikes", "warning", "Class names that differ only in case, spaces or punctuation",
            len(lookalikes), lookalikes,
            "Merge them into one spelling, unless they really are different classes.",
        ))
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
    return Check(
        "class-imbalance", "warning" if band in ("oversample", "collect-more-data") else "info",
        f"Imbalance {ratio:.1f}:1 (largest {what} {largest!r}: {nonzero[largest]:,}, "
        f"smallest {smallest!r}: {nonzero[smallest]:,})", round(ratio),
        [f"{c}: {n}" for c, n in sorted(nonzero.items(), key=lambda x: (x[1], x[0]))[:5]],
        f"Strategy: {IMBALANCE_BANDS[band]}; judge the model by per-class precision/recall and macro-F1.",
    )


def multilabel_checks(ds: Dataset) -> list[Check]:
    """Labels per item, items without labels, and data that is really single-label."""
    train = [item for item in ds.items if item.split == "train"]
    if not train:
        return []
    per_item = [len(item.labels) for item in train]
    mean = sum(per_item) / len(per_item)
    checks = [Check(
        "multilabel-cardinality", "info",
        f"{mean:.2f} labels per item on average (min {min(per_item)}, max {max(per_item)})", len(train), [],
        "The generated model scores each label independently (sigmoid) and picks a threshold per label.",
    )]
    if max(per_item) <= 1:
        checks.append(Check(
            "multilabel-single", "warning", "No item has more than one label", len(train), [],
            "This is single-label data: the image-classification task (softmax) fits it better.",
        ))
    empty = [item.name for item in ds.items if not item.labels]
    if empty:
        share = len(empty) / len(ds.items)
        checks.append(Check(
            "missing-label", "warning" if share > 0.05 else "info", f"Items without any label ({share:.1%})",
            len(empty), empty, "Fine if 'none of the labels' is a valid answer; otherwise label them.",
        ))
    return checks
