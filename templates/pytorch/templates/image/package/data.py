"""Finding the images and their labels ({{ "class folders or a CSV manifest" if f.folders and f.manifest else "class folders" if f.folders else "a CSV manifest" }}{{ ", several labels per image" if f.multilabel else "" }}), and the datasets that load them."""

from __future__ import annotations

{% if f.manifest -%}
import csv
{% endif -%}
{% if f.folders -%}
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
from .splits import {{ "SPLIT_NAMES, split_column, split_of" if f.folders and f.manifest else "SPLIT_NAMES" if f.folders else "split_column, split_of" }}
from .transforms import build_transforms
{%- if f.folders %}

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"})
{%- endif %}


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


{% if f.multilabel -%}
class ImageDataset(Dataset):
    """(image tensor, multi-hot label vector) pairs for a list of samples."""

    def __init__(self, samples: list[Sample], class_to_idx: dict[str, int], transform: Any) -> None:
        self.samples = samples
        # (images, labels) of 0/1: the labels each image carries
        self.targets = torch.stack([multi_hot(s.labels, class_to_idx) for s in samples]) if samples else torch.zeros(0)
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Any, torch.Tensor]:
        return self.transform(load_image(self.samples[index].path)), self.targets[index]
{%- else -%}
class ImageDataset(Dataset):
    """(image tensor, class index) pairs for a list of samples."""

    def __init__(self, samples: list[Sample], class_to_idx: dict[str, int], transform: Any) -> None:
        self.samples = samples
        self.targets = [class_to_idx[s.label] for s in samples]
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        return self.transform(load_image(self.samples[index].path)), self.targets[index]
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


{% if f.multilabel -%}
def class_mapping(samples: list[Sample]) -> dict[str, int]:
    """Label name -> index (the model's output for it), names in natural order ('2' before '10')."""
    names = sorted({label for s in samples for label in s.labels}, key=_natural_key)
    if not names:
        raise DataError("no training image carries a label")
    return {name: index for index, name in enumerate(names)}


def check_labels(splits: Splits, class_to_idx: dict[str, int]) -> None:
    """Every label of every split must be a label of the mapping built from the training split."""
    for name in ("train", "val", "test"):
        unseen = Counter(label for s in getattr(splits, name) for label in s.labels if label not in class_to_idx)
        if unseen:
{%- else -%}
def class_mapping(samples: list[Sample]) -> dict[str, int]:
    """Class name -> index, names in natural order ('2' before '10')."""
    names = sorted({s.label for s in samples}, key=_natural_key)
    if len(names) < 2:
        raise DataError(f"the training split has {len(names)} class(es); classification needs at least 2")
    return {name: index for index, name in enumerate(names)}


def check_labels(splits: Splits, class_to_idx: dict[str, int]) -> None:
    """Every label of every split must be a class of the mapping built from the training split."""
    for name in ("train", "val", "test"):
        unseen = Counter(s.label for s in getattr(splits, name) if s.label not in class_to_idx)
        if unseen:
{%- endif %}
            listed = ", ".join(f"{label!r} ({count} images)" for label, count in unseen.most_common(5))
            raise DataError(
                f"{name} split has labels the training split does not have: {listed}; "
                f"known classes: {', '.join(map(repr, class_to_idx))}. Check spelling, case and spaces, "
                "or leave those images out with data.exclude in config.yaml."
            )


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


def _all_splits(cfg: dict[str, Any], root: Path) -> Splits:
{%- if c.data.layout == "auto" and f.multilabel %}
    if root.is_dir():
        root = _only_manifest(root)
    return _manifest_splits(cfg, root)
{%- elif c.data.layout == "auto" %}
    if root.is_file():
        return _manifest_splits(cfg, root)
    return _folder_splits(cfg, root)
{%- elif c.data.layout == "imagefolder" %}
    if not root.is_dir():
        raise DataError(f"{root}: expected a folder of class folders (data.layout: imagefolder)")
    return _folder_splits(cfg, root)
{%- else %}
    if not root.is_file():
        raise DataError(f"{root}: expected a CSV manifest file (data.layout: csv)")
    return _manifest_splits(cfg, root)
{%- endif %}


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
{%- if f.folders %}


