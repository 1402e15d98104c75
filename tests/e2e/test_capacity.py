"""The capacity test of rendered projects: PASS for a default scratch project, FAIL with lr 0, exit codes."""

from __future__ import annotations

import json
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.e2e.conftest import Project

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")]


@pytest.fixture(scope="module")
def default_scratch(render_project) -> Project:
    """A scratch project with everything else left to the wizard (image size, batch, normalization ...)."""
    return render_project("default-scratch", "split", {"model": {"source": "scratch"}})


def test_default_scratch_project_passes(default_scratch: Project) -> None:
    started = time.perf_counter()
    proc = default_scratch.run("scripts/capacity_test.py")
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for stage in ("[data]", "[init]", "[fit]", "[zero]"):
        assert any(line.startswith(stage) for line in lines), stage
    assert "VERDICT PASS" in proc.stdout
    result = json.loads((default_scratch.path / "reports" / "capacity_test.json").read_text(encoding="utf-8"))
    assert result["verdict"] == "PASS" and result["fit"]["accuracy"] == 1.0 and result["fit"]["final_loss"] <= 0.05
    assert (default_scratch.path / "reports" / "capacity_test.png").stat().st_size > 10_000
    assert seconds < 120, f"the capacity test of a default project took {seconds:.0f}s"


def test_learning_rate_zero_fails(default_scratch: Project, tmp_path: Path) -> None:
    # a short budget: a loss that has not moved after a third of it counts as flat
    proc = default_scratch.run("scripts/capacity_test.py", "--set", "training.lr=0", "--steps", "30",
                               "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "VERDICT FAIL" in proc.stdout and "--set training.lr=0" in proc.stdout
    assert json.loads((tmp_path / "capacity_test.json").read_text(encoding="utf-8"))["verdict"] == "FAIL"


def test_errors_exit_2_without_a_traceback(default_scratch: Project, tmp_path: Path) -> None:
    for args, message in ((["--set", f"data.path={tmp_path / 'nowhere'}"], "no such file or folder"),
                          (["--set", "training.lrr=0.1"], "did you mean 'training.lr'")):
        proc = default_scratch.run("scripts/capacity_test.py", *args)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_pretrained_head_only_project_runs_it(variant, tmp_path: Path) -> None:
    project = variant("resnet18-head-only")  # planted weights in TORCH_HOME, backbone frozen as configured
    proc = project.run("scripts/capacity_test.py", "--steps", "60", "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert "[fit]" in proc.stdout and "VERDICT" in proc.stdout
    result = json.loads((tmp_path / "capacity_test.json").read_text(encoding="utf-8"))
    assert result["verdict"] == ("PASS" if proc.returncode == 0 else "FAIL")
    if proc.returncode == 1:
        assert "--set model.freeze=none" in proc.stdout  # the next action for a frozen backbone
