"""Provides TrainingStep: batch size, epochs, optimizer, learning rate, schedule, precision, DDP, tracker, seed."""

from __future__ import annotations

from wizard.tui.steps.base import Step


class TrainingStep(Step):
    """Step 7: the optimisation settings."""

    NAME = "training"
    KEYS = ("training.batch_size", "training.epochs", "training.optimizer", "training.lr", "training.scheduler",
            "training.precision", "training.distributed", "training.tracker", "training.seed")
