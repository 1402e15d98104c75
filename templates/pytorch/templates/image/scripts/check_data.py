{%- if f.multilabel -%}
"""Check the dataset before training: the label format, splits, label counts, unreadable images and duplicates.
{%- else -%}
"""Check the dataset before training: labels, splits, class counts, unreadable images and duplicates.
{%- endif %}

    python scripts/check_data.py [--config config.yaml] [--set data.path=...]

Exit code: 0 no errors (warnings allowed), 1 errors found, 2 the data cannot be read at all.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

from PIL import Image  # noqa: E402
from tqdm import tqdm  # noqa: E402

from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import Sample, find_splits  # noqa: E402
from {{ c.slug }}.errors import DataError, UserError  # noqa: E402

{% if f.multilabel -%}
IMBALANCE_WARN = {{ c._vocabulary.imbalance_warn }}  # most frequent label / least frequent label
FEW_PER_CLASS = {{ c._vocabulary.min_per_class }}  # fewer training images than this with a label is too few to learn it
{%- else -%}
IMBALANCE_WARN = {{ c._vocabulary.imbalance_warn }}  # largest class / smallest class
FEW_PER_CLASS = {{ c._vocabulary.min_per_class }}  # fewer training images than this in a class is too few to learn it
{%- endif %}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Check the dataset described by config.yaml.")
    add_config_arguments(parser, "override a config value, e.g. data.path=other/data (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        splits = find_splits(cfg)
    except DataError as exc:  # found, but not readable as config.yaml describes it
        print(f"ERROR  {exc}")
        return 2 if not Path(cfg["data"]["path"]).exists() else 1
    errors, warnings = [], list(splits.notes)
    named = {"train": splits.train, "val": splits.val, "test": splits.test}
{%- if f.multilabel %}
    print(f"data: {cfg['data']['path']}\nlabels: {splits.label_format}\nvalidation: {splits.val_source}")

    # images per label and split (an image with several labels counts for each)
    counts = {name: Counter(label for s in samples for label in s.labels) for name, samples in named.items()}
    classes = sorted(counts["train"])
    shown = [name for name in named if named[name] and (name != "test" or splits.test is not splits.val)]
    width = max([8, *(len(c) for c in classes)])
    print(f"\n{'label':<{width}}  " + "  ".join(f"{name:>6}" for name in shown))
    for label in classes:
        print(f"{label:<{width}}  " + "  ".join(f"{counts[name][label]:>6}" for name in shown))
    print(f"{'no label':<{width}}  " + "  ".join(f"{sum(not s.labels for s in named[name]):>6}" for name in shown))
    print(f"{'images':<{width}}  " + "  ".join(f"{len(named[name]):>6}" for name in shown) + "\n")
    if not classes:
        errors.append("no training image carries a label")
    always = [c for c in classes if counts["train"][c] == len(splits.train)]
    if always:
        warnings.append(f"labels on every training image (nothing to learn): {', '.join(map(repr, always[:10]))}")
{%- else %}
    print(f"data: {cfg['data']['path']}\nvalidation: {splits.val_source}")

    # labels and counts per split
    counts = {name: Counter(s.label for s in samples) for name, samples in named.items()}
    classes = sorted(counts["train"])
    shown = [name for name in named if named[name] and (name != "test" or splits.test is not splits.val)]
    width = max([5, *(len(c) for c in classes)])
    print(f"\n{'class':<{width}}  " + "  ".join(f"{name:>6}" for name in shown))
    for label in classes:
        print(f"{label:<{width}}  " + "  ".join(f"{counts[name][label]:>6}" for name in shown))
    print(f"{'total':<{width}}  " + "  ".join(f"{len(named[name]):>6}" for name in shown) + "\n")
    if len(classes) < 2:
        errors.append(f"the training split has {len(classes)} class(es); classification needs at least 2")
{%- endif %}
    for name in ("val", "test"):
        unseen = sorted(set(counts[name]) - set(classes))
        if unseen:
            errors.append(
                f"{name} labels not in the training split: {', '.join(map(repr, unseen[:10]))} "
                "(spelling, case, spaces?)"
            )
    missing_val = [c for c in classes if counts["val"][c] == 0]
{%- if f.multilabel %}
    if missing_val and splits.val:
        warnings.append(f"labels without validation images: {', '.join(map(repr, missing_val[:10]))}")
    if classes:
        largest, smallest = max(counts["train"].values()), min(counts["train"].values())
        print(f"imbalance (most/least frequent label): {largest / smallest:.1f}:1")
        if largest / smallest > IMBALANCE_WARN:
            warnings.append(
                f"strong label imbalance {largest / smallest:.0f}:1: watch per-label recall, "
                "not only accuracy (imbalance.strategy class-weights weights each label's positives)"
            )
        few = [c for c in classes if counts["train"][c] < FEW_PER_CLASS]
        if few:
            listed = ", ".join(map(repr, few[:10]))
            warnings.append(f"labels on fewer than {FEW_PER_CLASS} training images: {listed}")
{%- else %}
    if missing_val and splits.val:
        warnings.append(f"classes without validation images: {', '.join(map(repr, missing_val[:10]))}")
    if classes:
        largest, smallest = max(counts["train"].values()), min(counts["train"].values())
        print(f"imbalance (largest/smallest class): {largest / smallest:.1f}:1")
        if largest / smallest > IMBALANCE_WARN:
            warnings.append(
                f"strong class imbalance {largest / smallest:.0f}:1: watch per-class recall, not only accuracy"
            )
        few = [c for c in classes if counts["train"][c] < FEW_PER_CLASS]
        if few:
            listed = ", ".join(map(repr, few[:10]))
            warnings.append(f"classes with fewer than {FEW_PER_CLASS} training images: {listed}")
{%- endif %}

    # every file decoded; exact duplicates by content
    unique = {s.path: s for samples in named.values() for s in samples}
    owners: dict[str, list[tuple[str, Sample]]] = defaultdict(list)
    split_of = {s.path: name for name, samples in named.items() for s in samples}
    corrupt = []
    for sample in tqdm(unique.values(), desc="reading images", leave=False, disable=None):
        try:
            digest = hashlib.sha1(sample.path.read_bytes()).hexdigest()
            with Image.open(sample.path) as image:
                image.load()
        except (OSError, ValueError) as exc:
            corrupt.append(f"{sample.path} ({exc})")
            continue
        owners[digest].append((split_of[sample.path], sample))
    if corrupt:
        errors.append(f"{len(corrupt)} unreadable images, e.g. {corrupt[0]}")
    groups = [group for group in owners.values() if len(group) > 1]
    conflicting = [g for g in groups if len({s.{{ "labels" if f.multilabel else "label" }} for _, s in g}) > 1]
    leaking = [g for g in groups if "train" in {split for split, _ in g} and {split for split, _ in g} - {"train"}]
    if conflicting:
        errors.append(
            f"{len(conflicting)} identical images with different labels, e.g. "
{%- if f.multilabel %}
            + " and ".join(f"{s.path} ({', '.join(s.labels) or 'no label'})" for _, s in conflicting[0][:2])
{%- else %}
            + " and ".join(f"{s.path} ({s.label})" for _, s in conflicting[0][:2])
{%- endif %}
        )
    if leaking:
        errors.append(
            f"{len(leaking)} images appear in training and in validation/test: scores would be optimistic; "
            "leave the copies out of validation/test (data.exclude in config.yaml)"
        )
    if len(groups) > len(conflicting):
        warnings.append(f"{len(groups) - len(conflicting)} groups of duplicate images (same {{ "labels" if f.multilabel else "label" }})")

    for text in warnings:
        print(f"WARN   {text}")
    for text in errors:
        print(f"ERROR  {text}")
    print(f"\n{len(unique)} images checked: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
