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


{% include "common/tests/predict_checkpoints.py" %}