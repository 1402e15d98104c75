"""Reading the table: one schema fitted on the training split, rows encoded with it, clear errors for bad targets."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import {{ "" if f.regression else "CLASSES, " }}TARGET, make_dataset

from {{ c.slug }}.data import build_datasets
from {{ c.slug }}.errors import DataError
from {{ c.slug }}.tabular import UNKNOWN, FeatureSchema, Row


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
{%- if f.regression %}
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
{%- if not f.regression %}
    assert sorted(set(first.val.targets)) == [0, 1, 2]  # stratified: every class in validation
{%- endif %}


def test_rows_without_a_target_are_an_error(cfg: dict, tmp_path: Path) -> None:
    path = make_dataset(tmp_path)
    rewrite(path, lambda rows: [{**row, TARGET: ""} if i == 3 else row for i, row in enumerate(rows)])
    cfg["data"]["path"] = str(path)
    with pytest.raises(DataError, match=f"1 rows have no '{TARGET}' value \\(first at line 5\\)"):
        build_datasets(cfg)
{%- if f.regression %}


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
