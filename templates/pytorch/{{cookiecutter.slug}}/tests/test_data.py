{%- set slug = cookiecutter.slug -%}
{%- if cookiecutter.task in ["tabular-classification", "tabular-regression"] -%}
{%- set regression = cookiecutter.task == "tabular-regression" -%}
"""Reading the table: one schema fitted on the training split, rows encoded with it, clear errors for bad targets."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import {% if not regression %}CLASSES, {% endif %}TARGET, make_dataset

from {{ slug }}.data import build_datasets
from {{ slug }}.errors import DataError
from {{ slug }}.tabular import UNKNOWN, FeatureSchema, Row


def rewrite(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    """Apply `change` to the rows of a CSV file (the rows as dicts, columns kept in order)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    rows = change(rows)
    columns = [c for c in columns if c in rows[0]] + [c for c in rows[0] if c not in columns]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_the_split_column_and_one_schema(cfg: dict) -> None:
    data = build_datasets(cfg)
    assert len(data.train) == 48 and len(data.val) == 12
    assert data.schema.columns == ["weight", "height", "colour", "shop"]
    assert [f.name for f in data.schema.numeric] == ["weight", "height"]
    features, target = data.train[0]
    assert features.shape == (data.schema.dense_width + 1,)  # + the category index of the embedded shop column
{%- if regression %}
    assert target.dtype == torch.float32
{%- else %}
    assert data.classes == list(CLASSES) and target.dtype == torch.int64
    assert data.class_counts() == [16, 16, 16]
{%- endif %}


def test_statistics_come_from_the_training_split(cfg: dict) -> None:
    data = build_datasets(cfg)
    height = data.schema.numeric[1]
    values = [float(row.cells["height"]) for row in data.splits.train]
    assert height.mean == pytest.approx(sum(values) / len(values))
    encoded = data.train.features[:, 1]
    assert encoded.mean().item() == pytest.approx(0, abs=1e-5)
    assert encoded.std(unbiased=False).item() == pytest.approx(1, abs=1e-4)


def test_missing_numbers_get_the_training_median_and_an_indicator(cfg: dict) -> None:
    data = build_datasets(cfg)
    weight = data.schema.numeric[0]
    assert weight.indicator  # the column has gaps in training
    assert data.splits.train[0].cells["weight"] == ""  # every 7th row, starting with the first
    features = data.train.features[0]
    assert features[0].item() == pytest.approx((weight.median - weight.mean) / weight.std)
    assert features[2].item() == 1.0  # the indicator comes after the two numeric columns
    assert data.train.features[1][2].item() == 0.0


def test_categories_are_one_hot_or_embedded_and_unseen_ones_unknown(cfg: dict) -> None:
    schema = build_datasets(cfg).schema
    colour, shop = schema.categorical
    assert colour.embedding_dim == 0 and colour.categories[0] == UNKNOWN  # 3 colours + unknown: one-hot
    assert shop.embedding_dim > 0  # 20 shops + unknown is more than max_one_hot (16): an embedding
    encoded = schema.encode([Row(2, {"weight": "1", "height": "2", "colour": "purple", "shop": "s999"})])[0]
    one_hot = encoded[3 : 3 + len(colour.categories)]
    assert one_hot.tolist() == [1.0] + [0.0] * (len(colour.categories) - 1)  # the unknown slot
    assert encoded[-1].item() == 0.0  # the unknown shop: embedding row 0


def test_a_number_column_with_text_outside_training_is_a_clear_error(cfg: dict) -> None:
    schema = build_datasets(cfg).schema
    with pytest.raises(DataError, match="line 7: column 'height' holds 'tall', not a number"):
        schema.encode([Row(7, {"weight": "1", "height": "tall", "colour": "red", "shop": "s1"})], "new.csv")


def test_the_schema_round_trips_through_plain_data(cfg: dict) -> None:
    schema = build_datasets(cfg).schema
    assert FeatureSchema.from_dict(schema.to_dict()) == schema


