"""Finding images and their labels: separated labels or 0/1 columns, one label mapping from training, clear errors."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import CLASSES, LABEL_SETS, make_dataset
from PIL import Image

from {{ c.slug }}.data import build_datasets, load_image
from {{ c.slug }}.errors import DataError


def rewrite(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    """Apply `change` to the rows of a CSV file (the rows as dicts; new columns go last)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    rows = change(rows)
    columns = [c for c in columns if c in rows[0]] + [c for c in rows[0] if c not in columns]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_datasets_share_the_training_label_mapping(cfg: dict) -> None:
    data = build_datasets(cfg)
    assert data.classes == list(CLASSES)
    assert len(data.train) == 8 * len(LABEL_SETS) and len(data.val) == 3 * len(LABEL_SETS)
    image, target = data.train[0]
    assert image.shape == (3, 32, 32) and image.dtype == torch.float32
    assert target.dtype == torch.float32 and set(target.tolist()) <= {0.0, 1.0} and target.shape == (3,)
    assert data.label_counts() == [8 * 4, 8 * 4, 8 * 4]  # every label is in 4 of the 8 label sets


def test_evaluation_transforms_are_deterministic(cfg: dict) -> None:
    data = build_datasets(cfg, augment=False)
    assert torch.equal(data.train[0][0], data.train[0][0])


@pytest.mark.parametrize("separator", [" ", ";", ","])
def test_labels_separated_by_spaces_semicolons_or_commas(cfg: dict, tmp_path: Path, separator: str) -> None:
    path = make_dataset(tmp_path / "data")
    rewrite(path, lambda rows: [{**row, "tags": row["tags"].replace("|", separator)} for row in rows])
    cfg["data"]["path"] = str(path)
    data = build_datasets(cfg)
    assert data.classes == list(CLASSES) and data.label_counts() == [32, 32, 32]
    assert repr(separator) in data.splits.label_format or "spaces" in data.splits.label_format


def test_labels_in_0_1_columns(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path / "data")
    rewrite(
        path,
        lambda rows: [
            {
                "path": row["path"],
                "split": row["split"],
                **{name: str(int(name in row["tags"].split("|"))) for name in CLASSES},
            }
            for row in rows
        ],
    )
    cfg["data"]["path"], cfg["data"]["label_columns"] = str(path), list(CLASSES)
    data = build_datasets(cfg)
    assert data.classes == list(CLASSES) and data.label_counts() == [32, 32, 32]


def test_a_0_1_column_with_another_value_is_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path / "data")
    rewrite(
        path,
        lambda rows: [{"path": row["path"], "cat": "1" if i else "maybe", "dog": "0"} for i, row in enumerate(rows)],
    )
    cfg["data"]["path"], cfg["data"]["label_columns"] = str(path), ["cat", "dog"]
    with pytest.raises(DataError, match="line 2: column 'cat' is 'maybe'; label columns hold 0 or 1"):
        build_datasets(cfg)


def test_a_validation_label_unseen_in_training_is_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path / "data")
    rewrite(
        path,
        lambda rows: [
            {**row, "tags": "cat|wolf"} if row["split"] == "val" and i % 2 else row for i, row in enumerate(rows)
        ],
    )
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match="labels the training split does not have: 'wolf'"):
        build_datasets(cfg)


def test_data_exclude_leaves_out_images_by_path(cfg: dict, tmp_path: Path) -> None:
    manifest = make_dataset(tmp_path / "data")
    cfg["data"]["path"] = str(manifest)
    cfg["data"]["exclude"] = ["images/set1_train_0.png"]
    data = build_datasets(cfg)
    assert len(data.train) == 8 * len(LABEL_SETS) - 1
    assert "1 images left out, as data.exclude in config.yaml lists them" in data.splits.notes


def test_rows_pointing_to_missing_files_are_an_error(cfg: dict, tmp_path: Path) -> None:
    manifest = make_dataset(tmp_path / "data")
    (tmp_path / "data" / "images" / "set1_train_0.png").unlink()
    cfg["data"]["path"] = str(manifest)
    with pytest.raises(DataError, match="1 rows point to missing files"):
        build_datasets(cfg)


def test_without_a_split_column_every_label_stays_in_training(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path / "data")
    rewrite(path, lambda rows: [{k: v for k, v in row.items() if k != "split"} for row in rows])
    cfg["data"]["path"] = str(path)
    first, second = build_datasets(cfg), build_datasets(cfg)
    assert len(first.train) + len(first.val) == 11 * len(LABEL_SETS)
    assert [s.path for s in first.splits.val] == [s.path for s in second.splits.val]  # seeded
    assert all(count > 0 for count in first.label_counts())


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    Image.new("RGB", (40, 20), "white").save(path, exif=exif)
    assert load_image(path).size == (20, 40)


def test_an_unreadable_image_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"not an image")
    with pytest.raises(DataError, match="cannot be read as an image"):
        load_image(path)
