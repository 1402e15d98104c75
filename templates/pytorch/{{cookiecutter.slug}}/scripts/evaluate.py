{%- set slug = cookiecutter.slug -%}
{%- set tabular = cookiecutter.task in ("tabular-classification", "tabular-regression") -%}
{%- set regression = cookiecutter.task == "tabular-regression" -%}
{%- set multilabel = cookiecutter.task == "image-multilabel" -%}
{%- if regression -%}
"""Evaluate a checkpoint: MAE, RMSE and R² of its predictions, in the target's own units.
{%- elif multilabel -%}
"""Evaluate a checkpoint: per-label precision, recall and F1 at the saved thresholds, macro and micro F1.
{%- else -%}
"""Evaluate a checkpoint: per-class precision, recall and F1, macro F1, accuracy and the confusion matrix.
{%- endif %}

    python scripts/evaluate.py --checkpoint runs/<run>/best.pt [--split val|test|train] [--set data.path=...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from {{ slug }}.checkpoint import check_same_model, load_checkpoint, model_from_checkpoint{% if multilabel %}, thresholds{% endif %}  # noqa: E402
from {{ slug }}.config import apply_overrides, load_config  # noqa: E402
from {{ slug }}.data import eval_dataset  # noqa: E402
from {{ slug }}.errors import UserError  # noqa: E402
from {{ slug }}.loaders import loader_options, worker_count  # noqa: E402
{%- if regression %}
from {{ slug }}.metrics import format_report, regression_report  # noqa: E402
{%- elif multilabel %}
from {{ slug }}.metrics import format_report, multilabel_report  # noqa: E402
{%- else %}
from {{ slug }}.metrics import classification_report, format_report  # noqa: E402
from {{ slug }}.plots import plot_confusion_matrix  # noqa: E402
{%- endif %}
from {{ slug }}.runtime import pick_device  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Evaluate a trained checkpoint on a data split.")
    parser.add_argument("--checkpoint", type=Path, required=True, help="a best.pt or last.pt of a run")
    parser.add_argument("--split", choices=("val", "test", "train"), default="val")
    parser.add_argument("--config", type=Path,
                        help="config to read the data from (default: the config saved in the checkpoint)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value, e.g. data.path=other/data (repeatable)")
    parser.add_argument("--out", type=Path, help="where to write the report (default: the checkpoint's folder)")
    return parser.parse_args(argv)


{%- if multilabel %}
@torch.inference_mode()
def predict_scores(model: torch.nn.Module, loader: DataLoader, device: torch.device) -> tuple[list, list]:
    """True labels (0/1 per label) and predicted probabilities per label, image by image, over a loader."""
    model.eval()
    truths, scores = [], []
    for images, targets in loader:
        truths += targets.tolist()
        scores += model(images.to(device)).float().sigmoid().tolist()
    return truths, scores
{%- elif regression %}
@torch.inference_mode()
def predict_values(
    model: torch.nn.Module, loader: DataLoader, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """True targets and model outputs over a loader (in the units the model learns)."""
    model.eval()
    truths, outputs = [], []
    for rows, targets in loader:
        truths.append(targets)
        outputs.append(model(rows.to(device)).float().cpu())
    return torch.cat(truths), torch.cat(outputs)
{%- else %}
@torch.inference_mode()
def predict_classes(model: torch.nn.Module, loader: DataLoader, device: torch.device) -> tuple[list[int], list[int]]:
    """True and predicted class indices over a loader."""
    model.eval()
    truths, predictions = [], []
    for {% if tabular %}rows{% else %}images{% endif %}, targets in loader:
        truths += targets.tolist()
        predictions += model({% if tabular %}rows{% else %}images{% endif %}.to(device)).argmax(dim=1).tolist()
    return truths, predictions
{%- endif %}


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
{%- if tabular %}
        model, schema = model_from_checkpoint(state, source=str(args.checkpoint))
        dataset = eval_dataset(cfg, args.split, schema)
{%- else %}
        model, classes = model_from_checkpoint(state, source=str(args.checkpoint))
        dataset = eval_dataset(cfg, args.split, state["class_to_idx"])
{%- endif %}
        device = pick_device(cfg["training"]["device"])
        workers = worker_count(cfg["data"]["num_workers"])
        loader = DataLoader(dataset, batch_size=cfg["training"]["batch_size"], **loader_options(workers, device))
{%- if multilabel %}
        y_true, scores = predict_scores(model.to(device), loader, device)
        cutoffs = thresholds(state, source=str(args.checkpoint))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = {"checkpoint": str(args.checkpoint), "split": args.split,
              **multilabel_report(y_true, scores, classes, cutoffs)}
{%- elif regression %}
        y_true, outputs = predict_values(model.to(device), loader, device)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    values = regression_report(schema.unscale(y_true).tolist(), schema.unscale(outputs).tolist())  # target units
    report = {"checkpoint": str(args.checkpoint), "split": args.split, "target": schema.target, **values}
{%- else %}
        y_true, y_pred = predict_classes(model.to(device), loader, device)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    {%- if tabular %}
    classes = schema.classes
    {%- endif %}
    report = {"checkpoint": str(args.checkpoint), "split": args.split, **classification_report(y_true, y_pred, classes)}
{%- endif %}
    out = args.out or args.checkpoint.parent
    out.mkdir(parents=True, exist_ok=True)
    (out / f"eval_{args.split}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
{%- if not multilabel and not regression %}
    plot_confusion_matrix(report["confusion_matrix"], classes, out / f"confusion_matrix_{args.split}.png")
{%- endif %}
    print(f"{args.checkpoint} on the {args.split} split:")
    print(format_report(report))
    print(f"report: {out / f'eval_{args.split}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
