{%- if f.multilabel -%}
"""Predict the labels of images with a trained checkpoint, using the labels and thresholds saved at training time.

    python scripts/predict.py --checkpoint runs/<run>/best.pt photo.jpg more_photos/ [--json]
    python scripts/predict.py --checkpoint runs/<run>/best.onnx photo.jpg   # an export of scripts/export.py

Prints one line per image: the path, then every label whose probability reaches that label's threshold, with
the probability ("-" when none does). --json also lists every label's probability.
"""
{%- else -%}
"""Predict the class of images with a trained checkpoint, using the label mapping saved at training time.

    python scripts/predict.py --checkpoint runs/<run>/best.pt photo.jpg more_photos/ [--json]
    python scripts/predict.py --checkpoint runs/<run>/best.onnx photo.jpg   # an export of scripts/export.py

Prints one line per image: the path, the predicted label and its probability (tab-separated).
"""
{%- endif %}

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402

from {{ c.slug }}.checkpoint import check_same_model, load_checkpoint, model_from_checkpoint{% if f.multilabel %}, thresholds{% endif %}  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import load_image  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
from {{ c.slug }}.exported import OnnxModel, read_metadata  # noqa: E402
from {{ c.slug }}.runtime import pick_device  # noqa: E402
from {{ c.slug }}.transforms import build_transforms  # noqa: E402

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Predict the {{ "labels" if f.multilabel else "class" }} of images with a trained checkpoint.")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        required=True,
        help="a best.pt or last.pt of a run, or an ONNX export of scripts/export.py (run with onnxruntime)",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="image files or folders of images")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    add_config_arguments(
        parser,
        "override a value of --config (repeatable)",
        config_help="check that this config describes the checkpoint's model (refused if not)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    return parser.parse_args(argv)


def image_paths(inputs: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for images (hidden files and folders skipped)."""
    paths = []
    for item in inputs:
        if item.is_dir():
            for parent, dirs, names in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                paths += [
                    Path(parent, n)
                    for n in sorted(names)
                    if not n.startswith(".") and Path(n).suffix.lower() in IMAGE_EXTENSIONS
                ]
        elif item.is_file():
            paths.append(item)
        else:
            raise UserError(f"{item}: no such file or folder")
    return paths


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.checkpoint.suffix == ".onnx":  # the labels and preprocessing come from the JSON beside it
            meta = read_metadata(args.checkpoint)
            state, model, device = {"config": meta["config"]}, OnnxModel(args.checkpoint), torch.device("cpu")
            classes, data = meta["classes"], meta["preprocessing"]
{%- if f.multilabel %}
            cutoffs = meta["thresholds"]
{%- endif %}
        else:
            state = load_checkpoint(args.checkpoint)
            model, classes = model_from_checkpoint(state, source=str(args.checkpoint))
{%- if f.multilabel %}
            cutoffs = thresholds(state, source=str(args.checkpoint))
{%- endif %}
            device, data = pick_device(state["config"]["training"]["device"]), state["config"]["data"]
            model.to(device).eval()
        if args.config:
            check_same_model(state, load_config(args.config, args.overrides), source=str(args.checkpoint))
        paths = image_paths(args.inputs)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    transform = build_transforms({"data": {key: data[key] for key in ("image_size", "mean", "std")}}, train=False)
    results, failed = [], 0
    for start in range(0, len(paths), args.batch_size):
        batch, tensors = [], []
        for path in paths[start : start + args.batch_size]:
            try:
                tensors.append(transform(load_image(path)))
                batch.append(path)
            except UserError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
        if not batch:
            continue
{%- if f.multilabel %}
        with torch.inference_mode():
            probabilities = model(torch.stack(tensors).to(device)).float().sigmoid()  # one yes/no per label
        for path, row in zip(batch, probabilities.tolist(), strict=True):
            found = [
                {"label": name, "score": round(score, 6)}
                for name, score, cutoff in zip(classes, row, cutoffs, strict=True)
                if score >= cutoff
            ]
            found.sort(key=lambda item: -item["score"])
            results.append(
                {
                    "input": str(path),
                    "labels": found,
                    "scores": {name: round(score, 6) for name, score in zip(classes, row, strict=True)},
                }
            )
            if not args.json:
                shown = ", ".join(f"{item['label']} {item['score']:.4f}" for item in found) or "-"
                print(f"{path}\t{shown}")
{%- else %}
        with torch.inference_mode():
            probabilities = model(torch.stack(tensors).to(device)).float().softmax(dim=1)
        scores, indices = probabilities.max(dim=1)
        for path, score, index in zip(batch, scores.tolist(), indices.tolist(), strict=True):
            result = {"input": str(path), "label": classes[index], "score": round(score, 6)}
            results.append(result)
            if not args.json:
                print(f"{result['input']}\t{result['label']}\t{score:.4f}")
{%- endif %}
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
