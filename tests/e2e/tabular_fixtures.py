"""Synthetic data for the multi-label and tabular end-to-end tests, and rendering a project through the CLI."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from tests.e2e.conftest import REPO, Project

LABELS = ("cat", "dog", "fox")  # multi-label: each colour channel says whether one label is present
LABEL_SETS = ((), ("cat",), ("dog",), ("fox",), ("cat", "dog"), ("dog", "fox"), ("cat", "fox"), ("cat", "dog", "fox"))
COLOURS = ("red", "green", "blue")  # tabular: the categorical column that decides the class
SPECIES = ("cat", "dog", "fox")


def draw_labels(path: Path, labels: tuple[str, ...], rng: random.Random, size: int = 24) -> None:
    """A noisy image whose red, green and blue channels are bright for cat, dog and fox."""
    base = [200 if name in labels else 30 for name in LABELS]
    pixels = [tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in base) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_multilabel_manifest(root: Path, per_set: int = 5, separator: str = ";") -> Path:
    """root/pics/*.png listed in root/tags.csv (columns file, tags; labels joined by `separator`; no split
    column, so validation is held out). Returns the CSV's path."""
    rng = random.Random(9)
    rows = []
    for number, labels in enumerate(LABEL_SETS):
        for i in range(per_set):
            name = f"pics/set{number}_{i}.png"
            draw_labels(root / name, labels, rng)
            rows.append({"file": name, "tags": separator.join(labels)})
    rng.shuffle(rows)
    manifest = root / "tags.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "tags"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def table_row(index: int, rng: random.Random, regression: bool) -> dict[str, str]:
    """Numbers (with gaps), a category that matters and one with many values; the target follows from them."""
    weight, height, colour = rng.uniform(0, 10), rng.uniform(0, 10), COLOURS[index % 3]
    row = {"weight": "" if index % 9 == 0 else f"{weight:.3f}", "height": f"{height:.3f}", "colour": colour,
           "shop": f"shop{index % 25}"}
    if regression:
        row["price"] = f"{3 * weight - 2 * height + 6 * COLOURS.index(colour) + rng.gauss(0, 0.2):.3f}"
    else:
        row["species"] = SPECIES[COLOURS.index(colour)]
    return row


def make_table(path: Path, rows: int = 120, regression: bool = False) -> Path:
    """A CSV table with a header and no split column (validation is held out)."""
    rng = random.Random(11)
    table = [table_row(i, rng, regression) for i in range(rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def render_cli(env: dict[str, str], answers: dict[str, Any], folder: Path, dest: Path) -> Project:
    """`trainwizard new DEST --answers FILE --no-input`, the answers file written into `folder` (data paths in
    the answers are relative to it)."""
    answers_file = folder / "answers.yml"
    answers_file.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "new", str(dest), "--answers", str(answers_file), "--no-input"],
        check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Project(dest, env, pretrained=answers.get("model", {}).get("source") == "pretrained")
