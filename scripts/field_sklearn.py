"""Field test: the wizard's recommended project against scikit-learn baselines on scikit-learn's bundled datasets.

For each dataset, on ONE fixed split (train_test_split(test_size=0.2, random_state=0), stratified except for
diabetes):
  1. the data is written into OUT/data: digits (8x8, values 0..16) as 32-px grayscale PNG folders
     digits/{train,val}/<digit>/NNNN.png (values scaled by 255/16, then resized 8 -> 32, bicubic by default);
     breast_cancer, wine and diabetes as CSVs: the feature columns, `target` and `split` (train/val);
  2. scikit-learn baselines are fitted on the train rows and scored on the val rows: digits SVC(gamma=0.001)
     and LogisticRegression on the raw 8x8 features; breast_cancer/wine StandardScaler+LogisticRegression,
     GradientBoosting and HistGradientBoosting; diabetes Ridge(alpha=1.0) and RidgeCV (R²);
  3. a minimal answers file (project name, data.path; the task left to the wizard) is rendered with
     `trainwizard new --answers FILE --no-input` (scan cache cold: XDG_CACHE_HOME in a temp folder), then the
     generated project's `python scripts/train.py` (once per seed) and
     `python scripts/evaluate.py --checkpoint runs/<run>/best.pt` run; evaluate's JSON gives the figure.
Prints per dataset the baselines, the model (mean ± sample std over seeds), the difference to the best
baseline and the key recommended answers, then a summary table. Note: the generated project picks best.pt
(and stops early) on the same val split the figure is read from, which flatters the model a little; the
last epoch's figure is printed next to it.

    python scripts/field_sklearn.py [--out DIR] [--datasets digits,breast_cancer,wine,diabetes]
        [--seeds 42 43 ...] [--set [DATASET:]KEY=VALUE ...] [--answer [DATASET:]KEY=VALUE ...]
        [--timeout SECONDS] [--resample bicubic|nearest] [--json FILE]

--set goes to train.py (e.g. --set tables:training.epochs=100 --set digits:regularization.augmentation=[]);
--answer adds a key to the answers file (e.g. --answer digits:data.image_size=32). A DATASET: prefix limits
it to one dataset, `tables:` to the three CSVs, `images:` to digits.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

try:
    from sklearn import datasets as skdata
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
except ImportError:
    sys.exit("scikit-learn is missing: pip install scikit-learn")

DATASETS = ("digits", "breast_cancer", "wine", "diabetes")
GROUPS = {"tables": ("breast_cancer", "wine", "diabetes"), "images": ("digits",)}
SIDE = 32
RIDGE_ALPHAS = np.logspace(-3, 3, 13)
# The recommended answers shown per dataset (dotted keys of .trainwizard.yml)
KEY_ANSWERS = ("task", "data.domain", "data.mirror_keeps_label", "data.image_size", "model.source", "model.backbone",
               "model.hidden_sizes", "regularization.augmentation", "normalization", "regularization.l2",
               "model.head_dropout", "regularization.spatial_dropout", "training.epochs", "training.lr",
               "training.batch_size", "training.optimizer")
IMAGE_ONLY = ("data.domain", "data.mirror_keeps_label", "data.image_size", "regularization.augmentation",
              "regularization.spatial_dropout")
# How the generated README says to train and evaluate (checked, so that a changed workflow is noticed)
README_COMMANDS = ("python scripts/train.py", "python scripts/evaluate.py --checkpoint runs/<run>/best.pt")
# The effective settings of a run (dotted keys of the run's config.yaml), shown when they differ by dataset
RUN_KEYS = ("regularization.early_stopping.patience", "regularization.early_stopping.monitor",
            "target.standardize", "model.weights", "model.freeze", "data.mean", "data.std")


@dataclass
class Data:
    name: str
    kind: str  # image | classification | regression
    X: np.ndarray
    y: np.ndarray
    features: list[str]
    train: np.ndarray
    val: np.ndarray
    path: Path | None = None

    @property
    def metric(self) -> str:
        return "r2" if self.kind == "regression" else "accuracy"


@dataclass
class SeedRun:
    seed: int | None
    value: float | None = None
    error: str = ""
    timed_out: bool = False
    epochs_run: int = 0
    best_epoch: int | None = None
    last_value: float | None = None
    train_s: float = 0.0
    eval_s: float = 0.0


@dataclass
class Result:
    data: Data
    baselines: dict[str, float] = field(default_factory=dict)
    baseline_s: float = 0.0
    answers: dict[str, Any] = field(default_factory=dict)
    run_settings: dict[str, Any] = field(default_factory=dict)
    render_s: float = 0.0
    render_error: str = ""
    project: Path | None = None
    overrides: list[str] = field(default_factory=list)
    runs: list[SeedRun] = field(default_factory=list)

    @property
    def best_baseline(self) -> tuple[str, float]:
        return max(self.baselines.items(), key=lambda item: item[1])

    @property
    def values(self) -> list[float]:
        return [run.value for run in self.runs if run.value is not None]


# ---------------------------------------------------------------------------------------------- the data


def load(name: str) -> Data:
    """The dataset with the fixed split: 80/20, random_state=0, stratified for classification."""
    bunch = getattr(skdata, f"load_{name}")()
    X, y = np.asarray(bunch.data, dtype=float), np.asarray(bunch.target)
    kind = "regression" if name == "diabetes" else "image" if name == "digits" else "classification"
    index = np.arange(len(y))
    train, val = train_test_split(index, test_size=0.2, random_state=0,
                                  stratify=None if kind == "regression" else y)
    features = [str(f) for f in getattr(bunch, "feature_names", [f"x{i}" for i in range(X.shape[1])])]
    return Data(name, kind, X, y, features, np.sort(train), np.sort(val))


def materialise(data: Data, root: Path, resample: str) -> None:
    """digits as PNG folders, the others as one CSV with a `target` and a `split` column."""
    if data.kind == "image":
        from PIL import Image

        method = {"bicubic": Image.BICUBIC, "nearest": Image.NEAREST}[resample]
        data.path = root / "digits"
        for split, index in (("train", data.train), ("val", data.val)):
            for i in index:
                folder = data.path / split / str(int(data.y[i]))
                folder.mkdir(parents=True, exist_ok=True)
                pixels = np.clip(np.round(data.X[i].reshape(8, 8) * 255 / 16), 0, 255).astype(np.uint8)
                Image.fromarray(pixels, "L").resize((SIDE, SIDE), method).save(folder / f"{i:04d}.png")
        return
    data.path = root / f"{data.name}.csv"
    split = np.full(len(data.y), "train", dtype=object)
    split[data.val] = "val"
    with open(data.path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*data.features, "target", "split"])
        for row, target, part in zip(data.X, data.y, split):
            label = repr(float(target)) if data.kind == "regression" else int(target)
            writer.writerow([*(repr(float(v)) for v in row), label, part])


# ---------------------------------------------------------------------------------------------- baselines


def baselines(data: Data) -> dict[str, float]:
    """scikit-learn models fitted on the train rows, scored on the val rows (accuracy, or R² for diabetes)."""
    Xtr, Xva, ytr, yva = data.X[data.train], data.X[data.val], data.y[data.train], data.y[data.val]
    if data.kind == "regression":
        models: dict[str, Any] = {
            "Ridge(alpha=1)": Ridge(alpha=1.0),
            "RidgeCV": RidgeCV(alphas=RIDGE_ALPHAS),
        }
    elif data.kind == "image":
        models = {
            "SVC(gamma=0.001)": SVC(gamma=0.001),
            "LogReg(raw)": LogisticRegression(max_iter=5000),
        }
    else:
        models = {
            "Scaler+LogReg": make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
            "GradBoost": GradientBoostingClassifier(random_state=0),
            "HistGB": HistGradientBoostingClassifier(random_state=0),
        }
    scores = {}
    for label, model in models.items():
        model.fit(Xtr, ytr)
        predicted = model.predict(Xva)
        scores[label] = r2_score(yva, predicted) if data.kind == "regression" else accuracy_score(yva, predicted)
        if isinstance(model, RidgeCV):
            scores[f"RidgeCV(alpha={model.alpha_:g})"] = scores.pop(label)
    return scores


# ---------------------------------------------------------------------------------------------- the wizard


def scoped(items: list[str], name: str) -> list[str]:
    """KEY=VALUE items for dataset `name`: unprefixed ones, and those prefixed with its name or group."""
    chosen = []
    for item in items:
        head, sep, rest = item.partition(":")
        if sep and "=" not in head and (head in DATASETS or head in GROUPS):
            if name == head or name in GROUPS.get(head, ()):
                chosen.append(rest)
        else:
            chosen.append(item)
    return chosen


def nested_set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[last] = value


def dotted_get(tree: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def trainwizard_command() -> list[str]:
    binary = Path(sys.executable).parent / "trainwizard"
    return [str(binary)] if binary.exists() else [sys.executable, "-m", "wizard"]


def render(data: Data, work: Path, extra: list[str], cache: Path) -> tuple[Path | None, float, str]:
    """Answers file -> `trainwizard new --no-input` into a fresh folder; (project, seconds, error)."""
    answers: dict[str, Any] = {"version": 1, "project": {"name": f"field {data.name}"},
                               "data": {"path": str(data.path)}}
    for item in extra:
        key, _, value = item.partition("=")
        nested_set(answers, key.strip(), yaml.safe_load(value))
    answers_file = work / f"{data.name}.answers.yml"
    answers_file.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    project = work / data.name
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}  # a cold scan cache
    started = time.perf_counter()
    done = subprocess.run([*trainwizard_command(), "new", str(project), "--answers", str(answers_file),
                           "--no-input"], check=False, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not (project / ".trainwizard.yml").is_file():
        return None, seconds, last_line(done.stderr or done.stdout) or f"exit code {done.returncode}"
    return project, seconds, ""


# ---------------------------------------------------------------------------------------------- training


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def run_timed(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, str, float]:
    """(exit code or None on timeout, stdout, stderr, seconds); the whole process group dies on timeout."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        code = None
    return code, out, err, time.perf_counter() - started


