"""The UI's plain parts (no Textual): questions from the answers model, the state, the string catalogue."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.answers import Normalization as NormalizationLiteral
from wizard.answers import get_args, leaf_keys, load_answers, validate_answers
from wizard.knowledge.texts import LANGS, catalogue
from wizard.tui.fields import allowed_choices, applies, spec
from wizard.tui.state import UI_KEYS, WizardState
from wizard.tui.steps import STEPS


def test_the_catalogues_cover_every_step_and_question() -> None:
    """(That both languages have the same texts is tests/unit/test_knowledge_texts.py's.)"""
    for lang in LANGS:
        texts = catalogue(lang)
        assert set(texts["field_labels"]) == set(texts["field_help"]) == set(UI_KEYS)
        for step in STEPS:
            for name in ("step", "short", "intro"):
                assert f"{name}.{step.NAME}" in texts["tui"]


def test_every_answers_key_is_asked_on_exactly_one_step() -> None:
    asked = [key for step in STEPS for key in step.KEYS]
    assert sorted(asked) == sorted(UI_KEYS)


def test_questions_come_from_the_model() -> None:
    assert spec("normalization").kind == "choice"
    assert spec("normalization").choices == get_args(NormalizationLiteral)
    lr = spec("training.lr")
    assert (lr.kind, lr.gt, lr.le) == ("float", 0, 10) and lr.bounds_text() == "> 0 and ≤ 10"
    assert spec("training.batch_size").kind == "int" and spec("training.batch_size").ge == 1
    assert spec("regularization.augmentation").kind == "multi"
    assert spec("model.multiscale_pooling").kind == "bool"
    assert spec("data.label_columns").kind == "list"
    assert spec("project.slug").optional
    assert spec("training.lr").description == "Learning rate."


def test_allowed_choices_follow_the_combination_rules() -> None:
    values = {"task": "image-classification", "model.source": "scratch"}
    assert allowed_choices("model.backbone", values) == ("simple-cnn",)
    assert allowed_choices("model.freeze", values) == ("none",)
    tabular = {"task": "tabular-regression"}
    assert allowed_choices("imbalance.strategy", tabular) == ("none",)
    assert allowed_choices("regularization.early_stopping.monitor", tabular) == ("val_loss", "val_mae", "val_rmse",
                                                                                  "val_r2")
    assert not applies("imbalance.focal_gamma", {"imbalance.strategy": "class-weights"})


def test_state_keeps_only_what_the_user_set(tmp_path: Path) -> None:
    partial = validate_answers({"project": {"name": "Leaf Disease"}, "training": {"batch_size": 4}}, partial=True)
    state = WizardState(partial, lang="en", cwd=tmp_path)
    assert state.given == {"project.name": "Leaf Disease", "training.batch_size": 4}  # the derived slug is not
    assert state.evaluation.values["normalization"] == "frozen-batchnorm"
    state.set("training.batch_size", 64)
    assert state.evaluation.values["normalization"] == "batchnorm"
    state.set("model.source", "scratch")
    state.set("model.backbone", "simple-cnn")
    state.set("regularization.spatial_dropout", 0.2)
    state.set("model.source", "pretrained")  # the scratch-only answers no longer fit
    assert "model.backbone" not in state.given and "regularization.spatial_dropout" not in state.given
    assert set(state.evaluation.dropped) == {"model.backbone", "regularization.spatial_dropout"}
    assert state.destination() == tmp_path / "leaf_disease"


def test_answers_yaml_round_trips(tmp_path: Path) -> None:
    data = tmp_path / "data" / "leaves"
    data.mkdir(parents=True)
    state = WizardState(None, lang="zh", cwd=tmp_path)
    state.set("project.name", "叶片 Leaf")
    state.set("data.path", "data/leaves")
    state.set("regularization.augmentation", ["hflip"])
    state.set("training.lr", 0.001)
    saved = tmp_path / "out" / "a.yml"
    saved.parent.mkdir()
    saved.write_text(state.answers_yaml(saved.parent), encoding="utf-8")
    loaded = load_answers(saved, partial=True)
    assert WizardState(loaded, lang="zh", cwd=tmp_path).given == state.given
    assert loaded.data.path == str(data)


@pytest.mark.parametrize("module", ["wizard.tui", "wizard.tui.state", "wizard.tui.fields", "wizard.tui.strings"])
def test_importing_the_plain_parts_loads_no_textual(module: str) -> None:
    probe = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert not {m.split(".")[0] for m in json.loads(out)} & {"textual", "torch"}


def test_leaf_keys_are_all_known_to_the_ui() -> None:
    assert set(UI_KEYS) == set(leaf_keys()) - {"version"}
