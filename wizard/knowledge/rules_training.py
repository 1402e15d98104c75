"""Rules for training and class imbalance: batch size, epochs, optimizer, learning rate, schedule, tracker."""

from __future__ import annotations

import math
from typing import Any

from wizard.knowledge.situation import OPTIMIZER_NAMES, Advice, Note, Rule, Situation, _ratio
from wizard.vocabulary import BALANCED_MAX, MIN_PER_CLASS, MLP, OVERSAMPLE_MAX, WEIGHTS_MAX

STEPS_PER_EPOCH_MIN = 4  # a batch larger than a quarter of the data leaves too few updates per epoch
SGD_MIN_BATCH = 128  # from here on SGD + momentum with the linear-scaling rule is the proven recipe
EPOCHS = 30
EPOCHS_FEW = 5
EPOCHS_MANY = 100
SCHEDULER_NONE_EPOCHS = 20
# A small table gives a few optimizer steps per epoch, so its budget is counted in steps: about 1,500 updates
# in all (30–300 epochs), and patience of about 100 updates (5–20 epochs). Measured on scikit-learn's
# breast_cancer, wine and diabetes (scripts/field_sklearn.py): 30 epochs stopped the MLP short of a linear model.
TABLE_STEPS, TABLE_EPOCHS_MAX = 1500, 300
TABLE_PATIENCE_STEPS, TABLE_PATIENCE_MIN, TABLE_PATIENCE_MAX = 100, 5, 20
# One narrow hidden layer on a small table trains well at a larger step than a deep network.
SMALL_MLP_LR, SMALL_MLP_WIDTH, SMALL_MLP_LR_HIGH = 1e-2, 64, 3e-2
ADAM_LR = {"head": 1e-3, "finetune": 3e-4, "scratch": 1e-3}
ADAM_LR_HIGH = {"finetune": 1e-3, "other": 3e-3}
ADAM_LR_LOW = 1e-6
SGD_LR_LOW, SGD_LR_HIGH = 1e-3, 0.5
UNDERSAMPLE_MIN_MAJORITY = 50_000
FOCAL_GAMMA = 2.0
FOCAL_GAMMA_HIGH = 5.0


def batch_size(s: Situation) -> Advice:
    base = 64 if s.tabular else 32
    n = s.num_samples
    if n is not None and n < STEPS_PER_EPOCH_MIN * base:
        value = 1
        while value * 2 <= n // STEPS_PER_EPOCH_MIN:
            value *= 2
        return Advice(value, "batch.small_data", {**s.data_fields(), "value": value})
    return Advice(base, "batch.tabular" if s.tabular else "batch.images", {"value": base})


def check_batch_size(s: Situation, value: Any) -> list[Note]:
    n = s.num_samples
    if n is not None and value > n:
        return [Note("batch_gt_data", {**s.data_fields(), "value": value})]
    return []


def table_steps_per_epoch(s: Situation) -> int | None:
    """Optimizer steps in one epoch of a table's training rows; None for images or when the data is unknown."""
    n = s.num_samples
    if not s.tabular or n is None:
        return None
    return math.ceil(n / s.batch_size)


def epochs(s: Situation) -> Advice:
    steps = table_steps_per_epoch(s)
    if steps is not None:
        value = min(max(math.ceil(TABLE_STEPS / steps), EPOCHS), TABLE_EPOCHS_MAX)
        if value > EPOCHS:
            return Advice(value, "epochs.table_steps",
                          {**s.data_fields(), "value": value, "steps": steps, "total": f"{value * steps:,}"})
    return Advice(EPOCHS, "epochs.default", {"value": EPOCHS})


def check_epochs(s: Situation, value: Any) -> list[Note]:
    if value < EPOCHS_FEW:
        return [Note("epochs_few", {"value": value})]
    if value >= EPOCHS_MANY and not s.get("regularization.early_stopping.enabled"):
        return [Note("epochs_many_no_early_stopping", {"value": value})]
    return []


