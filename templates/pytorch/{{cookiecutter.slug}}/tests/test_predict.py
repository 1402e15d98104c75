{%- set slug = cookiecutter.slug -%}
{%- if cookiecutter.task in ["tabular-classification", "tabular-regression"] -%}
{%- set regression = cookiecutter.task == "tabular-regression" -%}
"""Prediction of every row of a CSV with the schema saved at training time; tables with missing or unknown
columns and damaged checkpoints are refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import {% if regression %}TARGET{% else %}CLASSES{% endif %}, load_script


@pytest.fixture
def checkpoint(trained_run: Path) -> Path:
    return trained_run / "best.pt"


def write_table(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_one_line_per_row(checkpoint: Path, data_path: Path, capsys) -> None:
    # the training table itself: its target and split columns are allowed (and ignored)
    assert load_script("predict").main(["--checkpoint", str(checkpoint), str(data_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 60
{%- if regression %}
    row, value = lines[0].split("\t")
    assert row == "2" and float(value) == float(value)  # the CSV line number, and a number
{%- else %}
    row, label, score = lines[0].split("\t")
    assert row == "2" and label in CLASSES and 0 < float(score) <= 1  # the CSV line number
{%- endif %}


def test_json_an_id_column_gaps_and_unseen_categories(checkpoint: Path, tmp_path: Path, capsys) -> None:
    table = write_table(
        tmp_path / "new.csv",
        [
            {"id": "a", "weight": "", "height": "5", "colour": "purple", "shop": "a new shop"},
            {"id": "b", "weight": "2.5", "height": "1", "colour": "red", "shop": "s3"},
        ],
    )
    args = ["--checkpoint", str(checkpoint), str(table), "--json", "--id-column", "id"]
    assert load_script("predict").main(args) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in results] == ["a", "b"]
{%- if regression %}
    assert all(isinstance(r[TARGET], float) for r in results)
{%- else %}
    assert all(r["label"] in CLASSES and 0 < r["score"] <= 1 for r in results)
{%- endif %}


def test_a_table_with_a_missing_or_an_unknown_column_is_refused(checkpoint: Path, tmp_path: Path, capsys) -> None:
    predict = load_script("predict")
    missing = write_table(tmp_path / "missing.csv", [{"weight": "1", "height": "2", "colour": "red"}])
    assert predict.main(["--checkpoint", str(checkpoint), str(missing)]) == 2
    assert "missing column(s) 'shop'" in capsys.readouterr().err
    extra = write_table(
        tmp_path / "extra.csv", [{"weight": "1", "height": "2", "colour": "red", "shop": "s1", "notes": "x"}]
    )
    assert predict.main(["--checkpoint", str(checkpoint), str(extra)]) == 2
    assert "unknown column(s) 'notes'" in capsys.readouterr().err


def test_missing_or_damaged_checkpoints_exit_2(tmp_path: Path, data_path: Path, capsys) -> None:
    predict = load_script("predict")
    assert predict.main(["--checkpoint", str(tmp_path / "nope.pt"), str(data_path)]) == 2
    assert "no such checkpoint file" in capsys.readouterr().err
    (tmp_path / "broken.pt").write_bytes(b"\x00" * 100)
    assert predict.main(["--checkpoint", str(tmp_path / "broken.pt"), str(data_path)]) == 2
    assert "not a checkpoint" in capsys.readouterr().err
{%- elif cookiecutter.task == "image-multilabel" -%}
"""Prediction with the labels and thresholds saved at training time; mismatched or damaged checkpoints are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from conftest import CLASSES, load_script


@pytest.fixture
def checkpoint(trained_run: Path) -> Path:
    return trained_run / "best.pt"


def images_of(data_path: Path) -> list[Path]:
    return sorted(data_path.parent.rglob("*.png"))[:4]