def read_history(run_dir: Path, metric: str) -> tuple[int, float | None]:
    """(epochs finished, the validation metric of the last one) from metrics.csv."""
    try:
        with open(run_dir / "metrics.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return 0, None
    if not rows:
        return 0, None
    value = rows[-1].get(f"val_{metric}")
    return len(rows), float(value) if value not in (None, "") else None


def train_and_evaluate(project: Path, data: Data, seed: int | None, overrides: list[str],
                       timeout: float) -> SeedRun:
    run = SeedRun(seed)
    run_dir = Path("runs") / (f"seed{seed}" if seed is not None else "default")
    sets = [*overrides, *([f"training.seed={seed}"] if seed is not None else [])]
    cmd = [sys.executable, "scripts/train.py", "--run-dir", str(run_dir)]
    for item in sets:
        cmd += ["--set", item]
    code, out, err, run.train_s = run_timed(cmd, project, timeout)
    run.timed_out = code is None
    run.epochs_run, run.last_value = read_history(project / run_dir, data.metric)
    if code not in (0, None):
        run.error = f"train.py exit {code}: {last_line(err) or last_line(out)}"
        return run
    checkpoint = run_dir / "best.pt"
    if not (project / checkpoint).is_file():
        run.error = "no best.pt" + (f" (timed out after {timeout:.0f} s)" if run.timed_out else "")
        return run
    code, out, err, run.eval_s = run_timed([sys.executable, "scripts/evaluate.py", "--checkpoint",
                                            str(checkpoint)], project, timeout)
    if code != 0:
        run.error = f"evaluate.py exit {code}: {last_line(err) or last_line(out)}"
        return run
    report = project / run_dir / "eval_val.json"
    if report.is_file():
        figures = json.loads(report.read_text(encoding="utf-8"))
        run.value = figures.get(data.metric)
    if run.value is None:  # the printed summary: "accuracy 0.965 ..." or "R² 0.3021"
        found = re.search(r"R² (-?[\d.]+)" if data.metric == "r2" else r"accuracy (-?[\d.]+)", out)
        run.value = float(found.group(1)) if found else None
    try:
        run.best_epoch = int(json.loads((project / run_dir / "report.json").read_text())["best_epoch"])
    except (OSError, KeyError, ValueError):
        pass
    return run


# ---------------------------------------------------------------------------------------------- output


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ",".join(fmt(v) for v in value) + "]"
    return str(value)


def mean_std(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def report(result: Result) -> None:
    data = result.data
    kind = result.answers.get("task") or data.kind
    print(f"\n== {data.name}: {len(data.train)} train / {len(data.val)} val, {data.X.shape[1]} features; "
          f"task {kind}; metric {data.metric} on val")
    figures = "   ".join(f"{label} {value:.4f}" for label, value in result.baselines.items())
    label, best = result.best_baseline
    print(f"  baselines:  {figures}   (best {label}; {result.baseline_s:.1f} s)")
    if result.render_error:
        print(f"  wizard: render FAILED ({result.render_s:.1f} s): {result.render_error}")
        return
    print(f"  wizard ({result.render_s:.1f} s): "
          + "  ".join(f"{key.split('.')[-1]}={fmt(value)}" for key, value in result.answers.items()))
    settings = "  ".join(f"{key.split('.')[-1]}={fmt(value)}" for key, value in result.run_settings.items()
                         if value is not None)
    if settings:
        print(f"  run config: {settings}")
    if result.overrides:
        print(f"  --set: {' '.join(result.overrides)}")
    for run in result.runs:
        seed = "default seed" if run.seed is None else f"seed {run.seed}"
        value = f"{run.value:.4f}" if run.value is not None else "  -   "
        last = f", last epoch {run.last_value:.4f}" if run.last_value is not None else ""
        best_epoch = f"best epoch {run.best_epoch} of {run.epochs_run}" if run.best_epoch else \
            f"{run.epochs_run} epochs"
        note = "  TIMED OUT" if run.timed_out else ""
        error = f"  ERROR {run.error}" if run.error else ""
        print(f"  {seed:>12}: {value}  ({best_epoch}{last}; train {run.train_s:.1f} s, eval {run.eval_s:.1f} s)"
              f"{note}{error}")
    if result.values:
        mean, std = mean_std(result.values)
        print(f"  model: {mean:.4f} ± {std:.4f} (n={len(result.values)})   vs best baseline {best:.4f}: "
              f"{mean - best:+.4f}")


def summary(results: list[Result], total_s: float) -> None:
    print(f"\n{'dataset':<14}{'metric':<10}{'best baseline':<34}{'model mean ± std (n)':<24}{'diff':>8}"
          f"{'train s/seed':>14}  recommended")
    for result in results:
        data = result.data
        label, best = result.best_baseline
        values = result.values
        if values:
            mean, std = mean_std(values)
            model, diff = f"{mean:.4f} ± {std:.4f} ({len(values)})", f"{mean - best:+.4f}"
        else:
            model, diff = "failed", ""
        seconds = [run.train_s for run in result.runs]
        per_seed = f"{statistics.fmean(seconds):.1f}" if seconds else "-"
        short = (f"{result.answers.get('model.source')}/{result.answers.get('model.backbone')}"
                 if result.answers else "-")
        print(f"{data.name:<14}{data.metric:<10}{f'{best:.4f} {label}':<34}{model:<24}{diff:>8}"
              f"{per_seed:>14}  {short}")
    print(f"total {total_s:.0f} s on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.2f})")


def to_json(result: Result) -> dict[str, Any]:
    values = result.values
    mean, std = mean_std(values) if values else (None, None)
    return {
        "dataset": result.data.name, "metric": result.data.metric, "train_rows": len(result.data.train),
        "val_rows": len(result.data.val), "features": int(result.data.X.shape[1]), "baselines": result.baselines,
        "answers": result.answers, "run_settings": result.run_settings, "overrides": result.overrides,
        "render_s": result.render_s, "render_error": result.render_error, "mean": mean, "std": std,
        "project": str(result.project) if result.project else None,
        "runs": [run.__dict__ for run in result.runs],
    }


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the data and the projects (default: a temp folder)")
    parser.add_argument("--datasets", default=",".join(DATASETS),
                        help=f"comma-separated subset of {','.join(DATASETS)} (default: all)")
    parser.add_argument("--seeds", type=int, nargs="+",
                        help="train once per seed with training.seed=N (default: once, with the generated seed)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="[DATASET:]KEY=VALUE",
                        help="train.py override (repeatable); DATASET may be a name, tables or images")
    parser.add_argument("--answer", dest="answers", action="append", default=[], metavar="[DATASET:]KEY=VALUE",
                        help="extra key of the answers file, value read as YAML (repeatable)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds per training run; on timeout best.pt so far is evaluated (default: 600)")
    parser.add_argument("--resample", choices=("bicubic", "nearest"), default="bicubic",
                        help="upscaling of the 8x8 digits to 32 px (default: bicubic)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    names = [name.strip() for name in args.datasets.split(",") if name.strip()]
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        parser.error(f"unknown dataset(s) {', '.join(unknown)}; choose from {', '.join(DATASETS)}")
    out = (args.out or Path(tempfile.mkdtemp(prefix="field-sklearn-"))).resolve()
    work = out / f"projects-{time.strftime('%Y%m%d-%H%M%S')}"
    work.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="field-sklearn-cache-"))
    print(f"output: {out}  (projects in {work.name}; XDG_CACHE_HOME={cache} for the wizard)")
    print(f"digits: 8x8 values 0..16 scaled x255/16, resized to {SIDE} px {args.resample}; split 80/20 "
          "random_state=0 (stratified, diabetes not)")
    started = time.perf_counter()
    results = []
    for name in names:
        data = load(name)
        materialise(data, out / "data", args.resample)
        result = Result(data, overrides=scoped(args.overrides, name))
        clock = time.perf_counter()
        result.baselines = baselines(data)
        result.baseline_s = time.perf_counter() - clock
        result.project, result.render_s, result.render_error = render(data, work, scoped(args.answers, name),
                                                                      cache)
        if result.project is not None:
            recorded = yaml.safe_load((result.project / ".trainwizard.yml").read_text(encoding="utf-8"))
            result.answers = {key: dotted_get(recorded, key) for key in KEY_ANSWERS
                              if dotted_get(recorded, key) is not None}
            for key in IMAGE_ONLY if data.kind != "image" else ("model.hidden_sizes",):
                result.answers.pop(key, None)
            readme = (result.project / "README.md").read_text(encoding="utf-8")
            missing = [command for command in README_COMMANDS if command not in readme]
            if missing:
                print(f"  note: the generated README no longer shows {'; '.join(missing)}")
            for seed in args.seeds or [None]:
                run = train_and_evaluate(result.project, data, seed, result.overrides, args.timeout)
                result.runs.append(run)
            config_file = result.project / "runs" / (f"seed{args.seeds[0]}" if args.seeds else "default") \
                / "config.yaml"
            if config_file.is_file():
                config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
                result.run_settings = {key: dotted_get(config, key) for key in RUN_KEYS}
        report(result)
        results.append(result)
    summary(results, time.perf_counter() - started)
    if args.json:
        args.json.write_text(json.dumps([to_json(r) for r in results], indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
