{%- if cookiecutter.task in ["tabular-classification", "tabular-regression"] -%}
{%- set regression = cookiecutter.task == "tabular-regression" -%}
"""Shared fixtures: a tiny synthetic table (numbers with gaps, categories, {% if regression %}a numeric target{% else %}a class label{% endif %}) and settings
that train on it in seconds."""

from __future__ import annotations

import csv
import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest
import torch

from {{ cookiecutter.slug }}.config import load_config
from {{ cookiecutter.slug }}.engine import fit

ROOT = Path(__file__).resolve().parents[1]
{%- if regression %}
TARGET = "price"
{%- else %}
TARGET = "species"
CLASSES = ("cat", "dog", "fox")
{%- endif %}
COLOURS = ("red", "green", "blue")
FEATURES = ("weight", "height", "colour", "shop")  # shop has 20 categories: more than max_one_hot, so embedded

torch.set_num_threads(1)  # tiny models: more threads only add overhead and contention on shared machines


def make_row(index: int, rng: random.Random) -> dict[str, str]:
    """A row whose target follows from its features, so a short training run shows real progress."""
    weight, height, colour = rng.uniform(0, 10), rng.uniform(0, 10), COLOURS[index % 3]
{%- if regression %}
    target = f"{3 * weight - 2 * height + 5 * COLOURS.index(colour) + rng.gauss(0, 0.1):.3f}"
{%- else %}
    target = CLASSES[COLOURS.index(colour)]
{%- endif %}
    return {
        "weight": "" if index % 7 == 0 else f"{weight:.3f}",  # some gaps: filled with the training median
        "height": f"{height:.3f}",
        "colour": colour,
        "shop": f"s{index % 20}",
        TARGET: target,
    }


def make_dataset(root: Path, rows: int = 48, val_rows: int = 12, seed: int = 0) -> Path:
    """root/table.csv: the features, the target and a split column; returns the file's path."""
    rng = random.Random(seed)
    table = [{**make_row(i, rng), "split": "train" if i < rows else "val"} for i in range(rows + val_rows)]
    path = root / "table.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*FEATURES, TARGET, "split"])
        writer.writeheader()
        writer.writerows(table)
    return path


@pytest.fixture(scope="session")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data"))


def tiny_overrides(data_path: Path, runs: Path) -> list[str]:
    """--set overrides that make any run tiny: small hidden layers and batches, 2 epochs, CPU, runs under `runs`."""
    return [
        f"data.path={data_path}",
        f"data.label_column={TARGET}",
        "model.hidden_sizes=32,16",
        "training.batch_size=16",
        "training.epochs=2",
        "training.device=cpu",
        f"output.dir={runs}",
    ]


@pytest.fixture
def overrides(data_path: Path, tmp_path: Path) -> list[str]:
    return tiny_overrides(data_path, tmp_path / "runs")


@pytest.fixture
def cfg(overrides: list[str]) -> dict:
    return load_config(ROOT / "config.yaml", overrides)


@pytest.fixture(scope="session")
def trained_run(data_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one 1-epoch training run, shared by the tests that only read it."""
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
{%- else -%}
{%- set multilabel = cookiecutter.task == "image-multilabel" -%}
{%- set csv_layout = cookiecutter.data.layout == "csv" or multilabel -%}
{%- set pretrained = cookiecutter.model.source == "pretrained" -%}
{%- if multilabel -%}
"""Shared fixtures: tiny synthetic data (a CSV manifest, several labels per image) and settings that train on it
in seconds."""
{%- else -%}
"""Shared fixtures: tiny synthetic data ({% if csv_layout %}a CSV manifest{% else %}class folders{% endif %}) and settings that train on it in seconds."""
{%- endif %}

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
{%- if not multilabel %}
COLOURS = {"cat": (200, 40, 40), "dog": (40, 200, 40), "fox": (40, 40, 200)}
{%- endif %}

torch.set_num_threads(1)  # tiny models: more threads only add overhead and contention on shared machines


{% if multilabel -%}
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
{%- if multilabel %}
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
{%- elif csv_layout %}
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
        "data.label_column={{ "tags" if multilabel else "label" }}",
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
{%- endif %}