def optimizer(s: Situation) -> Advice:
    if s.tabular:
        return Advice("adamw", "optimizer.tabular")
    if s.pretrained:
        return Advice("adamw", "optimizer.finetune")
    if s.batch_size >= SGD_MIN_BATCH:
        return Advice("sgd", "optimizer.sgd_large_batch", {"batch": s.batch_size})
    return Advice("adamw", "optimizer.scratch", {"batch": s.batch_size})


def _fine_tuning(s: Situation) -> bool:
    """Pretrained weights that will actually change (not a frozen backbone with a new head)."""
    return s.pretrained and s.get("model.freeze") != "head-only"


def _small_mlp(s: Situation) -> bool:
    """One narrow hidden layer on a table: a model small enough for a larger Adam step."""
    sizes = s.get("model.hidden_sizes") if s.tabular else None
    return bool(sizes) and len(sizes) == 1 and sizes[0] <= SMALL_MLP_WIDTH


def lr(s: Situation) -> Advice:
    opt, batch = s.get("training.optimizer"), s.batch_size
    if opt in ("adam", "adamw") and _small_mlp(s) and s.get("model.backbone") == MLP:
        return Advice(SMALL_MLP_LR, "lr.adam_small_mlp",
                      {"optimizer": OPTIMIZER_NAMES[opt], "value": SMALL_MLP_LR,
                       "width": s.get("model.hidden_sizes")[0]})
    if opt == "sgd":
        base, low, high = (0.01, 1e-3, 0.01) if _fine_tuning(s) else (0.1, 0.01, 0.1)
        value = float(f"{min(max(base * batch / 256, low), high):.3g}")
        kind = "finetune" if _fine_tuning(s) else "scratch"
        return Advice(value, f"lr.sgd_{kind}", {"batch": batch, "value": value, "base": base})
    kind = "finetune" if _fine_tuning(s) else "head" if s.pretrained else "scratch"
    value = ADAM_LR[kind]
    return Advice(value, f"lr.adam_{kind}", {"optimizer": OPTIMIZER_NAMES[opt], "value": value})


def check_lr(s: Situation, value: Any) -> list[Note]:
    opt = s.get("training.optimizer")
    if opt == "sgd":
        if value > SGD_LR_HIGH:
            return [Note("lr_sgd_high", {"value": value, "limit": SGD_LR_HIGH})]
        if value < SGD_LR_LOW:
            return [Note("lr_sgd_low", {"value": value, "limit": SGD_LR_LOW})]
        return []
    limit = SMALL_MLP_LR_HIGH if _small_mlp(s) else ADAM_LR_HIGH["finetune" if _fine_tuning(s) else "other"]
    if value > limit:
        key = "lr_adam_high_finetune" if _fine_tuning(s) else "lr_adam_high"
        return [Note(key, {"value": value, "limit": limit, "optimizer": OPTIMIZER_NAMES[opt]})]
    if value < ADAM_LR_LOW:
        return [Note("lr_adam_low", {"value": value, "optimizer": OPTIMIZER_NAMES[opt]})]
    return []


def scheduler(s: Situation) -> Advice:
    return Advice("cosine", "scheduler.default")


def check_scheduler(s: Situation, value: Any) -> list[Note]:
    if value == "onecycle" and s.get("regularization.early_stopping.enabled"):
        return [Note("onecycle_early_stopping")]
    epochs = s.get("training.epochs")
    if value == "none" and epochs > SCHEDULER_NONE_EPOCHS:
        return [Note("scheduler_none", {"epochs": epochs})]
    return []


def tracker(s: Situation) -> Advice:
    return Advice("none", "tracker.default")


