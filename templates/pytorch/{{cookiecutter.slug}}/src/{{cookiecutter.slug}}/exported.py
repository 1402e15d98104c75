"""Exported models: the JSON written beside an export (labels, preprocessing), and running an ONNX export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from .errors import CheckpointError, UserError

INSTALL_EXPORT = "pip install -e '.[export]' (onnx, onnxruntime, onnxscript)"


def metadata_path(model_path: Path) -> Path:
    """The JSON beside an exported model: best.onnx -> best.onnx.json."""
    return model_path.with_name(model_path.name + ".json")


def read_metadata(model_path: Path) -> dict[str, Any]:
    """The label mapping and preprocessing that scripts/export.py wrote beside `model_path`."""
    path = metadata_path(model_path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(
            f"{path}: missing; an exported model needs the JSON that scripts/export.py writes beside it"
        ) from None
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(meta, dict) or "preprocessing" not in meta or "config" not in meta:
        raise CheckpointError(f"{path}: not the JSON of an export of this project (no preprocessing or config)")
    return meta


class OnnxModel:
    """An ONNX file run by onnxruntime on the CPU, called like the PyTorch model: a float32 batch in, outputs out."""

    def __init__(self, path: Path) -> None:
        try:
            import onnxruntime  # an optional dependency: only ONNX users install it
        except ImportError:
            raise UserError(f"running an ONNX model needs onnxruntime: {INSTALL_EXPORT}") from None
        try:
            self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for unreadable files
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            raise CheckpointError(f"{path}: cannot be loaded as an ONNX model ({reason})") from None
        self.input_name = self.session.get_inputs()[0].name

    def __call__(self, inputs: torch.Tensor) -> torch.Tensor:
        array = inputs.detach().to("cpu", torch.float32).contiguous().numpy()
        return torch.from_numpy(self.session.run(None, {self.input_name: array})[0])
