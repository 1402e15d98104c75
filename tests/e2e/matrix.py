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
TIMM_PRETRAINED = ("timm/resnet18.a1_in1k", "timm/efficientnet_b0")
"""Pretrained timm backbones: named weights, and timm's default weights (efficientnet_b0's normalize with 0.5, not
ImageNet's statistics)."""
TIMM_SCRATCH = "timm/convnext_atto"
TIMM_SHARE = 1 / 6
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


def timm_backbone(rng: random.Random, data: dict[str, Any]) -> str | None:
    """A timm backbone to put into an image combination (about one in six), else None: a scratch one where the
    source drawn is scratch, else a pretrained one with or without a tag."""
    if data["task"] in TABULAR_TASKS or rng.random() >= TIMM_SHARE:
        return None
    if data.get("model", {}).get("source") == "scratch":
        return TIMM_SCRATCH
    return rng.choice(TIMM_PRETRAINED)


def combinations(seed: int, count: int) -> tuple[list[Resolution], list[tuple[dict[str, Any], AnswersError]]]:
    """`count` valid resolved combinations, plus the generated ones the model rejected (with their errors).

    timm backbones are drawn from a second generator and only replace the backbone of a valid combination
    when the result is valid too: the first generator's draws, and so every other combination and its index,
    stay what they were before timm names existed (render digests stay comparable)."""
    rng, timm_rng = random.Random(seed), random.Random(f"timm-{seed}")
    valid: list[Resolution] = []
    rejected: list[tuple[dict[str, Any], AnswersError]] = []
    while len(valid) < count:
        data = random_answers(rng)
        facts = rng.choice(PIXEL_FACTS) if data["task"] not in TABULAR_TASKS and rng.random() < 1 / 3 else None
        try:
            resolution = resolve(validate_answers(data, partial=True), facts)
        except AnswersError as exc:
            rejected.append((data, exc))
            continue
        if (backbone := timm_backbone(timm_rng, data)) is not None:
            swapped = {**data, "model": {**data.get("model", {}), "backbone": backbone}}
            try:
                resolution = resolve(validate_answers(swapped, partial=True), facts)
            except AnswersError as exc:
                rejected.append((swapped, exc))
        valid.append(resolution)
    return valid, rejected
