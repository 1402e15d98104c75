"""Provides ModelStep: pretrained or scratch, backbone, freezing, head dropout and multi-scale pooling."""

from __future__ import annotations

from wizard.tui.steps.base import Step


class ModelStep(Step):
    """Step 3: where the weights come from and which layers train."""

    NAME = "model"
    KEYS = ("model.source", "model.backbone", "model.freeze", "model.unfreeze_epoch", "model.head_dropout",
            "model.multiscale_pooling", "model.hidden_sizes")
