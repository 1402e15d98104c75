"""Seeded random answer combinations for the render matrix (valid ones, and the rejected ones)."""

from __future__ import annotations

import random
from typing import Any, get_args

from wizard.answers import TABULAR_TASKS, Answers, DataFacts, leaf_keys, set_dotted, validate_answers
from wizard.errors import AnswersError
from wizard.knowledge import Resolution, resolve

SUPPORTED_TASKS = ("image-classification", "image-multilabel", "tabular-classification", "tabular-regression")
FREE_TEXT = ["Leaf {{ 7*7 }} Disease", "it's \"quoted\" \\ and\nnew line", "叶片病害 ✓", "{% raw %}x",
             'end """docstring\'\'\' here']
NUMBERS: dict[str, list[Any]] = {
    "data.val_fraction": [0.1, 0.2, 0.35],
    "data.image_size": [32, 64, 224],
    "model.unfreeze_epoch": [1, 2, 5],
    "model.head_dropout": [0.0, 0.3, 0.5],
    "regularization.l1": [0.0, 1e-5],
    "regularization.l2": [0.0, 1e-4, 0.01],
    "regularization.dropconnect": [0.0, 0.2],
    "regularization.spatial_dropout": [0.0, 0.1],
    "regularization.early_stopping.patience": [2, 5],
    "regularization.early_stopping.min_delta": [0.0, 0.001],
    "imbalance.focal_gamma": [0.0, 2.0],
    "training.batch_size": [1, 4, 32],
    "training.epochs": [2, 30],
    "training.lr": [1e-4, 3e-4, 0.01],
    "training.seed": [0, 42],
}
HIDDEN_SIZES = [[64], [128, 64], [32, 16, 8]]
# Scanned pixel statistics for a third of the image combinations: a model from scratch is then normalized with
# the dataset's own mean/std (the rest use ImageNet's, as without a scan).
PIXEL_FACTS = [
    DataFacts(num_samples=400, class_counts={"a": 200, "b": 200}, image_side=32, grayscale=True,
              extreme_share=0.8, pixel_mean=[0.13, 0.13, 0.13], pixel_std=[0.3, 0.3, 0.3]),
    DataFacts(num_samples=400, class_counts={"a": 200, "b": 200}, image_side=300, grayscale=False,
              extreme_share=0.05, pixel_mean=[0.45, 0.5, 0.4], pixel_std=[0.22, 0.21, 0.25]),
]
IMAGE_ONLY = {"model.source", "model.backbone", "model.freeze", "model.unfreeze_epoch",
              "model.multiscale_pooling", "regularization.augmentation", "regularization.spatial_dropout",
              "data.layout", "data.exclude", "data.domain", "data.mirror_keeps_label"}
SKIP = {"version", "project.slug", "project.description", "project.author", "data.path", "data.label_columns",
        "data.label_column", "data.image_column"}


def _choices(key: str) -> list[Any]:
    if key in NUMBERS:
        return NUMBERS[key]
    if key == "project.name":
        return FREE_TEXT
    if key == "task":
        return list(SUPPORTED_TASKS)
    if key == "data.exclude":
        return [[], ["train/cat/broken.jpg"], ["train/cat/broken.jpg", "val/stray_class/"]]
    if key == "regularization.augmentation":
        return [[], ["hflip"], ["hflip", "random-resized-crop", "color-jitter", "rotation"], ["vflip", "trivial-augment"],
                ["hflip", "vflip", "rotate90"]]
    if key == "model.hidden_sizes":
        return HIDDEN_SIZES
    section, _, name = key.rpartition(".")
    model: Any = Answers
    for part in filter(None, section.split(".")):
        model = model.model_fields[part].annotation
    annotation = model.model_fields[name].annotation
    if annotation is bool:
        return [False, True]
    values = get_args(annotation)
    flat: list[Any] = []
    for value in values:
        flat.extend(get_args(value) or [value])
    return flat


def random_answers(rng: random.Random) -> dict[str, Any]:
    """A partial answers mapping: a random subset of keys with random allowed values.

    For tabular tasks the image-only keys are mostly left to the recommendations (random image answers would
    reject nearly every tabular combination); the rest are drawn as for images, so invalid ones still occur.
    """
    task = rng.choice(SUPPORTED_TASKS)
    data: dict[str, Any] = {"project": {"name": rng.choice(FREE_TEXT)}}
    for key in leaf_keys():
        if key in SKIP or key == "project.name" or rng.random() < 0.5:
            continue
        if task in TABULAR_TASKS and key in IMAGE_ONLY and rng.random() < 0.9:
            continue
        set_dotted(data, key, rng.choice(_choices(key)))
    data["task"] = task
    return data


def combinations(seed: int, count: int) -> tuple[list[Resolution], list[tuple[dict[str, Any], AnswersError]]]:
    """`count` valid resolved combinations, plus the generated ones the model rejected (with their errors)."""
    rng = random.Random(seed)
    valid: list[Resolution] = []
    rejected: list[tuple[dict[str, Any], AnswersError]] = []
    while len(valid) < count:
        data = random_answers(rng)
        facts = rng.choice(PIXEL_FACTS) if data["task"] not in TABULAR_TASKS and rng.random() < 1 / 3 else None
        try:
            valid.append(resolve(validate_answers(data, partial=True), facts))
        except AnswersError as exc:
            rejected.append((data, exc))
    return valid, rejected
