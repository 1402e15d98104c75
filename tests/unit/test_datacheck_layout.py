"""Data checks: ImageFolder layouts, their structural problems, and the errors for unusable paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.datacheck_fixtures import image_bytes, imagefolder, write
from wizard.datacheck import scan
from wizard.errors import DataError, UsageError


def test_split_folders_with_aliases_are_detected_and_counted(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"training/cat": 12, "training/dog": 24, "validation/cat": 3,
                                           "validation/dog": 4, "testing/cat": 2, "testing/dog": 2})
    report = scan(root, workers=1)
    assert report.layout == "imagefolder-splits"
    assert report.task == "image-classification"
    assert report.splits == {"train": {"cat": 12, "dog": 24}, "val": {"cat": 3, "dog": 4},
                             "test": {"cat": 2, "dog": 2}}
    assert (report.num_samples, report.num_val_samples) == (36, 7)
    assert report.imbalance_ratio == 2.0
    assert report.imbalance_band == "none"
    assert not report.has_errors, report.errors


def test_class_folders_at_the_root_are_all_training_data(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 30, "bird": 12})
    report = scan(root, workers=1)
    assert report.layout == "imagefolder"
    assert report.splits == {"train": {"bird": 12, "cat": 10, "dog": 30}}
    assert report.num_val_samples == 0
    assert report.imbalance_ratio == 3.0


def test_images_are_found_in_nested_folders_of_a_class(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat/2019": 5, "cat/2020": 6, "dog": 11})
    assert scan(root, workers=1).splits["train"] == {"cat": 11, "dog": 11}


def test_hidden_folders_never_become_classes(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10, "val/cat": 2, "val/dog": 2})
    write(root / "train" / ".ipynb_checkpoints" / "x-checkpoint.jpg", image_bytes(seed=99))
    write(root / "train" / "cat" / ".ipynb_checkpoints" / "y.jpg", image_bytes(seed=98))
    write(root / "__MACOSX" / "train" / "cat" / "._000.jpg", b"\x00\x05\x16\x07")
    write(root / ".DS_Store", b"junk")
    write(root / "train" / "dog" / "._001.jpg", b"\x00\x05\x16\x07")
    report = scan(root, workers=1)
    assert set(report.splits["train"]) == {"cat", "dog"}
    assert report.splits["train"] == {"cat": 10, "dog": 10}
    hidden = report.check("hidden-ignored")
    assert hidden is not None and hidden.severity == "info"
    assert "train/.ipynb_checkpoints/" in hidden.examples
    assert "train/cat/.ipynb_checkpoints/" in hidden.examples
    assert not report.has_errors, report.errors


def test_images_outside_class_folders_have_no_label(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10})
    write(root / "loose.jpg", image_bytes(seed=50))
    write(root / "train" / "stray.png", image_bytes("PNG", seed=51))
    check = scan(root, workers=1).check("unlabeled-files")
    assert check is not None and check.severity == "error"
    assert check.count == 2 and check.examples == ["loose.jpg", "train/stray.png"]


def test_empty_class_folder_is_an_error_and_not_counted_in_the_imbalance(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 20})
    (root / "fox").mkdir()
    write(root / "owl" / "notes.txt", b"no images here")
    report = scan(root, workers=1)
    check = report.check("empty-class")
    assert check is not None and check.severity == "error"
    assert check.examples == ["fox/", "owl/"]
    assert report.splits["train"] == {"cat": 10, "dog": 20, "fox": 0, "owl": 0}
    assert report.imbalance_ratio == 2.0
    assert report.check("non-image-files") is not None


def test_val_label_not_in_train_is_an_error_and_missing_val_class_a_warning(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10, "train/owl": 10,
                                           "val/cat": 2, "val/Dog": 2, "val/bird": 1})
    report = scan(root, workers=1)
    stray = report.check("val-label-not-in-train")
    assert stray is not None and stray.severity == "error"
    assert stray.examples == ["val: 'Dog' (2), train has 'dog'", "val: 'bird' (1)"]
    missing = report.check("train-class-missing-from-val")
    assert missing is not None and missing.severity == "warning"
    assert missing.examples == ["dog", "owl"]
    assert report.check("label-lookalikes") is not None


def test_folders_next_to_split_folders_are_reported(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10, "val/cat": 1, "val/dog": 1,
                                           "extra/cat": 1})
    check = scan(root, workers=1).check("stray-folders")
    assert check is not None and check.examples == ["extra/"]


def test_a_single_class_cannot_train_a_classifier(tmp_path: Path) -> None:
    report = scan(imagefolder(tmp_path / "data", {"cat": 12}), workers=1)
    assert report.check("single-class") is not None
    assert report.imbalance_ratio is None and report.imbalance_band is None


def test_multilabel_task_on_class_folders_is_an_error(tmp_path: Path) -> None:
    report = scan(imagefolder(tmp_path / "data", {"cat": 10, "dog": 10}), task="image-multilabel", workers=1)
    assert report.check("task-layout") is not None


@pytest.mark.parametrize("make", ["missing", "empty-folder", "images-only", "not-a-csv"])
def test_unusable_paths_raise_data_error_naming_the_path(tmp_path: Path, make: str) -> None:
    target = tmp_path / "data"
    if make == "empty-folder":
        target.mkdir()
    elif make == "images-only":
        write(target / "a.jpg", image_bytes())
    elif make == "not-a-csv":
        target = write(tmp_path / "photo.jpg", image_bytes())
    with pytest.raises(DataError) as raised:
        scan(target)
    assert str(target) in str(raised.value)
    assert raised.value.exit_code == 2


def test_unknown_task_backbone_or_workers_are_usage_errors(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 1, "dog": 1})
    with pytest.raises(UsageError, match="allowed"):
        scan(root, task="segmentation")
    with pytest.raises(UsageError, match="allowed"):
        scan(root, backbone="resnet9000")
    with pytest.raises(UsageError):
        scan(root, workers=0)
