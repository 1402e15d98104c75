"""The onboarding flow, exactly as the demo prints it: demo -> check-data -> new --no-input -> capacity test
-> train -> evaluate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _trainwizard(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "wizard", *args], cwd, env)


def test_demo_project_passes_its_capacity_test_and_trains(tmp_path: Path, e2e_env: dict[str, str]) -> None:
    made = _trainwizard("demo", cwd=tmp_path, env=e2e_env)
    assert made.returncode == 0, made.stderr
    demo = tmp_path / "trainwizard-demo"
    planted = sorted(p.relative_to(demo).as_posix() for p in (demo / "data").rglob("*") if p.is_file())

    checked = _trainwizard("check-data", "data", "--workers", "1", cwd=demo, env=e2e_env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    for check_id in ("class-imbalance", "corrupt-image", "train-val-duplicates", "val-label-not-in-train"):
        assert check_id in checked.stdout, check_id

    rendered = _trainwizard("new", "--answers", "answers.yml", "--no-input", cwd=demo, env=e2e_env)
    assert rendered.returncode == 0, rendered.stderr
    project = demo / "shapes_demo"
    assert "the data check found 3 error(s)" in rendered.stderr
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    assert config["data"]["exclude"] == ["train/circle/circle_007.png", "val/hexagon/",
                                        "val/square/square_083.png"]
    assert "### Images left out" in (project / "README.md").read_text(encoding="utf-8")

    # Without the exclusions the project refuses the label it cannot predict: a clear message, no traceback.
    refused = _run([sys.executable, "scripts/capacity_test.py", "--set", "data.exclude=[]"], project, e2e_env)
    assert refused.returncode == 2 and "hexagon" in refused.stderr and "Traceback" not in refused.stderr, \
        refused.stdout + refused.stderr

    capacity = _run([sys.executable, "scripts/capacity_test.py"], project, e2e_env)
    assert capacity.returncode == 0, capacity.stdout + capacity.stderr
    assert "VERDICT PASS" in capacity.stdout

    # num_workers=0: on a 2-core runner, starting four loader processes costs more than loading 300 small PNGs
    trained = _run([sys.executable, "scripts/train.py", "--set", "training.epochs=1",
                    "--set", "data.num_workers=0", "--run-dir", "runs/first"], project, e2e_env)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert "6 images left out, as data.exclude in config.yaml lists them" in trained.stdout
    run_dir = project / "runs" / "first"
    for name in ("best.pt", "last.pt", "metrics.csv", "curves.png", "report.json"):
        assert (run_dir / name).is_file(), name

    evaluated = _run([sys.executable, "scripts/evaluate.py", "--checkpoint", "runs/first/best.pt",
                      "--set", "data.num_workers=0"], project, e2e_env)
    assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
    for label in ("circle", "square", "star", "triangle"):
        assert label in evaluated.stdout

    # The user's data is as the demo wrote it: excluded, not deleted.
    assert sorted(p.relative_to(demo).as_posix() for p in (demo / "data").rglob("*") if p.is_file()) == planted
