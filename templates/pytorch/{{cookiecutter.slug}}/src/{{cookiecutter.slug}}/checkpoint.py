{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Checkpoints: written atomically, read with clear errors, turned back into a model and the labels or features it
was trained with."""

from __future__ import annotations

{% if f.pretrained -%}
import copy
{% endif -%}
import os
import zipfile
from pathlib import Path
from typing import Any

import torch

from .errors import CheckpointError
{% include f.family ~ "/package/checkpoint/keys.py" %}


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Write to a temporary file, then rename: an interrupted save never leaves a damaged checkpoint."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """The checkpoint's contents (on the CPU); a missing or damaged file is a CheckpointError."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    if not zipfile.is_zipfile(path):
        raise CheckpointError(f"{path}: not a checkpoint (not a file written by torch.save), or damaged")
    try:
        # weights_only: a checkpoint holds tensors and plain values; refuse anything that could run code
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # a damaged file fails in many ways (zip, pickle, EOF ...)
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(f"{path}: cannot be read as a checkpoint of this project ({reason})") from None
    missing = [key for key in REQUIRED if not isinstance(state, dict) or key not in state]
    if missing:
        raise CheckpointError(f"{path}: not a checkpoint of this project (it has no {', '.join(missing)})")
    return state


def find_resume_checkpoint(resume: str | Path, output_dir: str | Path) -> Path:
    """--resume: 'auto' (the newest run's last.pt), a run folder, or a checkpoint file."""
    if str(resume) == "auto":
        candidates = sorted(Path(output_dir).glob("*/last.pt"), key=lambda p: p.stat().st_mtime)
        if not candidates:
            raise CheckpointError(f"--resume auto: no run under {output_dir} has a last.pt to resume")
        return candidates[-1]
    path = Path(resume)
    return path / "last.pt" if path.is_dir() else path
{%- if not f.regression %}


def class_names(state: dict[str, Any], source: str = "checkpoint") -> list[str]:
    """Class names in index order; the mapping must number the classes 0..C-1."""
    mapping = state["class_to_idx"]
    if not isinstance(mapping, dict) or sorted(mapping.values()) != list(range(len(mapping))):
        raise CheckpointError(f"{source}: its label mapping is damaged (class indices are not 0..C-1)")
    return sorted(mapping, key=mapping.__getitem__)
{%- endif %}
{%- if f.multilabel %}


def thresholds(state: dict[str, Any], source: str = "checkpoint") -> list[float]:
    """The decision threshold of each label (tuned on the validation split at training time)."""
    values, labels = state["thresholds"], class_names(state, source)
    if not isinstance(values, list) or len(values) != len(labels):
        raise CheckpointError(
            f"{source}: it has {len(values) if isinstance(values, list) else 'no'} thresholds "
            f"for {len(labels)} labels; the checkpoint is damaged"
        )
    return [float(value) for value in values]
{%- endif %}


def check_same_model(state: dict[str, Any], cfg: dict[str, Any], source: str = "checkpoint") -> None:
    """Refuse a config whose model or input differs from the one the checkpoint was trained with."""
    for path in MODEL_KEYS:
        trained, given = state["config"], cfg
        for part in path:
            trained, given = trained[part], given[part]
        if trained != given:
            key = ".".join(path)
            raise CheckpointError(f"{source}: trained with {key}={trained!r} but the config says {given!r}")


{% include f.family ~ "/package/checkpoint/model.py" %}
    expected, weights = model.state_dict(), state["model"]
    for key, tensor in weights.items():
        if key in expected and expected[key].shape != tensor.shape:
{%- if f.regression %}
            if key.startswith("head."):
                raise CheckpointError(
                    f"{source}: the model head has {tensor.shape[0]} outputs ({key}), a regression "
                    "model has one; the weights do not belong to this project"
                )
{%- else %}
            if key.startswith("head."):
                raise CheckpointError(
                    f"{source}: its label mapping lists {len(classes)} {% if f.multilabel %}labels{% else %}classes{% endif %} but the model head has "
                    f"{tensor.shape[0]} outputs ({key}); the mapping does not belong to these weights"
                )
{%- endif %}
            raise CheckpointError(
                f"{source}: {key} has shape {tuple(tensor.shape)}, the model expects {tuple(expected[key].shape)}"
            )
    missing, unexpected = expected.keys() - weights.keys(), weights.keys() - expected.keys()
    if missing or unexpected:
        raise CheckpointError(
            f"{source}: its weights do not fit the model its config describes "
            f"(missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]})"
        )
    model.load_state_dict(weights)
    return model, {% if f.tabular %}schema{% else %}classes{% endif %}
