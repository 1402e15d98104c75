{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""The LR range test's rule, and --apply's edit of config.yaml (one value changed, every other line kept)."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import ROOT

from {{ c.slug }}.config import ConfigError
from {{ c.slug }}.lr_range import Curve, suggest, write_lr, yaml_float


def test_the_suggestion_is_a_tenth_of_the_rate_at_the_smoothed_minimum() -> None:
    curve = Curve(lrs=[1e-5, 1e-4, 1e-3, 1e-2, 1e-1], losses=[0] * 5, smoothed=[2.0, 1.5, 0.7, 0.9, 3.0])
    assert suggest(curve) == (pytest.approx(1e-4), 2)
    with pytest.raises(ConfigError, match="stopped after 2 steps"):
        suggest(Curve(lrs=[1e-5, 1e-4], losses=[0, 0], smoothed=[1.0, 9.0]))


def test_apply_rewrites_only_training_lr(tmp_path) -> None:
    config = tmp_path / "config.yaml"
    shutil.copy(ROOT / "config.yaml", config)
    before = config.read_text(encoding="utf-8")
    old = write_lr(config, 2e-05)
    after = config.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [(f"  lr: {old}", "  lr: 2.0e-05")]  # comments and the other sections as they were
    assert yaml.safe_load(after)["training"]["lr"] == 2e-05 and yaml_float(0.003) == "0.003"
    config.write_text("training:\n  epochs: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no `lr:` line in the training section"):
        write_lr(config, 0.1)
