{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Baselines on the synthetic data: baseline.json, a linear model beating a constant guess, evaluate.py's comparison."""

from __future__ import annotations

{% if f.regression -%}
import csv
{% endif -%}
import json
from pathlib import Path

import pytest
from conftest import {% if f.regression %}TARGET, {% endif %}load_script, set_args

pytest.importorskip("sklearn", reason="the baselines need scikit-learn: pip install scikit-learn")


@pytest.fixture
def baseline(overrides: list[str], tmp_path: Path, capsys) -> dict:
    """reports/baseline.json of one run on the fixture data (written under tmp_path)."""
    code = load_script("baseline").main([*set_args(overrides), "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    return json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))


def test_the_report_holds_the_split_the_metrics_and_every_baseline(baseline: dict, capsys) -> None:
    assert baseline["task"] == {{ c.task | pyrepr }} and baseline["split"] == "val"
    assert baseline["metrics"] == METRICS and baseline["main_metric"] in METRICS
    assert baseline["sizes"] == SIZES and set(baseline["baselines"]) == BASELINES
    for row in baseline["baselines"].values():
        assert set(METRICS) <= set(row) and row["title"]
    assert baseline["best"] in baseline["baselines"] and len(baseline["fingerprint"]) == 16
    out = capsys.readouterr().out
    assert "baselines on the val split" in out and "best: " in out


def test_evaluate_compares_the_model_with_the_best_baseline(
    baseline: dict, trained_run: Path, tmp_path: Path, capsys
) -> None:
    evaluate = load_script("evaluate")
    args = ["--checkpoint", str(trained_run / "best.pt"), "--out", str(tmp_path / "eval")]
    assert evaluate.main([*args, "--baseline", str(tmp_path / "baseline.json")]) == 0
    out = capsys.readouterr().out
    assert f"baseline: {baseline['baselines'][baseline['best']]['title']} scores" in out
    comparison = json.loads((tmp_path / "eval" / "eval_val.json").read_text(encoding="utf-8"))["baseline_comparison"]
    assert comparison["status"] == "compared" and comparison["baseline"] == baseline["best"]
    assert comparison["winner"] in ("model", "baseline", "tie") and comparison["message"] in out

    # no baseline yet: one line saying how to get one
    assert evaluate.main([*args, "--baseline", str(tmp_path / "missing.json")]) == 0
    assert "run `python scripts/baseline.py` to know what a simple model scores" in capsys.readouterr().out

    # a baseline of other data (here: another fingerprint) is not compared
    baseline["fingerprint"] = "0" * 16
    (tmp_path / "other.json").write_text(json.dumps(baseline), encoding="utf-8")
    assert evaluate.main([*args, "--baseline", str(tmp_path / "other.json")]) == 0
    assert "not the val split evaluated here" in capsys.readouterr().out


def test_a_bad_override_is_one_line_and_exit_code_2(overrides: list[str], tmp_path: Path, capsys) -> None:
    args = [*set_args(overrides), "--set", "training.seed=minus one", "--out", str(tmp_path)]
    assert load_script("baseline").main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "training.seed" in err and "Traceback" not in err
    assert not (tmp_path / "baseline.json").exists()
{%- if f.image %}


def test_without_pretrained_weights_the_linear_model_reads_pixels(baseline: dict) -> None:
    assert "pixels" in baseline["features"]  # the tests run offline, without pretrained weights


def test_max_images_caps_the_images_the_linear_model_learns_from(overrides: list[str], tmp_path: Path) -> None:
    assert load_script("baseline").main([*set_args(overrides), "--max-images", "12", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert report["sizes"]["fitted_on"] == 12
{%- endif %}


{% include f.variant ~ "/tests/test_baseline.py" %}