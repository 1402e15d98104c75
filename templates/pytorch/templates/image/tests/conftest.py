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


{% if f.multilabel -%}
# each image carries a random set of labels; its colour mixes the colours of its labels
LABEL_SETS = ((), ("cat",), ("dog",), ("fox",), ("cat", "dog"), ("dog", "fox"), ("cat", "fox"), ("cat", "dog", "fox"))


def draw(path: Path, labels: tuple[str, ...], rng: random.Random, size: int = 24) -> None:
    """A noisy image whose red, green and blue channels say which labels it carries (cat, dog, fox)."""
    base = tuple(200 if name in labels else 30 for name in CLASSES)
{%- else -%}
def draw(path: Path, label: str, rng: random.Random, size: int = 24) -> None:
    """A noisy image in the class colour: easy to learn, so a short training run shows real progress."""
    base = COLOURS[label]
{%- endif %}
    pixels = [tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in base) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_dataset(root: Path, per_class: int = 8, val_per_class: int = 3, seed: int = 0) -> Path:
{%- if f.multilabel %}
    """root/images/*.png and root/labels.csv (path, tags separated by "|", split); returns the CSV's path.

    Every label set appears `per_class` times in training and `val_per_class` times in validation.
    """
    rng = random.Random(seed)
    rows = []
    for number, labels in enumerate(LABEL_SETS):
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                name = f"images/set{number}_{split}_{i}.png"
                draw(root / name, labels, rng)
                rows.append({"path": name, "tags": "|".join(labels), "split": split})
    manifest = root / "labels.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["path", "tags", "split"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest
{%- elif not f.folders %}
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
