{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Evaluate a checkpoint on a data split: the task's metrics (task.checkpoint_report in the package), next to
what the best baseline scores.

python scripts/evaluate.py --checkpoint runs/<run>/best.pt [--split val|test|train] [--set data.path=...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from {{ c.slug }} import task  # noqa: E402
from {{ c.slug }}.checkpoint import check_same_model, load_checkpoint, model_from_checkpoint  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, apply_overrides, load_config  # noqa: E402
from {{ c.slug }}.data import eval_dataset  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
from {{ c.slug }}.loaders import loader_options, worker_count  # noqa: E402
from {{ c.slug }}.metrics import format_report  # noqa: E402
from {{ c.slug }}.runtime import pick_device  # noqa: E402
from {{ c.slug }}.tracking import log_evaluation  # noqa: E402

METRIC_NAMES = {
    "mae": "MAE",
    "rmse": "RMSE",
    "r2": "R²",
    "accuracy": "accuracy",
    "macro_f1": "macro F1",
    "micro_f1": "micro F1",
    "exact_match": "exact match",
}
FORMATS = {"mae": ".4g", "rmse": ".4g", "r2": ".3f"}  # the others: .3f
LOWER_IS_BETTER = ("mae", "rmse")
LEVEL = 0.005  # a difference below half a point (1% of a baseline's MAE or RMSE) is a tie


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Evaluate a trained checkpoint on a data split.")
    parser.add_argument("--checkpoint", type=Path, required=True, help="a best.pt or last.pt of a run")
    parser.add_argument("--split", choices=("val", "test", "train"), default="val")
    add_config_arguments(
        parser,
        "override a config value, e.g. data.path=other/data (repeatable)",
        config_help="config to read the data from (default: the config saved in the checkpoint)",
    )
    parser.add_argument("--out", type=Path, help="where to write the report (default: the checkpoint's folder)")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=ROOT / "reports" / "baseline.json",
        help="scores of simple models, from scripts/baseline.py (default: reports/baseline.json)",
    )
    return parser.parse_args(argv)


@torch.inference_mode()
def predict(model: torch.nn.Module, loader: DataLoader, device: torch.device) -> tuple[list[Any], list[Any]]:
    """True targets and predictions (task.predictions of the outputs, as in training) over a loader."""
    model.eval()
    truths, predictions = [], []
    for inputs, targets in loader:
        truths += targets.tolist()
        predictions += task.predictions(model(inputs.to(device)).float()).tolist()
    return truths, predictions


def compare_with_baseline(report: dict[str, Any], split: str, fingerprint: str, path: Path) -> dict[str, Any]:
    """The model's score next to the best baseline's in `path` (written by scripts/baseline.py), with a
    `message` to print: who wins and by how much, and what to try when the baseline does."""
    run_it = "python scripts/baseline.py" + (" --split test" if split == "test" else "")
    if split == "train":
        return {
            "status": "not compared",
            "message": "baseline: the baselines are scored on the val or test split, "
            "not on the training split they learn from",
        }
    if not path.is_file():
        return {
            "status": "missing",
            "message": f"baseline: none yet; run `{run_it}` to know what a simple model scores on this split",
        }
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
        metric, best = baseline["main_metric"], baseline["baselines"][baseline["best"]]
        model_value, base_value = float(report[metric]), float(best[metric])
        title, same_split = best["title"], baseline["split"] == split and baseline["fingerprint"] == fingerprint
    except (OSError, ValueError, KeyError, TypeError):
        return {"status": "unreadable", "message": f"baseline: {path} cannot be read; run `{run_it}` again"}
    if not same_split:
        return {
            "status": "other split",
            "message": f"baseline: {path} scores the {baseline['split']} split as it "
            f"was then, not the {split} split evaluated here; run `{run_it}` again to compare",
        }
    lower = metric in LOWER_IS_BETTER
    gain = base_value - model_value if lower else model_value - base_value
    if lower:  # errors in the target's units: compare relative to the baseline's
        size = abs(gain) / base_value if base_value > 0 else abs(gain)
        by = f"{size:.0%} ({abs(gain):.4g} in the target's units)"
    else:
        size, by = abs(gain), f"{abs(gain) * 100:.1f} points"
    winner = "tie" if size < LEVEL else "model" if gain > 0 else "baseline"
    perfect = not lower and min(model_value, base_value) >= 1 - LEVEL
    name, form = METRIC_NAMES.get(metric, metric), FORMATS.get(metric, ".3f")
    text = f"baseline: {title} scores {name} {base_value:{form}} on the {split} split, the model {model_value:{form}}: "
    if winner == "model":
        text += f"the model beats the best baseline by {by}."
    elif perfect:
        text += "both are (nearly) perfect: this split is too easy or too small to tell them apart."
    else:
        text += (
            "the model only matches the best baseline. " if winner == "tie" else f"the baseline wins by {by}. "
        ) + advice(baseline["best"], winner == "tie")
    return {
        "status": "compared",
        "file": str(path),
        "metric": metric,
        "model": model_value,
        "baseline": baseline["best"],
        "baseline_title": title,
        "baseline_value": base_value,
        "difference": gain,
        "winner": winner,
        "message": text,
    }


{% include f.family ~ "/scripts/evaluate_advice.py" %}

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        state = load_checkpoint(args.checkpoint)
        if args.config:
            cfg = load_config(args.config, args.overrides)
            check_same_model(state, cfg, source=str(args.checkpoint))
        else:
            cfg = state["config"]
            apply_overrides(cfg, args.overrides)
{%- if f.tabular %}
        model, schema = model_from_checkpoint(state, source=str(args.checkpoint))
        dataset = eval_dataset(cfg, args.split, schema)
{%- else %}
        model, _ = model_from_checkpoint(state, source=str(args.checkpoint))
        dataset = eval_dataset(cfg, args.split, state["class_to_idx"])
{%- endif %}
        device = pick_device(cfg["training"]["device"])
        workers = worker_count(cfg["data"]["num_workers"])
        loader = DataLoader(dataset, batch_size=cfg["training"]["batch_size"], **loader_options(workers, device))
        y_true, y_pred = predict(model.to(device), loader, device)
        report = {
            "checkpoint": str(args.checkpoint),
            "split": args.split,
            **task.checkpoint_report(state, y_true, y_pred, source=str(args.checkpoint)),
        }
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fingerprint = task.split_fingerprint(dataset)
    report["baseline_comparison"] = compare_with_baseline(report, args.split, fingerprint, args.baseline)
    out = args.out or args.checkpoint.parent
    out.mkdir(parents=True, exist_ok=True)
    (out / f"eval_{args.split}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    task.present_evaluation(report, state, out, args.split)
    print(f"{args.checkpoint} on the {args.split} split:")
    print(format_report(report))
    print(report["baseline_comparison"]["message"])
    print(f"report: {out / f'eval_{args.split}.json'}")
    figures = sorted(out.glob(f"*_{args.split}.png"))  # task.present_evaluation's, named <figure>_<split>.png
    try:  # into the tracker run (training.tracker) that trained the checkpoint
        log_evaluation(cfg, args.checkpoint.parent, state["epoch"], report, [out / f"eval_{args.split}.json", *figures])
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
