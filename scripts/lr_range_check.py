"""Does the LR range test's suggestion help? On scikit-learn's bundled datasets (as scripts/field_sklearn.py
writes them: digits as 32-px PNG folders, wine and breast_cancer as CSVs), render the wizard's recommended
project, run its `scripts/find_lr.py`, then train 3 epochs from the configured learning rate and 3 epochs from
the suggested one, and print both runs' losses per epoch and the final validation metric.

    python scripts/lr_range_check.py [--out DIR] [--datasets digits,wine,breast_cancer] [--epochs 3] [--seeds 0 1]

Both runs share everything else (config, seed, cosine schedule over the same epochs); early stopping is off.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from field_sklearn import last_line, load, materialise, render


def run(project: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{project.name}: {' '.join(args[:1])} failed: {last_line(done.stderr or done.stdout)}")
    return done.stdout


def train(project: Path, name: str, lr: float, epochs: int, seed: int) -> list[dict[str, str]]:
    run(project, "scripts/train.py", "--run-dir", f"runs/{name}", "--set", f"training.lr={lr!r}",
        "--set", f"training.epochs={epochs}", "--set", f"training.seed={seed}",
        "--set", "regularization.early_stopping.enabled=false")
    with open(project / "runs" / name / "metrics.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--datasets", default="digits,wine,breast_cancer")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="lr-range-check-"))
    (work / "data").mkdir(parents=True, exist_ok=True)
    for name in args.datasets.split(","):
        data = load(name)
        materialise(data, work / "data", "bicubic")
        project, _, error = render(data, work, [], work / "cache")
        if project is None:
            raise SystemExit(f"{name}: render failed: {error}")
        found = run(project, "scripts/find_lr.py")
        report = json.loads((project / "reports" / "find_lr.json").read_text(encoding="utf-8"))
        default, suggested = report["configured_lr"], report["suggestion"]
        print(f"== {name}: configured lr {default:g}, suggested {suggested:g} ({report['rule']}; "
              f"{report['steps']} steps, {report['stopped']})")
        print("   " + found.strip().splitlines()[2])
        metric = "val_accuracy"
        finals: dict[str, list[float]] = {"configured": [], "suggested": []}
        for seed in args.seeds:
            for label, lr in (("configured", default), ("suggested", suggested)):
                rows = train(project, f"{label}-{seed}", lr, args.epochs, seed)
                losses = " ".join(f"{float(r['train_loss']):.3f}/{float(r['val_loss']):.3f}" for r in rows)
                finals[label].append(float(rows[-1][metric]))
                print(f"   seed {seed} {label:10} lr {lr:<8g} train/val loss per epoch: {losses}   "
                      f"{metric} {float(rows[-1][metric]):.3f}")
        for label, values in finals.items():
            print(f"   {label:10} mean final {metric}: {statistics.mean(values):.3f}")
    print(f"projects in {work}")


if __name__ == "__main__":
    main()