def _folder_splits(cfg: dict[str, Any], root: Path) -> Splits:
    """root/<class>/* split by val_fraction, or root/{train,val,test}/<class>/*."""
    subdirs = {d.name.lower(): d for d in _visible_dirs(root)}
    found = {split: next((subdirs[n] for n in names if n in subdirs), None) for split, names in SPLIT_NAMES.items()}
    notes: list[str] = []
    if found["train"] is None:
        samples = _class_folder_samples(root, notes)
        train, val = stratified_split(samples, cfg["data"]["val_fraction"], cfg["training"]["seed"])
        source = f"{cfg['data']['val_fraction']:.0%} of each class held out (seed {cfg['training']['seed']})"
        return Splits(train, val, val_source=source, notes=notes)
    train = _class_folder_samples(found["train"], notes)
    test = _class_folder_samples(found["test"], notes) if found["test"] else []
    if found["val"] is not None:
        val, source = _class_folder_samples(found["val"], notes), f"the {found['val'].name}/ folder"
    elif test:
        val, source = test, f"the {found['test'].name}/ folder (there is no val/ folder)"
    else:
        train, val = stratified_split(train, cfg["data"]["val_fraction"], cfg["training"]["seed"])
        source = f"{cfg['data']['val_fraction']:.0%} of each class in {found['train'].name}/ held out"
    return Splits(train, val, test, val_source=source, notes=notes)


def _class_folder_samples(folder: Path, notes: list[str]) -> list[Sample]:
    samples = []
    for class_dir in _visible_dirs(folder):
        files = _image_files(class_dir)
        if not files:
            notes.append(f"{class_dir}: empty class folder (skipped)")
        samples += [Sample(path, class_dir.name) for path in files]
    loose = [p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS]
    if loose:
        notes.append(f"{folder}: {len(loose)} images outside class folders (skipped), e.g. {loose[0]}")
    if not samples:
        raise DataError(f"{folder}: no images in class folders (expected {folder}/<class name>/<image>)")
    return samples


def _visible_dirs(folder: Path) -> list[Path]:
    return sorted(d for d in folder.iterdir() if d.is_dir() and not _hidden(d.name))


def _image_files(folder: Path) -> list[Path]:
    files = []
    for parent, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        files += [
            Path(parent, n) for n in sorted(names) if not _hidden(n) and Path(n).suffix.lower() in IMAGE_EXTENSIONS
        ]
    return files
{%- endif %}
{%- if f.multilabel %}


def _manifest_splits(cfg: dict[str, Any], manifest: Path) -> Splits:
    """Rows of a CSV manifest: image path (relative to the CSV) and labels; an optional split column."""
    data = cfg["data"]
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{manifest}: cannot be read as CSV ({exc})") from None
    label_key = "data.label_columns" if data["label_columns"] else "data.label_column"
    needed = [("data.image_column", data["image_column"])]
    needed += [(label_key, column) for column in data["label_columns"] or [data["label_column"]]]
    for key, column in needed:
        if column not in columns:
            raise DataError(f"{manifest}: no column {column!r} ({key}); columns: {', '.join(columns)}")
    cells = [] if data["label_columns"] else [row[data["label_column"]] or "" for row in rows]
    labels = LabelReader.detect(cfg, cells)
    column = split_column(cfg, columns, manifest)
    by_split: dict[str, list[Sample]] = {"train": [], "val": [], "test": []}
    missing, unlabeled = [], 0
    for line, row in enumerate(rows, start=2):
        path = manifest.parent / (row[data["image_column"]] or "").strip()
        sample = Sample(path, labels.read(row, f"{manifest}: line {line}"))
        if not path.is_file():
            missing.append(row[data["image_column"]])
        else:
            unlabeled += not sample.labels
            split = split_of(row[column] if column else None, column or "split", f"{manifest}: line {line}")
            by_split[split].append(sample)
    if missing:
        raise DataError(f"{manifest}: {len(missing)} rows point to missing files, e.g. {missing[0]!r}")
    if not by_split["train"]:
        raise DataError(f"{manifest}: no training rows")
    notes = [f"{unlabeled} images carry none of the labels (they show the model what no label looks like)"]
    notes = notes if unlabeled else []
    if column and (by_split["val"] or by_split["test"]):
        val = by_split["val"] or by_split["test"]
        source = (
            f"rows the {column!r} column puts in val"
            if by_split["val"]
            else f"rows the {column!r} column puts in test (there are no val rows)"
        )
        return Splits(by_split["train"], val, by_split["test"], source, notes, labels.describe())
    train, val = holdout_split(by_split["train"], data["val_fraction"], cfg["training"]["seed"])
    source = (
        f"{data['val_fraction']:.0%} of the images held out, every label kept in training "
        f"(seed {cfg['training']['seed']})"
    )
    return Splits(train, val, by_split["test"], source, notes, labels.describe())
{%- if c.data.layout == "auto" %}


