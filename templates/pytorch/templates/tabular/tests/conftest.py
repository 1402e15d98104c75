"""Shared fixtures: a tiny synthetic table (numbers with gaps, categories, {{ "a numeric target" if f.regression else "a class label" }}) and settings
that train on it in seconds."""

from __future__ import annotations

import csv
import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest
import torch

from {{ c.slug }}.config import load_config
from {{ c.slug }}.engine import fit

ROOT = Path(__file__).resolve().parents[1]
{%- if f.regression %}
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
{%- if f.regression %}
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
