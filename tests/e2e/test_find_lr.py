"""scripts/find_lr.py on an image project: the LR range test suggests a rate by its rule, draws the curve, and
puts the model back. (--apply and the tabular projects: test_tabular_project.py.)"""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")


def test_the_range_test_suggests_a_rate_and_changes_nothing(variant, tmp_path: Path) -> None:
    project = variant("scratch-batchnorm")
    config = (project.path / "config.yaml").read_text(encoding="utf-8")
    proc = project.run("scripts/find_lr.py", "--set", "data.num_workers=0", "--steps", "30", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    found = json.loads((tmp_path / "find_lr.json").read_text(encoding="utf-8"))
    lrs, smoothed = found["curve"]["lr"], found["curve"]["smoothed"]
    assert 3 <= found["steps"] == len(lrs) <= 30 and lrs == sorted(lrs) and lrs[0] == pytest.approx(1e-7)
    assert found["minimum_loss"] == min(smoothed) and found["minimum_lr"] == lrs[smoothed.index(min(smoothed))]
    assert found["suggestion"] == pytest.approx(found["minimum_lr"] / 10, rel=0.05) and found["restored"]
    assert f"suggested training.lr: {found['suggestion']:g} (minimum / 10)" in proc.stdout
    assert (tmp_path / "find_lr.png").read_bytes().startswith(b"\x89PNG")
    assert (project.path / "config.yaml").read_text(encoding="utf-8") == config  # no --apply: untouched

    bad = project.run("scripts/find_lr.py", "--start", "1", "--end", "0.1")
    assert bad.returncode == 2 and "0 < start < end" in bad.stderr and "Traceback" not in bad.stderr
