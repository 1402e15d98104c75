"""The answers model: defaults, derived slug, partial parsing, combination rules, YAML round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wizard.answers import (
    Answers,
    combination_problems,
    dump_answers_yaml,
    explicit_keys,
    json_schema,
    key_lines,
    leaf_keys,
    load_answers,
    parse_assignment,
    slugify,
    validate_answers,
)
from wizard.errors import AnswersError


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Leaf Disease Classifier", "leaf_disease_classifier"), ("3D scans", "p_3d_scans"), ("class", "class_project"),
     ("叶片病害分类", "xie_pian_bing_hai_fen_lei"), ("Leaf 叶片", "leaf_xie_pian"), ("Café Noir", "cafe_noir"),
     ("😀", "project"), ("  --x--  ", "x")],
)
def test_slug_is_derived_as_a_valid_identifier(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert Answers.model_validate({"project": {"name": name}}).slug == slug


@pytest.mark.parametrize("slug", ["../evil", "a/b", "with space", "1abc", "import", "dash-ed", "ünï"])
def test_slug_rejects_paths_and_non_identifiers(slug: str) -> None:
    with pytest.raises(AnswersError) as err:
        validate_answers({"project": {"name": "x", "slug": slug}})
    assert "project.slug" in str(err.value)


@pytest.mark.parametrize("entry", ["../outside.jpg", "train/../../x.jpg", "/abs/x.jpg", "C:/x.jpg", " ", "/"])
def test_excluded_paths_must_lie_inside_the_data_folder(entry: str) -> None:
    with pytest.raises(AnswersError) as err:
        validate_answers({"project": {"name": "x"}, "data": {"exclude": ["ok.jpg", entry]}})
    assert "data.exclude" in str(err.value) and "allowed" in str(err.value)


def test_excluded_paths_are_kept_relative_with_forward_slashes() -> None:
    answers = validate_answers({"project": {"name": "x"}, "data": {"exclude": ["train\\cat\\1.jpg", " val/owl/ "]}})
    assert answers.data.exclude == ["train/cat/1.jpg", "val/owl/"]


def test_partial_parse_records_only_explicit_keys() -> None:
    partial = validate_answers(
        {"project": {"name": "x"}, "task": "tabular-regression", "training": {"lr": 0.01}}, partial=True
    )
    assert {"task", "training.lr", "project.name"} <= explicit_keys(partial)
    assert "training.batch_size" not in explicit_keys(partial)


def test_combinations_are_checked_only_on_complete_answers() -> None:
    data = {"project": {"name": "x"}, "task": "tabular-regression"}
    validate_answers(data, partial=True)  # keys left out will be filled by recommendations
    with pytest.raises(AnswersError, match="model.source"):
        validate_answers(data)


@pytest.mark.parametrize(
    ("update", "key"),
    [
        ({"model": {"source": "scratch", "backbone": "simple-cnn", "freeze": "head-only"}}, "model.freeze"),
        ({"model": {"source": "pretrained", "backbone": "simple-cnn"}}, "model.backbone"),
        ({"model": {"source": "scratch", "backbone": "resnet50", "freeze": "none"}}, "model.backbone"),
        ({"regularization": {"spatial_dropout": 0.2}}, "regularization.spatial_dropout"),
        ({"task": "image-multilabel", "imbalance": {"strategy": "oversample"},
          "regularization": {"early_stopping": {"monitor": "val_loss"}}}, "imbalance.strategy"),
        ({"regularization": {"early_stopping": {"monitor": "val_r2"}}}, "regularization.early_stopping.monitor"),
        ({"task": "tabular-classification", "model": {"source": "scratch", "backbone": "mlp", "freeze": "none"},
          "normalization": "layernorm", "regularization": {"augmentation": []}, "data": {"exclude": ["a.jpg"]}},
         "data.exclude"),
    ],
)
def test_impossible_combinations_name_the_key(update: dict, key: str) -> None:
    answers = Answers.model_validate({"project": {"name": "x"}, **update}, context={"partial": True})
    problems = combination_problems(answers)
    assert problems and problems[0].startswith(key + ":")
    assert "allowed" in problems[0]


def test_default_answers_are_consistent() -> None:
    assert combination_problems(Answers.model_validate({"project": {"name": "x"}})) == []


def test_yaml_round_trip_keeps_every_key(tmp_path: Path) -> None:
    answers = validate_answers({"project": {"name": "Q \"quoted\" {{ x }} é 叶", "description": "a\tb"},
                                "training": {"lr": 1e-5}})
    path = tmp_path / "a.yml"
    path.write_text(dump_answers_yaml(answers), encoding="utf-8")
    again = load_answers(path)
    assert Path(again.data.path) == tmp_path / "data"  # relative paths are relative to the answers file
    assert again.model_dump(exclude={"data": {"path"}}) == answers.model_dump(exclude={"data": {"path"}})
    assert again.training.lr == 1e-5
    assert set(leaf_keys()) <= {".".join(k) for k in key_lines(path.read_text())}


def test_relative_data_path_is_relative_to_the_answers_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "a.yml"
    path.write_text("project: {name: x}\ndata: {path: ../data/leaves}\n", encoding="utf-8")
    assert Path(load_answers(path).data.path) == (tmp_path / "data" / "leaves").resolve()


def test_key_lines_maps_nested_keys() -> None:
    lines = key_lines("version: 1\nproject:\n  name: x\ntraining:\n  lr: 0.1\n")
    assert lines[("project", "name")] == 3 and lines[("training", "lr")] == 5


def test_parse_assignment_reads_yaml_values() -> None:
    assert parse_assignment("training.batch_size=64") == ("training.batch_size", 64)
    assert parse_assignment("regularization.augmentation=[hflip]") == ("regularization.augmentation", ["hflip"])
    with pytest.raises(AnswersError):
        parse_assignment("no-equals-sign")


def test_json_schema_documents_every_field() -> None:
    schema = json_schema()
    assert schema["properties"]["task"]["enum"][0] == "image-classification"
    training = schema["$defs"]["Training"]["properties"]
    assert training["batch_size"]["minimum"] == 1 and training["lr"]["description"]
    yaml.safe_dump(schema)  # serialisable


def test_examples_are_valid_answers() -> None:
    from wizard.knowledge import resolve

    examples = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yml"))
    assert len(examples) >= 4
    tasks = set()
    for path in examples:
        resolved = resolve(load_answers(path, partial=True)).answers
        tasks.add(resolved.task)
    assert tasks == {"image-classification", "image-multilabel", "tabular-classification", "tabular-regression"}