def _only_manifest(folder: Path) -> Path:
    """The CSV manifest inside a data folder (there must be exactly one)."""
    found = sorted(folder.glob("*.csv"))
    if len(found) != 1:
        listed = ", ".join(p.name for p in found) or "none"
        raise DataError(
            f"{folder}: expected one CSV manifest in the folder (found: {listed}); set data.path to the CSV file"
        )
    return found[0]
{%- endif %}


def holdout_split(samples: list[Sample], fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Hold out `fraction` of the images at random, except images whose label would then be missing from
    training (a label the model never sees in training cannot be learned)."""
    rng = random.Random(seed)
    n_val = min(len(samples) - 1, max(1, round(len(samples) * fraction)))
    left = Counter(label for sample in samples for label in sample.labels)  # training images per label
    train, val = [], []
    for sample in rng.sample(samples, len(samples)):
        if len(val) < n_val and all(left[label] > 1 for label in sample.labels):
            val.append(sample)
            left.subtract(sample.labels)
        else:
            train.append(sample)
    return train, val
{%- else %}
{%- if f.manifest %}


def _manifest_splits(cfg: dict[str, Any], manifest: Path) -> Splits:
    """Rows of a CSV manifest: image path (relative to the CSV) and label; an optional split column."""
    image_column, label_column = cfg["data"]["image_column"], cfg["data"]["label_column"]
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{manifest}: cannot be read as CSV ({exc})") from None
    for key, column in (("data.image_column", image_column), ("data.label_column", label_column)):
        if column not in columns:
            raise DataError(f"{manifest}: no column {column!r} ({key}); columns: {', '.join(columns)}")
    column = split_column(cfg, columns, manifest)
    by_split: dict[str, list[Sample]] = {"train": [], "val": [], "test": []}
    missing, unlabeled = [], []
    for line, row in enumerate(rows, start=2):
        path, label = manifest.parent / (row[image_column] or "").strip(), (row[label_column] or "").strip()
        if not label:
            unlabeled.append(line)
        elif not path.is_file():
            missing.append(row[image_column])
        else:
            split = split_of(row[column] if column else None, column or "split", f"{manifest}: line {line}")
            by_split[split].append(Sample(path, label))
    if unlabeled:
        raise DataError(f"{manifest}: {len(unlabeled)} rows have no label (first at line {unlabeled[0]})")
    if missing:
        raise DataError(f"{manifest}: {len(missing)} rows point to missing files, e.g. {missing[0]!r}")
    if not by_split["train"]:
        raise DataError(f"{manifest}: no training rows")
    if column and (by_split["val"] or by_split["test"]):
        val = by_split["val"] or by_split["test"]
        source = (
            f"rows the {column!r} column puts in val"
            if by_split["val"]
            else f"rows the {column!r} column puts in test (there are no val rows)"
        )
        return Splits(by_split["train"], val, by_split["test"], val_source=source)
    train, val = stratified_split(by_split["train"], cfg["data"]["val_fraction"], cfg["training"]["seed"])
    source = f"{cfg['data']['val_fraction']:.0%} of each class held out (seed {cfg['training']['seed']})"
    return Splits(train, val, by_split["test"], val_source=source)
{%- endif %}


def stratified_split(samples: list[Sample], fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Hold out `fraction` of each class (at least one image of every class with two or more)."""
    rng = random.Random(seed)
    by_class: dict[str, list[Sample]] = {}
    for sample in samples:
        by_class.setdefault(sample.label, []).append(sample)
    train, val = [], []
    for label in sorted(by_class, key=_natural_key):
        items = by_class[label][:]
        rng.shuffle(items)
        n_val = min(len(items) - 1, max(1, round(len(items) * fraction)))
        val += items[:n_val]
        train += items[n_val:]
    return train, val
{%- endif %}


{% if f.folders -%}
def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


{% endif -%}
def _natural_key(name: str) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]
