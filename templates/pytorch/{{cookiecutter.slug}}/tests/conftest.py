{%- set csv_layout = cookiecutter.data.layout == "csv" -%}
{%- set pretrained = cookiecutter.model.source == "pretrained" -%}
"""Shared fixtures: tiny synthetic data ({% if csv_layout %}a CSV manifest{% else %}class folders{% endif %}) and settings that train on it in seconds."""

from __future__ import annotations

{% if csv_layout -%}
import csv
{% endif -%}
import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest
import torch
from PIL import Image

from {{ cookiecutter.slug }}.config import load_config
from {{ cookiecutter.slug }}.engine import fit

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("cat", "dog", "fox")
COLOURS = {"cat": (200, 40, 40), "dog": (40, 200, 40), "fox": (40, 40, 200)}

torch.set_num_threads(1)  # tiny models: more threads only add overhead and contention on shared machines


def draw(path: Path, label: str, rng: random.Random, size: int = 24) -> None:
    """A noisy image in the class colour: easy to learn, so a short training run shows real progress."""
    base = COLOURS[label]
    pixels = [tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in base) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_dataset(root: Path, per_class: int = 8, val_per_class: int = 3, seed: int = 0) -> Path:
{%- if csv_layout %}
    """root/images/*.png and root/labels.csv (path, label, split); returns the CSV's path."""
    rng = random.Random(seed)
    rows = []
    for label in CLASSES:
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                name = f"images/{label}_{split}_{i}.png"
                draw(root / name, label, rng)
                rows.append({"path": name, "label": label, "split": split})
    manifest = root / "labels.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["path", "label", "split"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest
{%- else %}
    """root/{train,val}/<class>/*.png; returns root."""
    rng = random.Random(seed)
    for label in CLASSES:
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                draw(root / split / label / f"{i}.png", label, rng)
    return root
{%- endif %}


@pytest.fixture(scope="session")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data"))


def tiny_overrides(data_path: Path, runs: Path) -> list[str]:
    """--set overrides that make any run tiny: small images and batches, 2 epochs, CPU, runs under `runs`."""
    return [
        f"data.path={data_path}",
        "data.image_column=path",
        "data.label_column=label",
        "data.image_size=32",
        "data.num_workers=0",
        "training.batch_size=8",
        "training.epochs=2",
        "training.device=cpu",
{%- if pretrained %}
        "model.weights=null",  # offline: random initialisation instead of downloading ImageNet weights
{%- endif %}
        f"output.dir={runs}",
    ]


@pytest.fixture
def overrides(data_path: Path, tmp_path: Path) -> list[str]:
{%- if cookiecutter.model.backbone == "xception" %}
    pytest.importorskip("timm", reason="the Xception backbone comes from timm: pip install timm")
{%- endif %}
    return tiny_overrides(data_path, tmp_path / "runs")


@pytest.fixture
def cfg(overrides: list[str]) -> dict:
    return load_config(ROOT / "config.yaml", overrides)


@pytest.fixture(scope="session")
def trained_run(data_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one 1-epoch training run, shared by the tests that only read it."""
{%- if cookiecutter.model.backbone == "xception" %}
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
