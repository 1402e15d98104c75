"""The situation a rule looks at: the answers so far, which of them the user gave, and the data facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wizard import timm_models
from wizard.answers import DataFacts, get_dotted
from wizard.vocabulary import (
    MULTILABEL_TASKS,
    PRETRAINED,
    PRETRAINED_PARAMETER_COUNTS,
    REGRESSION_TASKS,
    TABULAR_TASKS,
    data_band,
)

OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW"}


@dataclass(frozen=True)
class Note:
    """A warning still to be put into words: a catalogue key plus the facts that fill its placeholders."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Advice:
    """What a rule recommends for one key, and the catalogue key of the reason that explains it.

    `notes` are warnings about the situation itself (e.g. a class too small to learn), shown even when the
    recommendation is followed; `is_default` marks advice that is only the model default (no real rule);
    `explains_choice` marks a rule that keeps and explains the user's own choice instead of recommending one.
    """

    value: Any
    reason: str
    fields: dict[str, Any] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    is_default: bool = False
    explains_choice: bool = False


@dataclass(frozen=True)
class Situation:
    """The answers as a plain mapping (values filled so far), the keys the user set, and the data facts."""

    values: dict[str, Any]
    explicit: frozenset[str]
    facts: DataFacts | None = None

    def get(self, key: str) -> Any:
        return get_dotted(self.values, key)

    def given(self, key: str) -> bool:
        """True when the user set `key` themselves (so other keys must fit around it)."""
        return key in self.explicit

    # --- the answers ------------------------------------------------------------------------------------

    @property
    def task(self) -> str:
        return self.get("task")

    @property
    def tabular(self) -> bool:
        return self.task in TABULAR_TASKS

    @property
    def regression(self) -> bool:
        return self.task in REGRESSION_TASKS

    @property
    def multilabel(self) -> bool:
        return self.task in MULTILABEL_TASKS

    @property
    def pretrained(self) -> bool:
        return self.get("model.source") == PRETRAINED

    @property
    def backbone(self) -> str:
        return self.get("model.backbone")

    @property
    def batch_size(self) -> int:
        return self.get("training.batch_size")

    @property
    def params(self) -> int | None:
        """Parameter count of the chosen backbone, when it is a known pretrained one or a timm model (pretrained
        or scratch; the shipped list counts both)."""
        if timm_models.is_timm(self.backbone):
            return timm_models.parameter_count(self.backbone)
        return PRETRAINED_PARAMETER_COUNTS.get(self.backbone)

    # --- the data ---------------------------------------------------------------------------------------

    @property
    def num_samples(self) -> int | None:
        """Training samples found by the data scan; None when no scan ran (or it found nothing)."""
        if self.facts is None or self.facts.num_samples <= 0:
            return None
        return self.facts.num_samples

    @property
    def class_counts(self) -> dict[str, int]:
        if self.facts is None or self.regression:
            return {}
        return self.facts.class_counts

    @property
    def num_classes(self) -> int | None:
        return len(self.class_counts) or None

    @property
    def per_class(self) -> float | None:
        """Mean training samples per class; for regression the sample count itself."""
        n = self.num_samples
        if n is None:
            return None
        if self.regression:
            return float(n)
        classes = self.num_classes
        return n / classes if classes else None

    @property
    def data_band(self) -> str | None:
        """'few' (< 100 per class), 'some' (100–999) or 'plenty' (≥ 1000); None when the data is unknown."""
        return data_band(self.per_class, regression=self.regression)

    @property
    def smallest_class(self) -> tuple[str, int] | None:
        counts = self.class_counts
        if not counts:
            return None
        # Ties broken by name so that the reason text is deterministic.
        name = min(sorted(counts), key=lambda c: counts[c])
        return name, counts[name]

    @property
    def largest_class(self) -> tuple[str, int] | None:
        counts = self.class_counts
        if not counts:
            return None
        # Reverse order so that with equal counts the largest and smallest classes are different ones.
        name = max(sorted(counts, reverse=True), key=lambda c: counts[c])
        return name, counts[name]

    @property
    def imbalance_ratio(self) -> float | None:
        """Largest / smallest class count; infinite when a class has no samples; None without two classes."""
        small, large = self.smallest_class, self.largest_class
        if small is None or large is None or len(self.class_counts) < 2:
            return None
        if small[1] == 0:
            return float("inf")
        return large[1] / small[1]

    def data_fields(self) -> dict[str, Any]:
        """The data facts as ready-to-print placeholder values (shared by many reason texts)."""
        out: dict[str, Any] = {"batch": self.batch_size, "backbone": self.backbone}
        if self.num_samples is not None:
            out["n"] = f"{self.num_samples:,}"
        if self.num_classes:
            out["classes"] = self.num_classes
        if self.per_class is not None:
            out["per_class"] = f"{self.per_class:,.0f}"
        if self.params is not None:
            out["params"] = f"{self.params / 1e6:.1f}M"
        ratio = self.imbalance_ratio
        if ratio is not None:
            out["ratio"] = _ratio(ratio)
        small, large = self.smallest_class, self.largest_class
        if small and large:
            out.update(
                smallest=small[0], smallest_n=f"{small[1]:,}", largest=large[0], largest_n=f"{large[1]:,}"
            )
        return out


def _no_warnings(situation: Situation, value: Any) -> list[Note]:
    return []


@dataclass(frozen=True)
class Rule:
    """The knowledge about one answers key: what to recommend, and what to warn about a chosen value."""

    key: str
    topic: str
    advise: Callable[[Situation], Advice | None]
    """The recommendation given the other values; None when the key does not apply (e.g. focal_gamma
    without focal loss) — then it keeps its default and gets no decision."""
    check: Callable[[Situation, Any], list[Note]] = _no_warnings
    """Warnings for a value (the user's or the recommended one) that contradicts the knowledge."""


def implied(key: str, given: Any, value: Any) -> Advice:
    """Advice forced by another answer the user gave (recommendations never contradict explicit answers)."""
    shown = ", ".join(given) if isinstance(given, list) else given
    return Advice(value, "implied", {"key": key, "given": shown, "value": value})


def _ratio(ratio: float) -> str:
    """20.0 -> '20', 2.5 -> '2.5', 3.33 -> '3.3' (to print as 'ratio:1')."""
    if ratio == float("inf"):
        return "∞"
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}".removesuffix(".0")
