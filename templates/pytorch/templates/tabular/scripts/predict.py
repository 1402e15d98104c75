"""Predict the {{ "target value" if f.regression else "class" }} of every row of a CSV file, with the feature schema saved at training time.

    python scripts/predict.py --checkpoint runs/<run>/best.pt table.csv [--json] [--id-column COLUMN]
    python scripts/predict.py --checkpoint runs/<run>/best.onnx table.csv   # an export of scripts/export.py

Prints one line per row, tab-separated: the row (its line number in the file, or its --id-column value) and
{% if f.regression %}the predicted value.{% else %}the predicted class with its probability.{% endif %}
The table needs exactly the feature columns the model was trained on; the target column may be there too (it
is ignored). Numbers missing from a row get the training median, categories unseen in training count as unknown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402

from {{ c.slug }}.checkpoint import check_same_model, load_checkpoint, model_from_checkpoint  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import read_table  # noqa: E402
from {{ c.slug }}.errors import DataError, UserError  # noqa: E402
from {{ c.slug }}.exported import OnnxModel, read_metadata  # noqa: E402
from {{ c.slug }}.runtime import pick_device  # noqa: E402
from {{ c.slug }}.tabular import FeatureSchema  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Predict every row of a CSV file with a trained checkpoint.")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        required=True,
        help="a best.pt or last.pt of a run, or an ONNX export of scripts/export.py (run with onnxruntime)",
    )
    parser.add_argument("table", type=Path, metavar="CSV", help="rows to predict, with the training feature columns")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    parser.add_argument("--id-column", metavar="COLUMN", help="name each row by this column instead of its line number")
    add_config_arguments(
        parser,
        "override a value of --config (repeatable)",
        config_help="check that this config describes the checkpoint's model (refused if not)",
    )
    parser.add_argument("--batch-size", type=int, default=1024)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.checkpoint.suffix == ".onnx":  # the feature schema comes from the JSON beside it
            meta = read_metadata(args.checkpoint)
            state, model, device = {"config": meta["config"]}, OnnxModel(args.checkpoint), torch.device("cpu")
            schema = FeatureSchema.from_dict(meta["preprocessing"]["feature_schema"])
        else:
            state = load_checkpoint(args.checkpoint)
            model, schema = model_from_checkpoint(state, source=str(args.checkpoint))
            device = pick_device(state["config"]["training"]["device"])
            model.to(device).eval()
        if args.config:
            check_same_model(state, load_config(args.config, args.overrides), source=str(args.checkpoint))
        table = read_table(args.table)
        if args.id_column is not None and args.id_column not in table.header:
            raise DataError(
                f"{args.table}: no column {args.id_column!r} (--id-column); columns: {', '.join(table.header)}"
            )
        schema.check_columns(table.header, str(args.table), allowed=(args.id_column,) if args.id_column else ())
        features = schema.encode(table.rows, str(args.table))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with torch.inference_mode():
        outputs = torch.cat([model(batch.to(device)).float().cpu() for batch in features.split(args.batch_size)])
{%- if f.regression %}
    values = schema.unscale(outputs).tolist()  # back in the target's own units
{%- else %}
    scores, indices = outputs.softmax(dim=1).max(dim=1)
{%- endif %}
    results = []
{%- if f.regression %}
    for row, value in zip(table.rows, values, strict=True):
        name = row.cells[args.id_column] if args.id_column else row.line
        results.append({"row": name, schema.target: value})
        if not args.json:
            print(f"{name}\t{value:.6g}")
{%- else %}
    for row, score, index in zip(table.rows, scores.tolist(), indices.tolist(), strict=True):
        name = row.cells[args.id_column] if args.id_column else row.line
        results.append({"row": name, "label": schema.classes[index], "score": round(score, 6)})
        if not args.json:
            print(f"{name}\t{schema.classes[index]}\t{score:.4f}")
{%- endif %}
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
