"""resolve() and recommend(): sources, validity around explicit answers, determinism, languages."""

from __future__ import annotations

import subprocess
import sys
import typing
from typing import Any, get_args

import pytest
import yaml

from tests.unit.test_knowledge_rules import IMBALANCED_20, TINY, counts, nested, resolved
from wizard.answers import (
    Answers,
    DataFacts,
    dump_answers_yaml,
    explicit_keys,
    get_dotted,
    leaf_keys,
    validate_answers,
)
from wizard.errors import UsageError
from wizard.knowledge import recommend, resolve, source_label
from wizard.vocabulary import SOURCES


def _choices() -> list[tuple[str, Any]]:
    """Every allowed value of every key with a fixed set of values (Literal fields), plus a few numbers."""
    out: list[tuple[str, Any]] = []
    for key in leaf_keys():
        section, _, name = key.rpartition(".")
        model: type = Answers
        for part in section.split(".") if section else []:
            model = typing.get_type_hints(model)[part]
        annotation = typing.get_type_hints(model).get(name)
        if typing.get_origin(annotation) is typing.Literal:
            out.extend((key, value) for value in get_args(annotation))
    out += [
        ("regularization.augmentation", []),
        ("regularization.augmentation", ["vflip", "trivial-augment"]),
        ("regularization.spatial_dropout", 0.2),
        ("regularization.dropconnect", 0.3),
        ("model.head_dropout", 0.0),
        ("training.batch_size", 1),
        ("training.batch_size", 4),
        ("training.batch_size", 512),
        ("training.epochs", 1),
        ("training.lr", 0.5),
        ("regularization.early_stopping.enabled", False),
        ("model.multiscale_pooling", True),
        ("imbalance.focal_gamma", 3.0),
    ]
    return out


CHOICES = _choices()


@pytest.mark.parametrize(("key", "value"), CHOICES, ids=[f"{k}={v}" for k, v in CHOICES])
@pytest.mark.parametrize("facts", [None, IMBALANCED_20], ids=["no-data", "imbalanced-data"])
def test_any_single_answer_resolves_to_valid_answers_around_it(
    key: str, value: Any, facts: DataFacts | None
) -> None:
    data: dict[str, Any] = {}
    node = data
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    resolution = resolved(data, facts)  # validate_answers with the combination checks: raises if invalid
    assert get_dotted(resolution.answers, key) == value
    assert resolution.answers.meta.sources[key] == "answer"


COMBINATIONS = [
    (nested(model__source="scratch"), {"model.freeze": "none", "model.backbone": "simple-cnn"}),
    (
        nested(model__source="scratch", training__batch_size=2),
        {"normalization": "groupnorm", "regularization.spatial_dropout": 0.1},
    ),
    (
        {"task": "tabular-classification"},
        {
            "model.source": "scratch",
            "model.backbone": "mlp",
            "regularization.augmentation": [],
            "normalization": "layernorm",
            "model.multiscale_pooling": False,
            "data.layout": "auto",
        },
    ),
    (
        {"task": "tabular-regression"},
        {"imbalance.strategy": "none", "regularization.early_stopping.monitor": "val_loss"},
    ),
    ({"task": "image-multilabel"}, {"data.layout": "auto", "imbalance.strategy": "class-weights"}),
    (nested(model__backbone="densenet121", training__batch_size=2), {"normalization": "frozen-batchnorm"}),
]


@pytest.mark.parametrize(("answers", "expected"), COMBINATIONS)
def test_recommendations_fit_the_explicit_answers(answers: dict, expected: dict[str, Any]) -> None:
    resolution = resolved(answers, IMBALANCED_20)
    for key, value in expected.items():
        assert get_dotted(resolution.answers, key) == value, key


def test_every_leaf_key_gets_a_source() -> None:
    resolution = resolved(nested(model__source="scratch", training__batch_size=4), TINY)
    sources = resolution.answers.meta.sources
    assert set(sources) == set(leaf_keys())
    assert set(sources.values()) == {"answer", "recommended", "default"}
    assert sources["model.source"] == sources["training.batch_size"] == sources["project.name"] == "answer"
    assert sources["normalization"] == sources["model.freeze"] == "recommended"
    assert sources["training.seed"] == sources["data.val_fraction"] == "default"
    assert resolution.answers.meta.facts == TINY


