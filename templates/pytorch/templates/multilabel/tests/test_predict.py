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


{% include "common/tests/predict_checkpoints.py" %}