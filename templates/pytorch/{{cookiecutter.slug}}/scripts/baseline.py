{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Baselines: what simple models score on this project's split, so the trained model has a score to beat."""

from __future__ import annotations

import argparse
import json
import os
{%- if not f.tabular %}
import random
{%- endif %}
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import numpy as np  # noqa: E402
{%- if not f.tabular %}
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.utils.data import DataLoader, Dataset, Subset  # noqa: E402
from tqdm import tqdm  # noqa: E402
{%- endif %}

from {{ c.slug }} import metrics, task  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import build_datasets, eval_dataset  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
{%- if not f.tabular %}
from {{ c.slug }}.loaders import loader_options, worker_count  # noqa: E402
{%- endif %}
{%- if f.pretrained %}
from {{ c.slug }}.model import build_model  # noqa: E402
{%- endif %}
{%- if not f.tabular %}
from {{ c.slug }}.runtime import pick_device  # noqa: E402
{%- endif %}

TASK = {{ c.task | pyrepr }}
{%- if not f.tabular %}
PIXELS = 16  # without a pretrained backbone the linear model reads the image downscaled to 16x16 (x 3 channels)
{%- else %}
MAX_BINS = 255  # HistGradientBoosting's bins: a category column with more categories is read as a number
{%- endif %}
FORMATS = {
    "mae": ".4g",
    "rmse": ".4g",
    "r2": ".4f",
    "accuracy": ".3f",
    "macro_f1": ".3f",
    "micro_f1": ".3f",
    "exact_match": ".3f",
}  # as evaluate.py prints them
LOGISTIC_ITERATIONS = 2000  # enough for lbfgs to converge on standardized inputs
{% include f.kind ~ "/scripts/baseline_scores.py" %}

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Score simple models on the project's own split: the score a trained model has to beat.",
        epilog="evaluate.py prints the trained model's score next to the best of these (reports/baseline.json).",
    )
    add_config_arguments(parser, "override a config value, e.g. data.path=other/data (repeatable)")
    parser.add_argument(
        "--split",
        choices=("val", "test"),
        default="val",
        help="split to score on (default: val); the baselines always learn from the training split",
    )
{%- if not f.tabular %}
    parser.add_argument(
        "--max-images",
        type=int,
        default=5000,
        help="training images the linear model learns from at most (default: 5000, a random "
        "sample), to keep the run short",
    )
{%- endif %}
    parser.add_argument(
        "--out", type=Path, default=ROOT / "reports", help="folder for baseline.json (default: reports)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
{%- if not f.tabular %}
        if args.max_images < 2:
            raise UserError("--max-images must be at least 2")
{%- endif %}
        require_sklearn()
        report = run(cfg, args.split{% if not f.tabular %}, args.max_images{% endif %})
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    path = args.out / "baseline.json"
    write_json(path, report)
    print(format_table(report))
    print(f"report: {path}")
    return 0


def require_sklearn() -> None:
    """A missing scikit-learn is one clear line instead of a traceback (the baselines import it where used)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UserError("the baselines need scikit-learn: pip install 'scikit-learn>=1.3'") from None


def main_metric(cfg: dict[str, Any]) -> str:
    """The metric to compare: the one early_stopping.monitor picks checkpoints by, when it is a metric here."""
    name = cfg["regularization"]["early_stopping"]["monitor"].removeprefix("val_")
    return name if name in METRICS else DEFAULT_METRIC


{% include f.family ~ "/scripts/baseline_fit.py" %}

def notes_of(caught: list[warnings.WarningMessage]) -> list[str]:
    """scikit-learn's warnings while fitting (e.g. no convergence), one line each, without repeats."""
    return list(dict.fromkeys(str(w.message).splitlines()[0] for w in caught if str(w.message).strip()))


def make_report(
    cfg: dict[str, Any],
    split: str,
    results: dict[str, dict[str, Any]],
    sizes: dict[str, int],
    fingerprint: str,
    features: str,
) -> dict[str, Any]:
    """Everything baseline.json holds: the split, its size and fingerprint, the metrics and each baseline's scores."""
    metric = main_metric(cfg)
    lower = metric in LOWER_IS_BETTER
    best = (min if lower else max)(results, key=lambda name: results[name][metric])
    return {
        "task": TASK,
        "split": split,
        "fingerprint": fingerprint,
        "data_path": cfg["data"]["path"],
        "sizes": sizes,
        "metrics": list(METRICS),
        "main_metric": metric,
        "higher_is_better": not lower,
        "features": features,
        "seed": cfg["training"]["seed"],
        "baselines": results,
        "best": best,
    }


def format_table(report: dict[str, Any]) -> str:
    """One line per baseline and its metrics, then the best one."""
    names = {
        "mae": "MAE",
        "rmse": "RMSE",
        "r2": "R²",
        "accuracy": "accuracy",
        "macro_f1": "macro F1",
        "micro_f1": "micro F1",
        "exact_match": "exact match",
    }
    results = report["baselines"]
    width = max(len("baseline"), *(len(row["title"]) for row in results.values()))
    sizes = ", ".join(f"{count} {name}" for name, count in report["sizes"].items() if name != "fitted_on")
    lines = [f"baselines on the {report['split']} split ({sizes} {{ "rows" if f.tabular else "images" }})"]
{%- if not f.tabular %}
    if report["sizes"]["fitted_on"] < report["sizes"]["train"]:
        lines.append(
            f"the linear model learned from {report['sizes']['fitted_on']} of the training images (--max-images)"
        )
{%- endif %}
    lines.append(f"features: {report['features']}")
    lines.append(f"{'baseline':<{width}}  " + "  ".join(f"{names[m]:>11}" for m in report["metrics"]))
    for row in results.values():
        lines.append(f"{row['title']:<{width}}  " + "  ".join(f"{row[m]:11{FORMATS[m]}}" for m in report["metrics"]))
        lines += [f"{'':<{width}}  note: {note}" for note in row["notes"]]
    best = results[report["best"]]
    metric = report["main_metric"]
    lines.append(
        f"best: {best['title']} ({names[metric]} {best[metric]:{FORMATS[metric]}}); evaluate.py compares "
        "the trained model with it"
    )
    return "\n".join(lines)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write to a temporary file, then rename: an interrupted run never leaves a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