def test_recorded_facts_are_used_when_no_scan_ran() -> None:
    first = resolved({}, IMBALANCED_20)
    again = resolve(validate_answers(first.answers.model_dump(mode="json"), partial=True))
    assert again.answers.imbalance.strategy == "oversample"
    assert again.answers.meta.facts == IMBALANCED_20


@pytest.mark.parametrize(
    ("answers", "facts"),
    [
        ({}, None),
        ({}, TINY),
        (nested(model__source="scratch", training__batch_size=1), IMBALANCED_20),
        ({"task": "tabular-regression"}, DataFacts(num_samples=900)),
        (nested(model__freeze="gradual"), None),
    ],
)
def test_re_resolving_the_recorded_answers_is_byte_identical(answers: dict, facts: DataFacts | None) -> None:
    """Rendering a project's .trainwizard.yml again gives the same file (every key explicit, sources kept)."""
    first = resolved(answers, facts)
    text = dump_answers_yaml(first.answers)
    again = resolve(validate_answers(yaml.safe_load(text), partial=True))
    assert dump_answers_yaml(again.answers) == text
    assert again.decisions == first.decisions
    assert resolved(answers, facts).decisions == first.decisions  # deterministic


def test_recommend_on_resolved_answers_reproduces_the_decisions() -> None:
    resolution = resolved(nested(training__batch_size=4), counts(a=300, b=20, c=40))
    assert recommend(resolution.answers) == resolution.decisions


def test_recommend_on_a_partial_answers_marks_sources_and_warns() -> None:
    """The UI's case: answers being edited, not yet resolved."""
    partial = validate_answers(
        {"project": {"name": "t"}, "normalization": "batchnorm", "training": {"batch_size": 1}}, partial=True
    )
    decisions = {d.key: d for d in recommend(partial, TINY)}
    assert decisions["normalization"].source == "answer"
    assert decisions["normalization"].recommended == "frozen-batchnorm"
    assert any("batch size 1" in w for w in decisions["normalization"].warnings)
    assert decisions["model.freeze"].source == "default"
    assert decisions["model.freeze"].recommended == "head-only"


def test_user_answers_are_never_replaced() -> None:
    answers = nested(
        model__freeze="none",
        normalization="groupnorm",
        imbalance__strategy="none",
        regularization__augmentation=["vflip"],
        training__lr=0.05,
    )
    resolution = resolved(answers, TINY)
    partial = validate_answers({"project": {"name": "t"}, **answers}, partial=True)
    for key in explicit_keys(partial):
        assert get_dotted(resolution.answers, key) == get_dotted(partial, key)
    assert len(resolution.warnings) >= 4


def test_chinese_decisions_carry_the_same_values() -> None:
    en = resolved(nested(model__source="scratch", training__batch_size=4), IMBALANCED_20)
    zh = resolved(nested(model__source="scratch", training__batch_size=4), IMBALANCED_20, lang="zh")
    assert dump_answers_yaml(en.answers) == dump_answers_yaml(zh.answers)
    assert [(d.key, d.value, d.recommended, d.source) for d in en.decisions] == [
        (d.key, d.value, d.recommended, d.source) for d in zh.decisions
    ]
    norm = next(d for d in zh.decisions if d.key == "normalization")
    assert norm.title == "归一化层" and "批大小 4" in norm.reason
    imbalance = next(d for d in zh.decisions if d.key == "imbalance.strategy")
    assert "20:1" in imbalance.reason and "过采样" in imbalance.reason


def test_unknown_language_is_a_usage_error() -> None:
    partial = validate_answers({"project": {"name": "t"}}, partial=True)
    with pytest.raises(UsageError, match="did you mean 'zh'"):
        resolve(partial, lang="zh-cn")
    with pytest.raises(UsageError, match="available: en, zh"):
        recommend(partial, lang="fr")


def test_source_labels() -> None:
    assert source_label("answer") == "your answer"
    assert source_label("recommended", "zh") == "根据你的情况推荐"
    assert all(source_label(source, lang) for source in SOURCES for lang in ("en", "zh"))


def test_importing_the_knowledge_is_cheap_and_ui_free() -> None:
    code = (
        "import sys, wizard.knowledge as k\n"
        "from wizard.knowledge.texts import catalogue\n"
        "assert catalogue.cache_info().currsize == 0, 'catalogues loaded at import'\n"
        "bad = [m for m in ('textual', 'torch', 'torchvision', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
