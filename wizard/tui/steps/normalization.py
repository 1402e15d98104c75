"""Provides NormalizationStep: the normalization layer, advised from the batch size and the backbone."""

from __future__ import annotations

from wizard.tui.steps.base import Step


class NormalizationStep(Step):
    """Step 4: BatchNorm, GroupNorm, InstanceNorm, LayerNorm, or the pretrained BatchNorm frozen."""

    NAME = "normalization"
    KEYS = ("normalization",)
