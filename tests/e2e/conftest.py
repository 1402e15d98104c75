"""End-to-end fixtures: synthetic image data, projects rendered through `trainwizard new`, and a runner for
the generated project's scripts (each in its own process, as a user runs them)."""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
# The generated tests that train once per tracker: test_trackers.py runs them in an image and a tabular project,
# and the other projects' own test suites leave them out (--ignore), to keep CI short.
TRACKING_TESTS = "tests/test_tracking.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is end to end: `pytest -m "not e2e"` leaves them all out."""
    for item in items:
        if E2E_DIR in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)
CLASSES = ("cat", "dog", "fox")
COLOURS = {"cat": (200, 40, 40), "dog": (40, 200, 40), "fox": (40, 40, 200)}

SCRATCH = {"source": "scratch", "backbone": "simple-cnn", "freeze": "none"}
TINY = {"data": {"image_size": 32}, "training": {"batch_size": 8, "epochs": 2}}
CSV_COLUMNS = {"layout": "csv", "image_column": "file", "label_column": "species"}

# name: (dataset, answers). Together: scratch with every normalization, pretrained resnet18 with every freeze
# mode, class folders with a val/ split and without one, and a CSV manifest.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "scratch-batchnorm": ("split", {"model": SCRATCH, "normalization": "batchnorm"}),
    "scratch-groupnorm": ("single", {"model": SCRATCH, "normalization": "groupnorm"}),
    "scratch-instancenorm": ("csv", {"model": SCRATCH, "normalization": "instancenorm", "data": CSV_COLUMNS}),
    "scratch-layernorm": ("split", {"model": SCRATCH, "normalization": "layernorm"}),
    "scratch-none": ("single", {"model": SCRATCH, "normalization": "none"}),
    "resnet18-none": ("split", {"model": {"source": "pretrained", "backbone": "resnet18", "freeze": "none"},
                                "normalization": "batchnorm"}),
    "resnet18-head-only": ("split", {"model": {"source": "pretrained", "backbone": "resnet18", "freeze": "head-only"},
                                     "normalization": "batchnorm"}),
    "resnet18-early-layers": ("csv", {"model": {"source": "pretrained", "backbone": "resnet18",
                                                "freeze": "early-layers"},
                                      "normalization": "frozen-batchnorm", "data": CSV_COLUMNS}),
    "resnet18-gradual": ("single", {"model": {"source": "pretrained", "backbone": "resnet18", "freeze": "gradual",
                                              "unfreeze_epoch": 2},
                                    "normalization": "batchnorm"}),
}


