"""The rules: the user's situation (answers so far + data facts) -> recommendations with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.answers import Answers, DataFacts, explicit_keys, get_dotted, leaf_keys, set_dotted, validate_answers

SOURCE_LABELS = {"answer": "your answer", "recommended": "recommended for your situation", "default": "default"}


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


@dataclass(frozen=True)
class Resolution:
    """Complete, validated answers plus the decisions that explain them."""

    answers: Answers
    decisions: list[Decision] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [w for d in self.decisions for w in d.warnings]


def _recommended_values(answers: Answers, facts: DataFacts | None) -> dict[str, tuple[Any, str]]:
    """Provisional rules (replaced by the full knowledge module): key -> (value, reason)."""
    tabular = answers.task.startswith("tabular")
    out: dict[str, tuple[Any, str]] = {}
    if tabular:
        out["model.source"] = ("scratch", "Tabular data has no ImageNet-like pretraining to borrow.")
        out["model.backbone"] = ("mlp", "An MLP is the standard network for tabular features.")
        out["normalization"] = ("layernorm", "LayerNorm does not depend on the batch.")
        out["regularization.augmentation"] = ([], "Image augmentations do not apply to tabular data.")
    source = answers.model.source if "model.source" in explicit_keys(answers) else out.get("model.source", ("pretrained", ""))[0]
    if source == "scratch":
        if not tabular:
            out["model.backbone"] = ("simple-cnn", "A small CNN suits training from scratch.")
        out["model.freeze"] = ("none", "Nothing is pretrained, so there is nothing to freeze.")
    if answers.task == "tabular-regression":
        out["imbalance.strategy"] = ("none", "Regression has no classes to balance.")
        out["regularization.early_stopping.monitor"] = ("val_loss", "Regression has no F1 score.")
    if answers.task == "image-multilabel":
        out["data.layout"] = ("csv", "Multi-label images come from a CSV manifest.")
    return out


def resolve(partial: Answers, facts: DataFacts | None = None, *, lang: str = "en") -> Resolution:
    """Fill every key the user left out with the recommendation (else the default) and validate the result."""
    given = explicit_keys(partial)
    recorded = dict(partial.meta.sources)
    facts = facts or partial.meta.facts
    recommendations = _recommended_values(partial, facts)
    data = partial.model_dump(mode="json")
    sources: dict[str, str] = {}
    decisions: list[Decision] = []
    for key in leaf_keys():
        if key in ("version", "project.slug", "project.name", "project.description", "project.author"):
            continue
        current = get_dotted(data, key)
        rec_value, reason = recommendations.get(key, (current, ""))
        if key in given:
            source = recorded.get(key, "answer")
            value = current
        else:
            source = "recommended" if key in recommendations else "default"
            value = rec_value
            set_dotted(data, key, value)
        sources[key] = source
        decisions.append(Decision(key, key, value, rec_value, source, reason))
    data["meta"]["sources"] = sources
    data["meta"]["facts"] = facts.model_dump(mode="json") if facts else None
    answers = validate_answers(data, source="answers")
    return Resolution(answers=answers, decisions=decisions)


def source_label(source: str, lang: str = "en") -> str:
    """Human text for where a value came from."""
    return SOURCE_LABELS.get(source, source)
