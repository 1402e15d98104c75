{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Training end to end on CPU: one epoch writes every artifact; checkpoints round-trip; resume continues exactly."""

from __future__ import annotations

import csv
import json

import torch
from conftest import load_script, set_args

from {{ c.slug }}.checkpoint import load_checkpoint, model_from_checkpoint
from {{ c.slug }}.engine import fit


{% include f.kind ~ "/tests/test_train.py" %}

{% include f.family ~ "/tests/test_train.py" %}

def test_stopped_and_resumed_run_ends_like_an_uninterrupted_one(cfg: dict, overrides: list[str], tmp_path) -> None:
    whole = fit(cfg, tmp_path / "whole")
    train = load_script("train")
    parts = tmp_path / "runs" / "parts"
    assert train.main([*set_args(overrides), "--run-dir", str(parts), "--stop-after", "1"]) == 0
    assert load_checkpoint(parts / "last.pt")["epoch"] == 1
    assert train.main([*set_args(overrides), "--resume", "auto"]) == 0
    resumed = json.loads((parts / "report.json").read_text(encoding="utf-8"))
    assert resumed == json.loads(json.dumps(whole))

    def without_time(run):
        return [{k: v for k, v in row.items() if k != "seconds"} for row in load_checkpoint(run / "last.pt")["history"]]

    assert without_time(parts) == without_time(tmp_path / "whole")