def test_missing_and_unknown_columns_are_named(cfg: dict) -> None:
    schema = build_datasets(cfg).schema
    with pytest.raises(DataError, match=r"missing column\(s\) 'shop'"):
        schema.check_columns(["weight", "height", "colour"], "new.csv")
    with pytest.raises(DataError, match=r"unknown column\(s\) 'extra'"):
        schema.check_columns([*schema.columns, "extra"], "new.csv")
    schema.check_columns([*schema.columns, TARGET, "split"], "new.csv")  # the target and the split column are fine


def test_without_a_split_column_validation_is_held_out(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(path, lambda rows: [{k: v for k, v in row.items() if k != "split"} for row in rows])
    cfg["data"]["path"] = str(path)
    first, second = build_datasets(cfg), build_datasets(cfg)
    assert len(first.train) + len(first.val) == 60 and len(first.val) == 12
    assert [row.line for row in first.splits.val] == [row.line for row in second.splits.val]  # seeded
{%- if not regression %}
    assert sorted(set(first.val.targets)) == [0, 1, 2]  # stratified: every class in validation
{%- endif %}


def test_rows_without_a_target_are_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(path, lambda rows: [{**row, TARGET: ""} if i == 3 else row for i, row in enumerate(rows)])
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match=f"1 rows have no '{TARGET}' value \\(first at line 5\\)"):
        build_datasets(cfg)
{%- if regression %}


def test_targets_are_learned_standardized_and_mapped_back(cfg: dict) -> None:
    data = build_datasets(cfg)
    assert data.train.targets.mean().item() == pytest.approx(0, abs=1e-5)
    original = torch.tensor([float(row.cells[TARGET]) for row in data.splits.val])
    torch.testing.assert_close(data.schema.unscale(data.val.targets), original)


def test_a_target_that_is_not_a_number_is_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(path, lambda rows: [{**row, TARGET: "expensive"} if i == 0 else row for i, row in enumerate(rows)])
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match="line 2: the target 'price' is 'expensive', not a number"):
        build_datasets(cfg)


def test_a_constant_target_is_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(path, lambda rows: [{**row, TARGET: "7"} for row in rows])
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match="the same value on every row"):
        build_datasets(cfg)
{%- else %}


def test_a_validation_label_unseen_in_training_is_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(
        path,
        lambda rows: [
            {**row, TARGET: "wolf"} if row["split"] == "val" and i % 2 else row for i, row in enumerate(rows)
        ],
    )
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match="labels the training split does not have: 'wolf'"):
        build_datasets(cfg)


def test_a_continuous_column_chosen_as_the_label_is_an_error(cfg: dict) -> None:
    cfg["data"]["label_column"] = "height"
    with pytest.raises(DataError, match="it looks like a continuous feature, not a class label"):
        build_datasets(cfg)
{%- endif %}
{%- elif cookiecutter.task == "image-multilabel" -%}
"""Finding images and their labels: separated labels or 0/1 columns, one label mapping from training, clear errors."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import CLASSES, LABEL_SETS, make_dataset
from PIL import Image

from {{ slug }}.data import build_datasets, load_image
from {{ slug }}.errors import DataError


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
{%- else -%}
{%- set folders = cookiecutter.data.layout in ("auto", "imagefolder") -%}
{%- set csv_layout = cookiecutter.data.layout == "csv" -%}
"""Finding images and labels: one class mapping from the training split, unseen labels refused, EXIF applied."""

from __future__ import annotations

{% if folders -%}
import random
import shutil

{% endif -%}

import pytest
import torch
from conftest import CLASSES, {% if folders %}draw, {% endif %}make_dataset
from PIL import Image

from {{ slug }}.data import build_datasets, load_image
from {{ slug }}.errors import DataError


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
{%- if csv_layout %}


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
{%- endif %}
{%- if folders %}


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
{%- endif %}
