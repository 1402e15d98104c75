"""The words every part of trainwizard shares: tasks, backbones, data-size and imbalance bands, value sources,
and which answers apply when (standard library only, so every layer can import it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# --- tasks -------------------------------------------------------------------------------------------------

IMAGE_CLASSIFICATION = "image-classification"
IMAGE_MULTILABEL = "image-multilabel"
TABULAR_CLASSIFICATION = "tabular-classification"
TABULAR_REGRESSION = "tabular-regression"
TASKS = (IMAGE_CLASSIFICATION, IMAGE_MULTILABEL, TABULAR_CLASSIFICATION, TABULAR_REGRESSION)
IMAGE_TASKS = (IMAGE_CLASSIFICATION, IMAGE_MULTILABEL)
TABULAR_TASKS = (TABULAR_CLASSIFICATION, TABULAR_REGRESSION)
CLASSIFICATION_TASKS = (IMAGE_CLASSIFICATION, IMAGE_MULTILABEL, TABULAR_CLASSIFICATION)
"""Tasks with classes (multi-label: each label is a class of its own)."""
MULTILABEL_TASKS = (IMAGE_MULTILABEL,)
REGRESSION_TASKS = (TABULAR_REGRESSION,)

# --- backbones ---------------------------------------------------------------------------------------------

PRETRAINED_PARAMETER_COUNTS: dict[str, int] = {
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "vgg16_bn": 138_365_992,
    "densenet121": 7_978_856,
    "efficientnet_b0": 5_288_548,
    "convnext_tiny": 28_589_128,
    "xception": 22_855_952,
}
"""Parameter counts with their ImageNet heads (torchvision weights meta "num_params"; timm for xception)."""
PRETRAINED_BACKBONES = tuple(PRETRAINED_PARAMETER_COUNTS)
DEFAULT_PRETRAINED = "resnet50"
"""The pretrained backbone recommended when nothing calls for another (and the answers model's default)."""
HEAVY_BACKBONE = "vgg16_bn"
"""The one pretrained backbone far larger than the others (138M parameters)."""
SIMPLE_CNN = "simple-cnn"
MLP = "mlp"
SCRATCH_BACKBONES = (SIMPLE_CNN, MLP)
BACKBONES = (*PRETRAINED_BACKBONES, *SCRATCH_BACKBONES)
SIMPLE_CNN_PARAMETERS = 389_410
"""The generated scratch CNN: 3x3 convolutions 3->32->64->128->256 with norms (388,896), plus a 257-per-class
head; two classes taken here."""

# --- where a value came from ---------------------------------------------------------------------------------

ANSWER, RECOMMENDED, DEFAULT = "answer", "recommended", "default"
SOURCES = (ANSWER, RECOMMENDED, DEFAULT)
"""Where a resolved value came from: the user's answer, a rule's recommendation, or the model default."""

# --- model choices that other answers depend on ----------------------------------------------------------------

PRETRAINED, SCRATCH = "pretrained", "scratch"
MODEL_SOURCES = (PRETRAINED, SCRATCH)
FREEZES = ("none", "head-only", "early-layers", "gradual")
IMBALANCE_STRATEGIES = ("none", "oversample", "undersample", "class-weights", "focal")
SAMPLING_STRATEGIES = ("oversample", "undersample")
"""Strategies that resample by class (undefined when an item carries several labels)."""

# --- experiment trackers --------------------------------------------------------------------------------------

TRACKERS = ("none", "tensorboard", "mlflow", "wandb")
"""Where a generated project also logs its runs (none: only its own CSV and PNGs)."""

# --- data-size bands -----------------------------------------------------------------------------------------

MIN_PER_CLASS = 10
"""Fewer training samples than this in a class is too few to learn it (data-checks.md §2.9)."""
FEW_PER_CLASS = 100
"""Below this mean per class the data is 'few': freeze the backbone (data-checks.md §2.9)."""
PLENTY_PER_CLASS = 1000
"""From this mean per class on the data is 'plenty'."""
REGRESSION_SCALE = 10
"""Regression has no classes: its bands use the sample count, this many times the per-class thresholds."""
FEW, SOME, PLENTY = "few", "some", "plenty"


def data_band(per_class: float | None, *, regression: bool = False) -> str | None:
    """'few' (< 100 per class), 'some' (100–999) or 'plenty' (≥ 1000); None when the data is unknown.
    For regression `per_class` is the sample count and the thresholds are ten times higher."""
    if per_class is None:
        return None
    scale = REGRESSION_SCALE if regression else 1
    if per_class < FEW_PER_CLASS * scale:
        return FEW
    return SOME if per_class < PLENTY_PER_CLASS * scale else PLENTY


# --- imbalance bands (largest / smallest non-empty class, data-checks.md §2.4) --------------------------------

BALANCED_MAX = 3.0
"""Up to this ratio the classes count as balanced (and accuracy still tells the truth)."""
WEIGHTS_MAX = 10.0
"""Up to this ratio class weights correct the imbalance."""
OVERSAMPLE_MAX = 100.0
"""Up to this ratio oversampling helps; beyond it only more data does."""
# The bands, named after what each calls for.
BALANCED, CLASS_WEIGHTS, OVERSAMPLE, COLLECT_MORE_DATA = "none", "class-weights", "oversample", "collect-more-data"


def imbalance_band(ratio: float | None, smallest: int | None) -> str | None:
    """The strategy band for an imbalance ratio: none (<=3), class-weights (<=10), oversample (<=100),
    collect-more-data (>100, or a class with fewer than 10 samples)."""
    if ratio is None or smallest is None:
        return None
    if ratio > OVERSAMPLE_MAX or smallest < MIN_PER_CLASS:
        return COLLECT_MORE_DATA
    if ratio <= BALANCED_MAX:
        return BALANCED
    return CLASS_WEIGHTS if ratio <= WEIGHTS_MAX else OVERSAMPLE


MONITORS_BY_TASK: dict[str, tuple[str, ...]] = {
    IMAGE_CLASSIFICATION: ("val_loss", "val_accuracy", "val_macro_f1"),
    IMAGE_MULTILABEL: ("val_loss", "val_macro_f1", "val_micro_f1"),
    TABULAR_CLASSIFICATION: ("val_loss", "val_accuracy", "val_macro_f1"),
    TABULAR_REGRESSION: ("val_loss", "val_mae", "val_rmse", "val_r2"),
}
"""The validation metrics each task computes (early stopping can watch only these)."""

# --- what applies when ---------------------------------------------------------------------------------------

CSV_DATA = "data.is_csv"
"""Not an answers key: true when the data is a CSV file (layout csv, or a .csv/.tsv path)."""

APPLIES_WHEN: dict[str, tuple[dict[str, tuple[Any, ...]], ...]] = {
    "data.label_column": ({"task": TABULAR_TASKS}, {CSV_DATA: (True,)}),
    "data.label_columns": ({"task": MULTILABEL_TASKS, CSV_DATA: (True,)},),
    "data.image_column": ({"task": IMAGE_TASKS, CSV_DATA: (True,)},),
    "data.image_size": ({"task": IMAGE_TASKS},),
    "data.domain": ({"task": IMAGE_TASKS},),
    "data.mirror_keeps_label": ({"task": IMAGE_TASKS},),
    "data.exclude": ({"task": IMAGE_TASKS},),
    "model.hidden_sizes": ({"task": TABULAR_TASKS},),
    "model.unfreeze_epoch": ({"model.freeze": ("gradual",)},),
    "model.multiscale_pooling": ({"task": IMAGE_TASKS},),
    "regularization.augmentation": ({"task": IMAGE_TASKS},),
    "regularization.spatial_dropout": ({"model.backbone": (SIMPLE_CNN,)},),
    "regularization.early_stopping.patience": ({"regularization.early_stopping.enabled": (True,)},),
    "regularization.early_stopping.monitor": ({"regularization.early_stopping.enabled": (True,)},),
    "regularization.early_stopping.min_delta": ({"regularization.early_stopping.enabled": (True,)},),
    "imbalance.strategy": ({"task": CLASSIFICATION_TASKS},),
    "imbalance.focal_gamma": ({"imbalance.strategy": ("focal",)},),
}
"""Which answers keys matter given the others: a key applies when any one of its conditions holds, and a
condition holds when each key it names has one of the listed values. Keys not listed always apply."""


def is_csv_data(layout: Any, path: Any) -> bool:
    """True when the data is a CSV file: layout csv, or a path ending in .csv/.tsv."""
    return layout == "csv" or str(path or "").lower().endswith((".csv", ".tsv"))


def applies(key: str, values: Mapping[str, Any]) -> bool:
    """Whether `key` matters given the other answers (`values`: dotted key -> value); True when a value the
    table needs is missing."""
    conditions = APPLIES_WHEN.get(key)
    if conditions is None:
        return True
    facts = {**values, CSV_DATA: is_csv_data(values.get("data.layout"), values.get("data.path"))}
    try:
        return any(all(facts[name] in allowed for name, allowed in condition.items()) for condition in conditions)
    except KeyError:
        return True
