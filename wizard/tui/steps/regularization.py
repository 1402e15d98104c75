"""Provides RegularizationStep: augmentation, L1/L2, DropConnect, spatial dropout and early stopping."""

from __future__ import annotations

from wizard.tui.steps.base import Step


class RegularizationStep(Step):
    """Step 5: the defenses against overfitting."""

    NAME = "regularization"
    KEYS = ("regularization.augmentation", "regularization.l1", "regularization.l2", "regularization.dropconnect",
            "regularization.spatial_dropout", "regularization.early_stopping.enabled",
            "regularization.early_stopping.patience", "regularization.early_stopping.monitor",
            "regularization.early_stopping.min_delta")
