"""Rules for the overfitting defenses: augmentation, L1/L2, DropConnect, SpatialDropout, early stopping."""

from __future__ import annotations

import math
from typing import Any

from wizard.knowledge.rules_training import (
    EPOCHS,
    TABLE_PATIENCE_MAX,
    TABLE_PATIENCE_MIN,
    TABLE_PATIENCE_STEPS,
    table_steps_per_epoch,
)
from wizard.knowledge.situation import OPTIMIZER_NAMES, Advice, Note, Rule, Situation
from wizard.vocabulary import BALANCED_MAX, FEW, PLENTY, SIMPLE_CNN, SOME

IMAGE_AUGMENTATION = ["hflip", "random-resized-crop", "color-jitter", "rotation"]
ORIENTATION_FREE = ("aerial", "microscopy")  # no up and down: any flip or quarter turn is a valid sample
# What keeps the label, per image domain (multi-label drops random crops: one could cut a labelled object
# out of the frame; flips go when a mirror image changes the label).
DOMAIN_AUGMENTATION: dict[str, list[str]] = {
    "natural": IMAGE_AUGMENTATION,
    "other": IMAGE_AUGMENTATION,
    "drawings": ["hflip", "random-resized-crop", "rotation"],
    "documents": ["rotation"],
    "medical": ["hflip", "random-resized-crop", "rotation"],
    "aerial": ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"],
    "microscopy": ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"],
}
MIRRORS = {"hflip", "vflip"}
L1_HIGH = 1e-3
WEIGHT_DECAY = {"sgd": 5e-4, "adam": 1e-4, "adamw": 0.01}
WEIGHT_DECAY_HIGH = {"sgd": 5e-3, "adam": 5e-3, "adamw": 0.2}
SPATIAL_DROPOUT = 0.1
SPATIAL_DROPOUT_HIGH = 0.3
DROPCONNECT_HIGH = 0.5
IMBALANCE_ACCURACY_LIMIT = BALANCED_MAX  # above this ratio accuracy hides the rare classes
PATIENCE_MIN, PATIENCE_MAX = 3, 10


def augmentation(s: Situation) -> Advice:
    if s.tabular:
        return Advice([], "augmentation.tabular")
    image_domain, mirror = s.get("data.domain"), s.get("data.mirror_keeps_label")
    values = [a for a in DOMAIN_AUGMENTATION[image_domain] if mirror or a not in MIRRORS]
    if s.multilabel:
        values = [a for a in values if a != "random-resized-crop"]
    if image_domain in ("documents", "medical", "aerial", "microscopy", "drawings"):
        key = f"augmentation.{image_domain}"
    elif not mirror:
        key = "augmentation.no_mirror"
    elif s.multilabel:
        key = "augmentation.multilabel"
    else:
        key = "augmentation.small" if s.data_band in (FEW, SOME) else "augmentation.images"
    if image_domain in ("medical", "aerial", "microscopy") and not mirror:
        key += "_no_mirror"
    return Advice(values, key, s.data_fields())


def check_augmentation(s: Situation, value: Any) -> list[Note]:
    if s.tabular:
        return []
    notes: list[Note] = []
    orientation_free = s.get("data.domain") in ORIENTATION_FREE
    if not s.get("data.mirror_keeps_label") and MIRRORS & set(value):
        notes.append(Note("flip_changes_label", {"flips": ", ".join(a for a in value if a in MIRRORS)}))
    elif "vflip" in value and not orientation_free:
        notes.append(Note("vflip"))
    if "rotate90" in value and not orientation_free:
        notes.append(Note("rotate90_upright"))
    if not value and s.data_band in (FEW, SOME):
        notes.append(Note("augmentation_none_small", s.data_fields()))
    if "trivial-augment" in value and {"color-jitter", "rotation"} & set(value):
        notes.append(Note("augmentation_stacked"))
    if s.multilabel and "random-resized-crop" in value:
        notes.append(Note("crop_multilabel"))
    return notes


def l1(s: Situation) -> Advice:
    return Advice(0.0, "l1.tabular" if s.tabular else "l1.images")


def check_l1(s: Situation, value: Any) -> list[Note]:
    return [Note("l1_high", {"value": value, "limit": L1_HIGH})] if value > L1_HIGH else []


def l2(s: Situation) -> Advice:
    optimizer = s.get("training.optimizer")
    value = WEIGHT_DECAY[optimizer]
    return Advice(value, f"l2.{optimizer}", {"optimizer": OPTIMIZER_NAMES[optimizer], "value": value})


