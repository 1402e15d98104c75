"""Shared fixtures: tiny synthetic data ({{ "a multi-label CSV manifest" if f.multilabel else "class folders" if f.folders else "a CSV manifest" }}) and settings that train on it in seconds."""

from __future__ import annotations

{% if not f.folders -%}
import csv
{% endif -%}
import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest
import torch
from PIL import Image

from {{ c.slug }}.config import load_config
from {{ c.slug }}.engine import fit

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("cat", "dog", "fox")
{%- if not f.multilabel %}
COLOURS = {"cat": (200, 40, 40), "dog": (40, 200, 40), "fox": (40, 40, 200)}
{%- endif %}

torch.set_num_threads(1)  # tiny models: more threads only add overhead and contention on shared machines


{% include f.variant ~ "/tests/fixture_data.py" %}


@pytest.fixture(scope="session")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data"))


def tiny_overrides(data_path: Path, runs: Path) -> list[str]:
    """--set overrides that make any run tiny: small images and batches, 2 epochs, CPU, runs under `runs`."""
    return [
        f"data.path={data_path}",
        "data.image_column=path",
        "data.label_column={{ "tags" if f.multilabel else "label" }}",
        "data.image_size=32",
        "data.num_workers=0",
        "training.batch_size=8",
        "training.epochs=2",
        "training.device=cpu",
{%- if f.pretrained %}
        "model.weights=null",  # offline: random initialisation instead of downloading ImageNet weights
{%- endif %}
        f"output.dir={runs}",
    ]


@pytest.fixture
def overrides(data_path: Path, tmp_path: Path) -> list[str]:
{%- if c.model.backbone == "xception" %}
    pytest.importorskip("timm", reason="the Xception backbone comes from timm: pip install timm")
{%- endif %}
    return tiny_overrides(data_path, tmp_path / "runs")


@pytest.fixture
def cfg(overrides: list[str]) -> dict:
    return load_config(ROOT / "config.yaml", overrides)


@pytest.fixture(scope="session")
def trained_run(data_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one 1-epoch training run, shared by the tests that only read it."""
{%- if c.model.backbone == "xception" %}
    pytest.importorskip("timm", reason="the Xception backbone comes from timm: pip install timm")
{%- endif %}
    run = tmp_path_factory.mktemp("trained") / "run"
    cfg = load_config(ROOT / "config.yaml", [*tiny_overrides(data_path, run.parent), "training.epochs=1"])
    fit(cfg, run)
    return run


def set_args(overrides: list[str]) -> list[str]:
    """The overrides as command-line arguments: --set a=1 --set b=2 ..."""
    return [arg for item in overrides for arg in ("--set", item)]


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module, so tests call its main(argv) in-process."""
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
