"""Finding images and labels: one class mapping from the training split, unseen labels refused, EXIF applied."""

from __future__ import annotations

{% if f.folders -%}
import random
import shutil
{% endif -%}
from pathlib import Path

import pytest
import torch
from conftest import CLASSES, {{ "draw, " if f.folders else "" }}make_dataset
from PIL import Image

from {{ c.slug }}.data import build_datasets, load_image
from {{ c.slug }}.errors import DataError


def test_datasets_share_the_training_class_mapping(cfg: dict) -> None:
    data = build_datasets(cfg)
    assert data.classes == list(CLASSES)
    assert len(data.train) == 8 * len(CLASSES) and len(data.val) == 3 * len(CLASSES)
    image, target = data.train[0]
    assert image.shape == (3, 32, 32) and image.dtype == torch.float32
    assert 0 <= target < len(CLASSES)
    assert sorted(set(data.val.targets)) == [0, 1, 2]
    assert data.class_counts() == [8, 8, 8]


def test_evaluation_transforms_are_deterministic(cfg: dict) -> None:
    data = build_datasets(cfg, augment=False)
    assert torch.equal(data.train[0][0], data.train[0][0])
    assert torch.equal(data.val[0][0], data.val[0][0])


def test_data_layout_says_what_data_path_must_be(cfg: dict) -> None:
    """data.layout is read at run time: auto takes class folders or a CSV manifest, the others refuse the other."""
    is_file = Path(cfg["data"]["path"]).is_file()
    cfg["data"]["layout"] = "imagefolder" if is_file else "csv"
    expected = "expected a folder of class folders" if is_file else "expected a CSV manifest file"
    with pytest.raises(DataError, match=expected):
        build_datasets(cfg)
{%- if not f.folders %}


def test_a_validation_label_unseen_in_training_is_an_error(cfg: dict, tmp_path) -> None:
    manifest = make_dataset(tmp_path / "data")
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("dog,val", "wolf,val", 1), encoding="utf-8")
    cfg["data"]["path"] = str(manifest)
    with pytest.raises(DataError, match="labels the training split does not have: 'wolf'"):
        build_datasets(cfg)


def test_data_exclude_leaves_out_manifest_rows_by_image_path(cfg: dict, tmp_path) -> None:
    manifest = make_dataset(tmp_path / "data")
    cfg["data"]["path"] = str(manifest)
    cfg["data"]["exclude"] = ["images/cat_train_0.png", "images/dog_val_1.png"]
    data = build_datasets(cfg)
    assert len(data.train) == 8 * len(CLASSES) - 1 and len(data.val) == 3 * len(CLASSES) - 1
    assert "2 images left out, as data.exclude in config.yaml lists them" in data.splits.notes


def test_rows_pointing_to_missing_files_are_an_error(cfg: dict, tmp_path) -> None:
    manifest = make_dataset(tmp_path / "data")
    (tmp_path / "data" / "images" / "cat_train_0.png").unlink()
    cfg["data"]["path"] = str(manifest)
    with pytest.raises(DataError, match="1 rows point to missing files"):
        build_datasets(cfg)


def test_without_a_split_column_validation_is_held_out_per_class(cfg: dict, tmp_path) -> None:
    manifest = make_dataset(tmp_path / "data")
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    cfg["data"]["path"] = str(manifest)
    data = build_datasets(cfg)
    assert sorted(set(data.val.targets)) == [0, 1, 2]
    assert len(data.train) + len(data.val) == 11 * len(CLASSES)
{%- else %}


def test_a_validation_label_unseen_in_training_is_an_error(cfg: dict, tmp_path) -> None:
    root = make_dataset(tmp_path / "data")
    (root / "val" / "dog").rename(root / "val" / "wolf")
    cfg["data"]["path"] = str(root)
    with pytest.raises(DataError, match="labels the training split does not have: 'wolf'"):
        build_datasets(cfg)


def test_data_exclude_leaves_out_files_and_folders_and_names_stale_entries(cfg: dict, tmp_path) -> None:
    root = make_dataset(tmp_path / "data")
    (root / "train" / "cat" / "broken.png").write_bytes(b"<html>not found</html>")
    (root / "val" / "dog").rename(root / "val" / "wolf")
    cfg["data"]["path"] = str(root)
    cfg["data"]["exclude"] = ["train/cat/broken.png", "val/wolf/", "train/dog/gone.png"]
    data = build_datasets(cfg)
    assert len(data.train) == 8 * len(CLASSES) and len(data.val) == 3 * (len(CLASSES) - 1)
    assert not any(s.path.name == "broken.png" for s in data.splits.train)
    assert "4 images left out, as data.exclude in config.yaml lists them" in data.splits.notes
    assert any("1 entries match no image" in note and "'train/dog/gone.png'" in note for note in data.splits.notes)
    cfg["data"]["exclude"] = []
    with pytest.raises(DataError, match="leave those images out with data.exclude"):
        build_datasets(cfg)


def test_hidden_folders_are_skipped(cfg: dict, tmp_path) -> None:
    root = make_dataset(tmp_path / "data")
    draw(root / "train" / ".ipynb_checkpoints" / "x.png", "cat", random.Random(0))
    draw(root / "train" / "cat" / ".ipynb_checkpoints" / "x.png", "cat", random.Random(0))
    cfg["data"]["path"] = str(root)
    data = build_datasets(cfg)
    assert data.classes == list(CLASSES)
    assert not any(".ipynb_checkpoints" in str(s.path) for s in data.splits.train)


def test_one_folder_of_classes_is_split_stratified_and_seeded(cfg: dict, tmp_path) -> None:
    root = make_dataset(tmp_path / "data")
    for label in CLASSES:  # merge val/ into train/, then use train/ as a plain folder of classes
        for path in (root / "val" / label).iterdir():
            shutil.move(path, root / "train" / label / f"v{path.name}")
    cfg["data"]["path"] = str(root / "train")
    first, second = build_datasets(cfg), build_datasets(cfg)
    assert [s.path for s in first.splits.val] == [s.path for s in second.splits.val]
    assert sorted(set(first.val.targets)) == [0, 1, 2]  # every class in validation
    assert len(first.train) + len(first.val) == 11 * len(CLASSES)
{%- endif %}


def test_exif_orientation_is_applied(tmp_path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    Image.new("RGB", (40, 20), "white").save(path, exif=exif)
    assert load_image(path).size == (20, 40)


def test_an_unreadable_image_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"not an image")
    with pytest.raises(DataError, match="cannot be read as an image"):
        load_image(path)
