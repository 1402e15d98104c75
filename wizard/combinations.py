"""Combinations of answers that cannot work, as a table: each row names a key, when it is restricted, the
values allowed then, and the message that says why."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from wizard import timm_models
from wizard.timm_models import FORM, PREFIX, is_timm
from wizard.vocabulary import (
    IMAGE_MULTILABEL,
    IMBALANCE_STRATEGIES,
    MLP,
    MONITORS_BY_TASK,
    PRETRAINED,
    PRETRAINED_BACKBONES,
    SAMPLING_STRATEGIES,
    SCRATCH,
    SCRATCH_BACKBONES,
    SIMPLE_CNN,
    TABULAR_REGRESSION,
    TABULAR_TASKS,
)

Answers = Any  # wizard.answers.Answers, which imports this module


@dataclass(frozen=True)
class Combination:
    """One restriction: when `when(answers)` holds, `key` must take one of `allowed` (a collection, or a
    function of the answers giving one); `message` says why, with {value}, {task} and {allowed} filled in."""

    key: str
    when: Callable[[Answers], bool]
    allowed: Collection[Any] | Callable[[Answers], Collection[Any]]
    message: str

    def problem(self, answers: Answers) -> str | None:
        """'key: message' when `answers` break this restriction, else None."""
        if not self.when(answers):
            return None
        allowed = self.allowed(answers) if callable(self.allowed) else self.allowed
        value = _value(answers, self.key)
        if value in allowed:
            return None
        shown = ", ".join(str(v) for v in allowed)
        return f"{self.key}: " + self.message.format(value=repr(value), task=answers.task, allowed=shown)


def _value(answers: Answers, dotted: str) -> Any:
    node = answers
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def _tabular(a: Answers) -> bool:
    return a.task in TABULAR_TASKS


def _images(a: Answers) -> bool:
    return a.task not in TABULAR_TASKS


def _scratch(a: Answers) -> bool:
    return a.model.source == SCRATCH


def _curated(a: Answers) -> bool:
    return not is_timm(a.model.backbone)


def _timm_pretrained(a: Answers) -> bool:
    return is_timm(a.model.backbone) and a.model.source == PRETRAINED


def _timm_scratch(a: Answers) -> bool:
    return is_timm(a.model.backbone) and a.model.source == SCRATCH


def _with_weights(a: Answers) -> tuple[str, ...]:
    # Only the answer itself can be allowed: an architecture that has weights (the tag is checked on its own).
    arch, _ = timm_models.split(a.model.backbone)
    return (a.model.backbone,) if timm_models.tags(arch) else ()


def _untagged(a: Answers) -> tuple[str, ...]:
    return (PREFIX + timm_models.split(a.model.backbone)[0],)


NOT_FROZEN_BATCHNORM = ("batchnorm", "groupnorm", "instancenorm", "layernorm", "none")
TABULAR_NORMALIZATIONS = ("batchnorm", "layernorm", "none")
CSV_LAYOUTS = ("auto", "csv")

# Checked in order: the answers' validation reports the first problem, the TUI every one for a key.
COMBINATIONS: tuple[Combination, ...] = (
    Combination("model.source", _tabular, (SCRATCH,),
                "{task} trains an MLP from scratch (no ImageNet weights for tables); allowed: {allowed}"),
    Combination("model.backbone", _tabular, (MLP,), "{task} trains an MLP; allowed: {allowed}"),
    Combination("model.backbone", lambda a: _curated(a) and a.model.source == PRETRAINED, PRETRAINED_BACKBONES,
                "{value} has no pretrained weights; allowed with source 'pretrained': {allowed}, or " + FORM),
    Combination("model.backbone", _timm_pretrained, _with_weights,
                "{value} has no pretrained weights in timm's list; allowed with source 'pretrained': "
                "a timm architecture with weights (e.g. timm/resnet18.a1_in1k), or source 'scratch'"),
    Combination("model.backbone", lambda a: _curated(a) and _scratch(a), SCRATCH_BACKBONES,
                "{value} is offered as a pretrained backbone; "
                f"allowed with source 'scratch': {SIMPLE_CNN} or {PREFIX}<architecture> (images), {MLP} (tabular)"),
    Combination("model.backbone", _timm_scratch, _untagged,
                "{value}: a tag names pretrained weights, which source 'scratch' does not load; allowed: {allowed}"),
    Combination("model.backbone", lambda a: _curated(a) and _images(a), (SIMPLE_CNN, *PRETRAINED_BACKBONES),
                f"{{value}} is for tabular tasks; allowed for images: {SIMPLE_CNN}, a pretrained backbone or {FORM}"),
    Combination("model.freeze", _scratch, ("none",),
                "{value} needs pretrained weights to freeze; allowed with source 'scratch': {allowed}"),
    Combination("normalization", _scratch, NOT_FROZEN_BATCHNORM,
                "{value} keeps pretrained statistics; a scratch model has none — allowed: {allowed}"),
    Combination("normalization", _tabular, TABULAR_NORMALIZATIONS,
                "{value} is for images; allowed for tabular: {allowed}"),
    Combination("regularization.augmentation", _tabular, ([],),
                "image augmentations do not apply to tabular data; allowed: []"),
    Combination("model.multiscale_pooling", _tabular, (False,),
                "pooling over image grids needs images; allowed for tabular: false"),
    Combination("regularization.spatial_dropout", lambda a: a.model.backbone != SIMPLE_CNN, (0,),
                "applies to the scratch CNN's early conv blocks only; allowed with this backbone: 0"),
    Combination("data.exclude", _tabular, ([],),
                "leaves out image files; a table's rows are filtered in the CSV; allowed: []"),
    Combination("data.layout", _tabular, CSV_LAYOUTS, "tabular tasks read a CSV; allowed: {allowed}"),
    Combination("data.layout", lambda a: a.task == IMAGE_MULTILABEL, CSV_LAYOUTS,
                "multi-label images need a CSV manifest; allowed: {allowed}"),
    Combination("imbalance.strategy", lambda a: a.task == TABULAR_REGRESSION, ("none",),
                "regression has no classes to balance; allowed: {allowed}"),
    Combination("imbalance.strategy", lambda a: a.task == IMAGE_MULTILABEL,
                tuple(s for s in IMBALANCE_STRATEGIES if s not in SAMPLING_STRATEGIES),
                "sampling by class is undefined when items carry several labels; allowed for multi-label: {allowed}"),
    Combination("regularization.early_stopping.monitor", lambda a: True, lambda a: MONITORS_BY_TASK[a.task],
                "{value} is not computed for {task}; allowed: {allowed}"),
)


def combination_problems(answers: Answers) -> list[str]:
    """Combinations that cannot work, each as 'key: what is wrong; allowed: ...'."""
    return [problem for row in COMBINATIONS if (problem := row.problem(answers)) is not None]