def draw(path: Path, label: str, rng: random.Random, size: int = 24) -> None:
    """A noisy image in the class colour (easy to learn, so two epochs show real progress)."""
    pixels = [tuple(max(0, min(255, c + rng.randint(-50, 50))) for c in COLOURS[label]) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_split_folders(root: Path, train: int = 8, val: int = 3) -> Path:
    """root/train/<class>/*.png and root/val/<class>/*.png (plus a hidden folder that must be skipped)."""
    rng = random.Random(1)
    for label in CLASSES:
        for split, count in (("train", train), ("val", val)):
            for i in range(count):
                draw(root / split / label / f"{label}{i}.png", label, rng)
    draw(root / "train" / ".ipynb_checkpoints" / "stray.png", "cat", rng)
    return root


def make_single_folder(root: Path, per_class: int = 11) -> Path:
    """root/<class>/*.png: no split of its own, so val_fraction holds some out."""
    rng = random.Random(2)
    for label in CLASSES:
        for i in range(per_class):
            draw(root / label / f"{label}{i}.png", label, rng)
    return root


def make_manifest(root: Path, per_class: int = 11) -> Path:
    """root/pics/*.png listed in root/manifest.csv (columns file, species; no split column)."""
    rng = random.Random(3)
    rows = []
    for label in CLASSES:
        for i in range(per_class):
            name = f"pics/{label}_{i}.png"
            draw(root / name, label, rng)
            rows.append({"file": name, "species": label})
    rng.shuffle(rows)
    with (root / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "species"])
        writer.writeheader()
        writer.writerows(rows)
    return root / "manifest.csv"


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@dataclass
class Project:
    """A rendered project and a way to run its scripts."""

    path: Path
    env: dict[str, str]
    pretrained: bool

    def run(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        """`python <args>` in the project folder, e.g. run("scripts/train.py", "--set", "training.epochs=1")."""
        return subprocess.run([sys.executable, *args], check=False, cwd=self.path, env=self.env, capture_output=True, text=True,
                              timeout=timeout)


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment with its own HOME and TORCH_HOME, one thread per process (tiny models), CPU only."""
    home = tmp_path_factory.mktemp("e2e-home")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"), "TORCH_HOME": str(home / "torch"),
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": "", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)  # the generated project needs nothing from this repository
    return env


@pytest.fixture(scope="session")
def planted_weights(e2e_env: dict[str, str]) -> Path:
    """'Pretrained' resnet18 weights in TORCH_HOME under the file name torchvision downloads (offline tests)."""
    code = (
        "import os, pathlib, torch, torchvision\n"
        "weights = torchvision.models.ResNet18_Weights.DEFAULT\n"
        "path = pathlib.Path(os.environ['TORCH_HOME'], 'hub', 'checkpoints', weights.url.rsplit('/', 1)[1])\n"
        "path.parent.mkdir(parents=True, exist_ok=True)\n"
        "torch.manual_seed(0)\n"
        "torch.save(torchvision.models.resnet18().state_dict(), path)\n"
        "print(path)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, env=e2e_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip())


@pytest.fixture(scope="session")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding every synthetic dataset: split/ (train+val), single/ (classes only), csv/manifest.csv."""
    root = tmp_path_factory.mktemp("e2e-data")
    make_split_folders(root / "split")
    make_single_folder(root / "single")
    make_manifest(root / "csv")
    return root


DATA_PATHS = {"split": "split", "single": "single", "csv": "csv/manifest.csv"}


@pytest.fixture(scope="session")
def render_project(tmp_path_factory: pytest.TempPathFactory, e2e_env: dict[str, str], datasets: Path,
                   request: pytest.FixtureRequest):
    """render_project(name, dataset, answers) -> Project, rendered once per session through the CLI."""
    root = tmp_path_factory.mktemp("e2e-projects")
    cache: dict[str, Project] = {}

    def render(name: str, dataset: str, answers: dict[str, Any]) -> Project:
        if name in cache:
            return cache[name]
        full = merge({"version": 1, "project": {"name": f"E2E {name}"}, "data": {"path": DATA_PATHS[dataset]}},
                     answers)
        pretrained = full.get("model", {}).get("source", "pretrained") == "pretrained"
        if pretrained:
            request.getfixturevalue("planted_weights")
        answers_file = datasets / f"{name}.yml"  # data.path is relative to the answers file
        answers_file.write_text(yaml.safe_dump(full, sort_keys=False), encoding="utf-8")
        dest = root / name
        proc = subprocess.run(
            [sys.executable, "-m", "wizard", "new", str(dest), "--answers", str(answers_file), "--no-input"],
            check=False, cwd=REPO, env=e2e_env, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        cache[name] = Project(dest, e2e_env, pretrained)
        return cache[name]

    return render


@pytest.fixture(scope="session")
def variant(render_project):
    """variant(name) -> Project for one of VARIANTS, with tiny images and batches and two epochs."""
    return lambda name: render_project(name, VARIANTS[name][0], merge(TINY, VARIANTS[name][1]))


def sample_images(datasets: Path, dataset: str) -> list[Path]:
    """One image of each class from a dataset, to predict."""
    folder = datasets / DATA_PATHS[dataset]
    folder = folder.parent / "pics" if folder.suffix == ".csv" else folder
    images = sorted(p for p in folder.rglob("*.png") if ".ipynb_checkpoints" not in p.parts)
    return [next(p for p in images if label in p.name) for label in CLASSES]
