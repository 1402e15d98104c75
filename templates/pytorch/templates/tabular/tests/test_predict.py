"""Prediction of every row of a CSV with the schema saved at training time; tables with missing or unknown
columns and damaged checkpoints are refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import {{ "TARGET" if f.regression else "CLASSES" }}, load_script


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
{%- if f.regression %}
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
{%- if f.regression %}
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
