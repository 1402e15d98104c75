{%- set slug = cookiecutter.slug -%}
"""Evaluate a checkpoint: per-class precision, recall and F1, macro F1, accuracy and the confusion matrix.

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

from {{ slug }}.checkpoint import check_same_model, load_checkpoint, model_from_checkpoint  # noqa: E402
from {{ slug }}.config import apply_overrides, load_config  # noqa: E402
from {{ slug }}.data import eval_dataset  # noqa: E402
from {{ slug }}.errors import UserError  # noqa: E402
from {{ slug }}.metrics import classification_report, format_report  # noqa: E402
from {{ slug }}.plots import plot_confusion_matrix  # noqa: E402
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


@torch.inference_mode()
def predict_classes(model: torch.nn.Module, loader: DataLoader, device: torch.device) -> tuple[list[int], list[int]]:
    """True and predicted class indices over a loader."""
    model.eval()
    truths, predictions = [], []
    for images, targets in loader:
        truths += targets.tolist()
        predictions += model(images.to(device)).argmax(dim=1).tolist()
    return truths, predictions


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
        model, classes = model_from_checkpoint(state, source=str(args.checkpoint))
        dataset = eval_dataset(cfg, args.split, state["class_to_idx"])
        device = pick_device(cfg["training"]["device"])
        loader = DataLoader(dataset, batch_size=cfg["training"]["batch_size"], num_workers=cfg["data"]["num_workers"])
        y_true, y_pred = predict_classes(model.to(device), loader, device)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = {"checkpoint": str(args.checkpoint), "split": args.split, **classification_report(y_true, y_pred, classes)}
    out = args.out or args.checkpoint.parent
    out.mkdir(parents=True, exist_ok=True)
    (out / f"eval_{args.split}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot_confusion_matrix(report["confusion_matrix"], classes, out / f"confusion_matrix_{args.split}.png")
    print(f"{args.checkpoint} on the {args.split} split:")
    print(format_report(report))
    print(f"report: {out / f'eval_{args.split}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
