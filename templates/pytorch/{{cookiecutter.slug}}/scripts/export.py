{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Export a trained checkpoint for use outside this project, and check the export against the PyTorch model.

    python scripts/export.py --checkpoint runs/<run>/best.pt --format onnx|torchscript|exported-program [--out PATH]

Writes the model file and, beside it, <file>.json with the label mapping and the preprocessing, so that the
model can be served without this project. The export is loaded back from disk and run on --samples validation
{{ "rows" if f.tabular else "images" }}; the largest absolute difference to the PyTorch model's outputs is printed. Exit code: 0 when it is
within --tolerance, 1 when it is not, 2 for an error (bad checkpoint, no data, onnx not installed).

- onnx: torch.onnx.export with the torch.export-based exporter (dynamo=True), PyTorch's recommended and
  default path; it needs onnx and onnxscript (`pip install -e '.[export]'`), and onnxruntime to check the file.
- torchscript: torch.jit.trace; PyTorch deprecates TorchScript in favour of torch.export, but LibTorch (C++)
  and older serving stacks still load it.
- exported-program: torch.export.export + torch.export.save (a .pt2 file; torch.export.load reads it back).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402

from {{ c.slug }}.checkpoint import load_checkpoint, model_from_checkpoint  # noqa: E402
from {{ c.slug }}.config import apply_overrides  # noqa: E402
from {{ c.slug }}.data import eval_dataset  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
from {{ c.slug }}.exported import INSTALL_EXPORT, OnnxModel, metadata_path  # noqa: E402

SUFFIXES = {"onnx": ".onnx", "torchscript": ".torchscript.pt", "exported-program": ".pt2"}
# What the model's output is and how to read it.
OUTPUT = {{ ("one value per row: output * target_std + target_mean when standardize_target (feature_schema)" if f.regression else "one logit per label: the label is present when sigmoid(logit) >= its threshold" if f.multilabel else "one logit per class: softmax gives the probabilities, the largest is the prediction") | pyrepr }}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Export a checkpoint to ONNX, TorchScript or an ExportedProgram.")
    parser.add_argument("--checkpoint", type=Path, required=True, help="a best.pt or last.pt of a run")
    parser.add_argument("--format", choices=tuple(SUFFIXES), required=True, help="what to write")
    parser.add_argument("--out", type=Path, help="the model file (default: beside the checkpoint, e.g. best.onnx)")
    parser.add_argument("--samples", type=int, default=16, help="validation samples to compare on (default: 16)")
    parser.add_argument(
        "--tolerance", type=float, default=1e-4, help="largest allowed absolute difference (default: 1e-4)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a value of the checkpoint's config, e.g. data.path=moved/data (repeatable)",
    )
    return parser.parse_args(argv)


{% include f.family ~ "/scripts/export_inputs.py" %}

def labels(state: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint's label mapping (class or label names in output order) and decision thresholds."""
    found: dict[str, Any] = {}
    if "class_to_idx" in state:
        mapping = state["class_to_idx"]
        found["classes"] = sorted(mapping, key=mapping.__getitem__)
    if "thresholds" in state:
        found["thresholds"] = [float(value) for value in state["thresholds"]]
    return found


def export(model: torch.nn.Module, example: torch.Tensor, fmt: str, out: Path) -> None:
    """Write `model` to `out` in `fmt`, the batch dimension left free (any number of inputs per call)."""
    if len(example) < 2:  # torch.export fixes a dimension whose example size is 1
        example = torch.cat([example, example])
    batch = ({0: torch.export.Dim("batch")},)
    if fmt == "onnx":
        try:
            import onnx  # noqa: F401  (the exporter needs both)
            import onnxscript  # noqa: F401
        except ImportError:
            raise UserError(f"--format onnx needs onnx and onnxscript: {INSTALL_EXPORT}") from None
        # one self-contained file (weights inside); ONNX files are limited to 2 GB that way
        program = torch.onnx.export(
            model,
            (example,),
            dynamo=True,
            dynamic_shapes=batch,
            input_names=["inputs"],
            output_names=["outputs"],
            verbose=False,
        )
        program.save(out, external_data=False)
    elif fmt == "torchscript":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # the deprecation notice, said in --help instead
            torch.jit.save(torch.jit.trace(model, example), out)
    else:
        torch.export.save(torch.export.export(model, (example,), dynamic_shapes=batch), out)


def load_export(fmt: str, out: Path) -> Any:
    """The exported file read back from disk, as a callable: what a user of the file gets."""
    if fmt == "onnx":
        return OnnxModel(out)
    if fmt == "torchscript":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return torch.jit.load(out)
    return torch.export.load(out).module()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.samples < 1:
        print("error: --samples must be at least 1", file=sys.stderr)
        return 2
    out = args.out or args.checkpoint.with_name(args.checkpoint.stem + SUFFIXES[args.format])
    try:
        state = load_checkpoint(args.checkpoint)
        cfg = state["config"]
        apply_overrides(cfg, args.overrides)
        model, spec = model_from_checkpoint(state, source=str(args.checkpoint))
        model.eval()
        inputs = validation_inputs(cfg, state, spec, args.samples)
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            export(model, inputs, args.format, out)
        except UserError:
            raise
        except Exception as exc:  # the exporters fail in many ways on code they cannot trace
            reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
            raise UserError(f"the model cannot be exported as {args.format}: {reason}") from None
        exported = load_export(args.format, out)
        with torch.inference_mode():
            expected = model(inputs).float()
            difference = (exported(inputs).float() - expected).abs().max().item()
            # a batch of one as well: predictions come in batches of any size
            difference = max(difference, (exported(inputs[:1]).float() - expected[:1]).abs().max().item())
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    passed = difference <= args.tolerance
    meta = {
        "format": args.format,
        "file": out.name,
        "exported_from": str(args.checkpoint),
        "epoch": state.get("epoch"),
        "task": cfg["task"],
        "torch_version": torch.__version__,
        "input": {"name": "inputs", "shape": ["batch", *inputs.shape[1:]], "dtype": "float32"},
        "output": OUTPUT,
        **labels(state),
        "preprocessing": preprocessing(cfg, spec),
        "verification": {
            "samples": len(inputs),
            "split": "val",
            "max_abs_diff": difference,
            "tolerance": args.tolerance,
            "passed": passed,
        },
        "config": cfg,
    }
    metadata_path(out).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out} and {metadata_path(out)}")
    verdict = "OK" if passed else "FAIL: do not use this export"
    print(
        f"max abs difference to the PyTorch model on {len(inputs)} validation {{ "rows" if f.tabular else "images" }}: {difference:.3g} "
        f"(tolerance {args.tolerance:g}) {verdict}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