def test_one_line_per_image_with_every_label_above_its_threshold(checkpoint: Path, data_path: Path, capsys) -> None:
    inputs = images_of(data_path)
    thresholds = torch.load(checkpoint, weights_only=True)["thresholds"]
    assert load_script("predict").main(["--checkpoint", str(checkpoint), *map(str, inputs)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(inputs)
    for line, path in zip(lines, inputs, strict=True):
        shown, labels = line.split("\t")
        assert shown == str(path)
        for item in [] if labels == "-" else labels.split(", "):
            name, score = item.split(" ")
            assert name in CLASSES and float(score) >= thresholds[CLASSES.index(name)]


def test_folders_and_json(checkpoint: Path, data_path: Path, capsys) -> None:
    folder = images_of(data_path)[0].parent
    assert load_script("predict").main(["--checkpoint", str(checkpoint), str(folder), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == len(list(folder.glob("*.png")))
    for result in results:
        assert set(result["scores"]) == set(CLASSES)
        assert all(item["label"] in CLASSES for item in result["labels"])


def test_a_mapping_that_does_not_fit_the_head_is_refused(
    checkpoint: Path, data_path: Path, tmp_path: Path, capsys
) -> None:
    state = torch.load(checkpoint, weights_only=True)
    state["class_to_idx"] = {"cat": 0, "dog": 1, "fox": 2, "wolf": 3}
    state["thresholds"] = [0.5] * 4
    edited = tmp_path / "edited.pt"
    torch.save(state, edited)
    assert load_script("predict").main(["--checkpoint", str(edited), str(images_of(data_path)[0])]) == 2
    assert "label mapping lists 4 labels but the model head has 3 outputs" in capsys.readouterr().err
    state["class_to_idx"], state["thresholds"] = {"cat": 0, "dog": 1, "fox": 2}, [0.5]
    torch.save(state, edited)
    assert load_script("predict").main(["--checkpoint", str(edited), str(images_of(data_path)[0])]) == 2
    assert "1 thresholds for 3 labels" in capsys.readouterr().err


def test_missing_or_damaged_checkpoints_exit_2(tmp_path: Path, data_path: Path, capsys) -> None:
    image = str(images_of(data_path)[0])
    predict = load_script("predict")
    assert predict.main(["--checkpoint", str(tmp_path / "nope.pt"), image]) == 2
    assert "no such checkpoint file" in capsys.readouterr().err
    (tmp_path / "broken.pt").write_bytes(b"\x00" * 100)
    assert predict.main(["--checkpoint", str(tmp_path / "broken.pt"), image]) == 2
    assert "not a checkpoint" in capsys.readouterr().err
{%- else -%}
"""Prediction with the label mapping saved at training time; mismatched or damaged checkpoints are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from conftest import CLASSES, load_script


@pytest.fixture
def checkpoint(trained_run: Path) -> Path:
    return trained_run / "best.pt"


def images_of(data_path: Path) -> list[Path]:
    folder = data_path.parent if data_path.is_file() else data_path
    return sorted(folder.rglob("*.png"))[:4]


def test_one_line_per_image_with_a_training_label(checkpoint: Path, data_path: Path, capsys) -> None:
    inputs = images_of(data_path)
    assert load_script("predict").main(["--checkpoint", str(checkpoint), *map(str, inputs)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(inputs)
    for line, path in zip(lines, inputs, strict=True):
        shown, label, score = line.split("\t")
        assert shown == str(path) and label in CLASSES and 0 < float(score) <= 1


def test_folders_and_json(checkpoint: Path, data_path: Path, capsys) -> None:
    folder = images_of(data_path)[0].parent
    assert load_script("predict").main(["--checkpoint", str(checkpoint), str(folder), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == len(list(folder.glob("*.png")))
    assert all(r["label"] in CLASSES for r in results)


def test_a_mapping_that_does_not_fit_the_head_is_refused(
    checkpoint: Path, data_path: Path, tmp_path: Path, capsys
) -> None:
    state = torch.load(checkpoint, weights_only=True)
    state["class_to_idx"] = {"cat": 0, "dog": 1, "fox": 2, "wolf": 3}
    checkpoint = tmp_path / "edited.pt"
    torch.save(state, checkpoint)
    assert load_script("predict").main(["--checkpoint", str(checkpoint), str(images_of(data_path)[0])]) == 2
    assert "label mapping lists 4 classes but the model head has 3 outputs" in capsys.readouterr().err


def test_missing_or_damaged_checkpoints_exit_2(tmp_path: Path, data_path: Path, capsys) -> None:
    image = str(images_of(data_path)[0])
    predict = load_script("predict")
    assert predict.main(["--checkpoint", str(tmp_path / "nope.pt"), image]) == 2
    assert "no such checkpoint file" in capsys.readouterr().err
    (tmp_path / "broken.pt").write_bytes(b"\x00" * 100)
    assert predict.main(["--checkpoint", str(tmp_path / "broken.pt"), image]) == 2
    assert "not a checkpoint" in capsys.readouterr().err
{%- endif %}