def imbalance(s: Situation) -> Advice:
    if s.regression:
        return Advice("none", "imbalance.regression")
    if s.multilabel:
        return _multilabel_imbalance(s)
    ratio = s.imbalance_ratio
    fields = s.data_fields()
    if ratio is None:
        return Advice("class-weights", "imbalance.unknown")
    smallest = s.smallest_class
    assert smallest is not None
    if ratio > OVERSAMPLE_MAX or smallest[1] < MIN_PER_CLASS:
        return Advice("oversample", "imbalance.extreme", fields, notes=(Note("imbalance_collect_more", fields),))
    if ratio > WEIGHTS_MAX:
        return Advice("oversample", "imbalance.large", fields)
    if ratio > BALANCED_MAX:
        return Advice("class-weights", "imbalance.moderate", fields)
    return Advice("none", "imbalance.balanced", fields)


def _rarest_label(s: Situation) -> tuple[dict[str, Any], float] | None:
    """Multi-label: the label on the fewest training images, and its negatives/positives ratio.

    Each label is its own yes/no problem, so its imbalance is negatives vs positives (what BCEWithLogitsLoss's
    pos_weight corrects), not how it compares with the other labels.
    """
    smallest, n = s.smallest_class, s.num_samples
    if smallest is None or n is None:
        return None
    name, positives = smallest
    ratio = (n - positives) / positives if positives else float("inf")
    fields = {"smallest": name, "smallest_n": f"{positives:,}", "n": f"{n:,}", "ratio": _ratio(ratio)}
    return fields, ratio


def _multilabel_imbalance(s: Situation) -> Advice:
    found = _rarest_label(s)
    if found is None:
        return Advice("class-weights", "imbalance.unknown_multilabel")
    fields, ratio = found
    smallest = s.smallest_class
    assert smallest is not None
    notes = (Note("label_collect_more", fields),) if smallest[1] < MIN_PER_CLASS else ()
    if ratio > BALANCED_MAX:
        return Advice("class-weights", "imbalance.large_multilabel", fields, notes=notes)
    return Advice("none", "imbalance.balanced_multilabel", fields, notes=notes)


def check_imbalance(s: Situation, value: Any) -> list[Note]:
    if s.multilabel:
        found = _rarest_label(s)
        if found is not None and value == "none" and found[1] > BALANCED_MAX:
            return [Note("imbalance_none_multilabel", found[0])]
        return []
    ratio = s.imbalance_ratio
    if ratio is None or s.regression:
        return []
    fields = s.data_fields()
    if value == "none" and ratio > BALANCED_MAX:
        return [Note("imbalance_none", fields)]
    largest, smallest = s.largest_class, s.smallest_class
    assert largest is not None and smallest is not None
    if value == "undersample" and largest[1] < UNDERSAMPLE_MIN_MAJORITY:
        kept = smallest[1] * len(s.class_counts)
        total = sum(s.class_counts.values())
        return [Note("undersample_small", {**fields, "kept": f"{kept:,}", "total": f"{total:,}"})]
    if value in ("oversample", "undersample") and ratio <= BALANCED_MAX:
        return [Note("sampling_balanced", {**fields, "value": value})]
    return []


def focal_gamma(s: Situation) -> Advice | None:
    if s.get("imbalance.strategy") != "focal":
        return None
    return Advice(FOCAL_GAMMA, "focal.default", {"value": FOCAL_GAMMA})


def check_focal_gamma(s: Situation, value: Any) -> list[Note]:
    if s.get("imbalance.strategy") != "focal":
        return []
    if value == 0:
        return [Note("focal_zero")]
    if value > FOCAL_GAMMA_HIGH:
        return [Note("focal_high", {"value": value, "limit": FOCAL_GAMMA_HIGH})]
    return []


BATCH_RULES = [
    Rule("training.batch_size", "optimizers", batch_size, check_batch_size),
    Rule("training.epochs", "early-stopping", epochs, check_epochs),
]
RULES = [
    Rule("imbalance.strategy", "imbalance", imbalance, check_imbalance),
    Rule("imbalance.focal_gamma", "imbalance", focal_gamma, check_focal_gamma),
    Rule("training.optimizer", "optimizers", optimizer),
    Rule("training.lr", "optimizers", lr, check_lr),
    Rule("training.scheduler", "optimizers", scheduler, check_scheduler),
    Rule("training.tracker", "tracking", tracker),
]
