"""Finding the images and their labels ({{ "a CSV manifest, several labels per image" if f.multilabel else "class folders or a CSV manifest" }}), and the datasets that load them."""

from __future__ import annotations

import csv
{% if not f.multilabel -%}
import os
{% endif -%}
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

{% if f.multilabel -%}
import torch
{% endif -%}
from PIL import Image, ImageOps
from torch.utils.data import Dataset

from .errors import DataError
{%- if f.multilabel %}
from .multilabel import LabelReader, multi_hot
{%- endif %}
from .splits import {{ "split_column, split_of" if f.multilabel else "SPLIT_NAMES, split_column, split_of" }}
from .transforms import build_transforms


@dataclass(frozen=True)
class Sample:
    path: Path
    {{ "labels: tuple[str, ...]  # empty: none of the labels applies to the image" if f.multilabel else "label: str" }}


@dataclass
class Splits:
    """The samples of each split, where the validation split came from, and what was skipped."""

    train: list[Sample]
    val: list[Sample]
    test: list[Sample] = field(default_factory=list)
    val_source: str = ""
    notes: list[str] = field(default_factory=list)
{%- if f.multilabel %}
    label_format: str = ""  # how the manifest encodes the labels
{%- endif %}


@dataclass
class Datasets:
    train: ImageDataset
    val: ImageDataset
    class_to_idx: dict[str, int]
    splits: Splits

    @property
    def classes(self) -> list[str]:
        return sorted(self.class_to_idx, key=self.class_to_idx.__getitem__)
{%- if f.multilabel %}

    def label_counts(self) -> list[int]:
        """Training images carrying each label, in label-index order."""
        return self.train.targets.sum(dim=0).int().tolist()
{%- else %}

    def class_counts(self) -> list[int]:
        """Training samples per class, in class-index order."""
        counts = Counter(self.train.targets)
        return [counts[i] for i in range(len(self.class_to_idx))]
{%- endif %}


def build_datasets(cfg: dict[str, Any], class_to_idx: dict[str, int] | None = None, augment: bool = True) -> Datasets:
    """The training and validation datasets; one {{ "label" if f.multilabel else "class" }} mapping (from the training split) for both.

    Pass `class_to_idx` (e.g. from a checkpoint) to use that mapping instead; `augment=False` gives the
    training split the evaluation transforms (the capacity test).
    """
    splits = find_splits(cfg)
    mapping = class_to_idx if class_to_idx is not None else class_mapping(splits.train)
    check_labels(splits, mapping)
    if not splits.val:
        raise DataError(f"{cfg['data']['path']}: no validation images ({splits.val_source})")
    return Datasets(
        train=ImageDataset(splits.train, mapping, build_transforms(cfg, train=augment)),
        val=ImageDataset(splits.val, mapping, build_transforms(cfg, train=False)),
        class_to_idx=mapping,
        splits=splits,
    )


def eval_dataset(cfg: dict[str, Any], split: str, class_to_idx: dict[str, int]) -> ImageDataset:
    """One split ('train', 'val' or 'test') with evaluation transforms and the given class mapping."""
    splits = find_splits(cfg)
    check_labels(splits, class_to_idx)
    samples = getattr(splits, split)
    if not samples:
        raise DataError(f"{cfg['data']['path']}: the data has no {split!r} split")
    return ImageDataset(samples, class_to_idx, build_transforms(cfg, train=False))


def load_image(path: Path) -> Image.Image:
    """An RGB image, rotated as its EXIF orientation says."""
    try:
        with Image.open(path) as image:
            return ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError) as exc:
        raise DataError(
            f"{path}: cannot be read as an image ({exc}); run scripts/check_data.py, then fix "
            "or delete the file, or list it in data.exclude in config.yaml"
        ) from None


def find_splits(cfg: dict[str, Any]) -> Splits:
    """Find every sample as config.yaml's data section describes, without those data.exclude lists."""
    root = Path(cfg["data"]["path"])
    if not root.exists():
        raise DataError(f"{root}: no such file or folder (data.path in config.yaml)")
    splits = _all_splits(cfg, root)
    return leave_out(splits, root if root.is_dir() else root.parent, cfg["data"]["exclude"])


def leave_out(splits: Splits, base: Path, exclude: list[str]) -> Splits:
    """The splits without the images `exclude` lists (paths relative to `base`; a folder ends with /), with
    notes saying how many were left out and which entries match no image (fixed, moved or mistyped)."""
    if not exclude:
        return splits
    files = {entry for entry in exclude if not entry.endswith("/")}
    folders = tuple(entry for entry in exclude if entry.endswith("/"))
    matched: set[str] = set()
    dropped: set[Path] = set()

    def kept(samples: list[Sample]) -> list[Sample]:
        out = []
        for sample in samples:
            try:
                relative = sample.path.relative_to(base).as_posix()
            except ValueError:  # a manifest row pointing outside the data folder
                out.append(sample)
                continue
            entry = relative if relative in files else next((f for f in folders if relative.startswith(f)), None)
            if entry is None:
                out.append(sample)
            else:
                matched.add(entry)
                dropped.add(sample.path)
        return out

    splits.train, splits.val, splits.test = kept(splits.train), kept(splits.val), kept(splits.test)
    splits.notes.append(f"{len(dropped)} images left out, as data.exclude in config.yaml lists them")
    unmatched = [entry for entry in exclude if entry not in matched]
    if unmatched:
        splits.notes.append(
            f"data.exclude: {len(unmatched)} entries match no image (fixed, moved or mistyped?), e.g. {unmatched[0]!r}"
        )
    return splits


def _natural_key(name: str) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


{% include "image/package/data/" ~ f.kind ~ ".py" %}