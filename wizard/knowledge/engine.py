"""Applying the rules: fill the keys a user left out (resolve) and explain every decision (recommend)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from wizard.answers import Answers, DataFacts, explicit_keys, leaf_keys, set_dotted, validate_answers
from wizard.knowledge import rules_domain, rules_model, rules_regularization, rules_training
from wizard.knowledge.situation import Advice, Rule, Situation
from wizard.knowledge.texts import check_lang, text

_ALL = {
    rule.key: rule
    for rule in [
        *rules_domain.RULES,
        *rules_model.RULES,
        *rules_training.BATCH_RULES,
        *rules_training.RULES,
        *rules_regularization.RULES,
    ]
}

# The order rules are applied in when filling keys: each rule reads only keys filled before it
# (or keys the user gave), so a value never depends on a default that a later rule replaces.
RESOLUTION_ORDER: tuple[str, ...] = (
    "task",
    "data.layout",
    "data.label_column",
    "data.label_columns",
    "data.image_column",
    "data.exclude",
    "data.domain",
    "data.mirror_keeps_label",
    "model.source",
    "data.image_size",
    "model.backbone",
    "model.freeze",
    "training.batch_size",
    "training.epochs",
    "model.unfreeze_epoch",
    "normalization",
    "model.head_dropout",
    "model.multiscale_pooling",
    "model.hidden_sizes",
    "regularization.augmentation",
    "training.optimizer",
    "training.lr",
    "training.scheduler",
    "training.tracker",
    "regularization.l1",
    "regularization.l2",
    "regularization.dropconnect",
    "regularization.spatial_dropout",
    "regularization.early_stopping.enabled",
    "regularization.early_stopping.patience",
    "regularization.early_stopping.monitor",
    "imbalance.strategy",
    "imbalance.focal_gamma",
)
RULES: tuple[Rule, ...] = tuple(_ALL[key] for key in RESOLUTION_ORDER)
# Decisions are listed in the order of the answers file.
DISPLAY_ORDER: tuple[Rule, ...] = tuple(_ALL[key] for key in leaf_keys() if key in _ALL)


@dataclass(frozen=True)
class Decision:
    """One decision of the wizard: the value used, what the rules recommend, and why."""

    key: str
    title: str
    value: Any
    recommended: Any
    source: str
    reason: str
    alternatives: str = ""
    warnings: tuple[str, ...] = ()
    topic: str = ""
    """The `trainwizard explain` topic that teaches the reasoning behind this decision."""
    explains_choice: bool = False
    """The reason explains the user's own choice (a timm model they named) rather than a recommendation."""


@dataclass(frozen=True)
class Resolution:
    """Complete, validated answers plus the decisions that explain them."""

    answers: Answers
    decisions: list[Decision] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Every warning, as 'key: message'."""
        return [f"{d.key}: {w}" for d in self.decisions for w in d.warnings]


def resolve(partial: Answers, facts: DataFacts | None = None, *, lang: str = "en") -> Resolution:
    """Fill every key the user left out with the recommendation (else the default) and validate the result.

    `partial` comes from `validate_answers(data, partial=True)`. Keys already recorded in
    `partial.meta.sources` keep their source, so re-rendering a project's .trainwizard.yml changes nothing.
    """
    check_lang(lang)
    facts = facts if facts is not None else partial.meta.facts
    recorded = dict(partial.meta.sources)
    given = explicit_keys(partial)
    explicit = _answered(given, recorded)
    data = partial.model_dump(mode="json")
    recommended: set[str] = set()
    for rule in RULES:
        if rule.key in given:
            continue
        advice = rule.advise(Situation(data, explicit, facts))
        if advice is None:
            continue
        set_dotted(data, rule.key, copy.deepcopy(advice.value))
        if not advice.is_default:
            recommended.add(rule.key)
    sources: dict[str, str] = {}
    for key in leaf_keys():
        if key in given:
            sources[key] = recorded.get(key, "answer")
        else:
            sources[key] = "recommended" if key in recommended else "default"
    data["meta"]["sources"] = sources
    data["meta"]["facts"] = facts.model_dump(mode="json") if facts is not None else None
    answers = validate_answers(data, source="answers")
    return Resolution(answers=answers, decisions=recommend(answers, facts, lang=lang))


def recommend(answers: Answers, facts: DataFacts | None = None, *, lang: str = "en") -> list[Decision]:
    """Evaluate every rule on (possibly complete) answers: recommendation, reason and warnings per key.

    Pure and fast (no I/O after the first call loads the text catalogue): the UI calls it on every change.
    """
    check_lang(lang)
    facts = facts if facts is not None else answers.meta.facts
    sources = dict(answers.meta.sources)
    explicit = _answered(explicit_keys(answers), sources) if sources else frozenset(explicit_keys(answers))
    situation = Situation(answers.model_dump(mode="json"), explicit, facts)
    decisions: list[Decision] = []
    for rule in DISPLAY_ORDER:
        advice = rule.advise(situation)
        if advice is None:
            continue
        value = situation.get(rule.key)
        source = sources.get(rule.key) or ("answer" if rule.key in explicit else "default")
        decisions.append(_decision(rule, advice, value, source, situation, lang))
    return decisions


def _answered(given: set[str], recorded: dict[str, str]) -> frozenset[str]:
    """The keys the user chose themselves: given now, and not recorded as filled in by the wizard earlier."""
    return frozenset(key for key in given if recorded.get(key, "answer") == "answer")


def _decision(
    rule: Rule, advice: Advice, value: Any, source: str, situation: Situation, lang: str
) -> Decision:
    notes = [*advice.notes, *rule.check(situation, value)]
    return Decision(
        key=rule.key,
        title=text(lang, "titles", rule.key),
        value=value,
        recommended=advice.value,
        source=source,
        reason=text(lang, "reasons", advice.reason, **advice.fields),
        alternatives=text(lang, "alternatives", rule.key),
        warnings=tuple(text(lang, "warnings", note.key, **note.fields) for note in notes),
        topic=rule.topic,
        explains_choice=advice.explains_choice,
    )
