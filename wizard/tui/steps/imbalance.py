"""Provides ImbalanceStep: the class-imbalance strategy, and how to judge it per class."""

from __future__ import annotations

from collections.abc import Iterator

from textual.widget import Widget
from textual.widgets import Static

from wizard.tui.steps.base import Step
from wizard.tui.strings import t


class ImbalanceStep(Step):
    """Step 6: oversampling, undersampling, class weights or focal loss; per-class precision, recall and F1."""

    NAME = "imbalance"
    KEYS = ("imbalance.strategy", "imbalance.focal_gamma")

    DEFAULT_CSS = """
    ImbalanceStep > #metrics { margin: 0 1 1 2; padding: 0 1; border: round $primary; height: auto; }
    """

    def extras(self) -> Iterator[Widget]:
        yield Static(t(self.lang, "metrics"), id="metrics", markup=False)