def check_l2(s: Situation, value: Any) -> list[Note]:
    optimizer = s.get("training.optimizer")
    if value == 0 and s.data_band in (FEW, SOME):
        return [Note("l2_zero_small", s.data_fields())]
    if value > WEIGHT_DECAY_HIGH[optimizer]:
        limit = WEIGHT_DECAY_HIGH[optimizer]
        return [Note("l2_high", {"value": value, "optimizer": OPTIMIZER_NAMES[optimizer], "limit": limit})]
    return []


def dropconnect(s: Situation) -> Advice:
    return Advice(0.0, "dropconnect.tabular" if s.tabular else "dropconnect.default")


def check_dropconnect(s: Situation, value: Any) -> list[Note]:
    notes: list[Note] = []
    head_dropout = s.get("model.head_dropout")
    if value > 0 and head_dropout > 0:
        notes.append(Note("dropconnect_with_dropout", {"value": value, "dropout": head_dropout}))
    if value >= DROPCONNECT_HIGH:
        notes.append(Note("dropconnect_high", {"value": value}))
    return notes


def spatial_dropout(s: Situation) -> Advice | None:
    if s.backbone != SIMPLE_CNN:
        return None
    if s.data_band == PLENTY:
        return Advice(0.0, "spatial_dropout.plenty", s.data_fields())
    return Advice(SPATIAL_DROPOUT, "spatial_dropout.small", {"value": SPATIAL_DROPOUT})


def check_spatial_dropout(s: Situation, value: Any) -> list[Note]:
    if value > SPATIAL_DROPOUT_HIGH:
        return [Note("spatial_dropout_high", {"value": value, "limit": SPATIAL_DROPOUT_HIGH})]
    return []


def early_stopping(s: Situation) -> Advice:
    return Advice(True, "early_stopping.enabled")


def check_early_stopping(s: Situation, value: Any) -> list[Note]:
    if not value and s.data_band in (FEW, SOME):
        return [Note("early_stopping_off_small", s.data_fields())]
    return []


def patience(s: Situation) -> Advice | None:
    if not s.get("regularization.early_stopping.enabled"):
        return None
    epochs = s.get("training.epochs")
    steps = table_steps_per_epoch(s)
    if steps is not None and epochs > EPOCHS:
        value = min(max(math.ceil(TABLE_PATIENCE_STEPS / steps), TABLE_PATIENCE_MIN), TABLE_PATIENCE_MAX)
        if value < epochs:
            return Advice(value, "patience.table_steps", {"value": value, "steps": steps, "total": value * steps})
    value = min(max(epochs // 6, PATIENCE_MIN), PATIENCE_MAX)
    if value >= epochs:
        value = max(epochs - 1, 1)
    return Advice(value, "patience.default", {"epochs": epochs, "value": value})


def check_patience(s: Situation, value: Any) -> list[Note]:
    epochs = s.get("training.epochs")
    if s.get("regularization.early_stopping.enabled") and value >= epochs > 1:
        return [Note("patience_ge_epochs", {"value": value, "epochs": epochs})]
    return []


def monitor(s: Situation) -> Advice:
    if s.regression:
        return Advice("val_loss", "monitor.regression")
    if s.multilabel:
        return Advice("val_macro_f1", "monitor.multilabel")
    return Advice("val_macro_f1", "monitor.classification")


def check_monitor(s: Situation, value: Any) -> list[Note]:
    ratio = s.imbalance_ratio
    if value == "val_accuracy" and ratio is not None and ratio > IMBALANCE_ACCURACY_LIMIT:
        return [Note("monitor_accuracy_imbalanced", s.data_fields())]
    return []


RULES = [
    Rule("regularization.augmentation", "augmentation", augmentation, check_augmentation),
    Rule("regularization.l1", "l1-l2", l1, check_l1),
    Rule("regularization.l2", "l1-l2", l2, check_l2),
    Rule("regularization.dropconnect", "dropconnect", dropconnect, check_dropconnect),
    Rule("regularization.spatial_dropout", "spatial-dropout", spatial_dropout, check_spatial_dropout),
    Rule("regularization.early_stopping.enabled", "early-stopping", early_stopping, check_early_stopping),
    Rule("regularization.early_stopping.patience", "early-stopping", patience, check_patience),
    Rule("regularization.early_stopping.monitor", "metrics", monitor, check_monitor),
]
