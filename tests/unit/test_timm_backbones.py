"""timm backbones in the answers: `timm/<architecture>[.<tag>]` checked against the shipped list, the source
rules (pretrained needs weights, scratch takes no tag), images only, and the list read only when needed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from wizard import timm_models
from wizard.answers import json_schema, validate_answers
from wizard.datacheck.scanner import _validate
from wizard.errors import AnswersError, UsageError

WEIGHTLESS = next(arch for arch, entry in json.loads(timm_models.CATALOGUE.read_text())["models"].items()
                  if not entry["tags"])
"""An architecture timm lists without pretrained weights (trainable from scratch only)."""


def _answers(backbone: str, source: str | None = None, task: str = "image-classification") -> dict:
    model: dict = {"backbone": backbone}
    if source is not None:
        model["source"] = source
    if source == "scratch":
        model["freeze"] = "none"
    return {"project": {"name": "x"}, "task": task, "model": model}


def _problem(data: dict) -> str:
    with pytest.raises(AnswersError) as err:
        validate_answers(data)
    lines = str(err.value).splitlines()
    assert len(lines) == 2, lines  # the header, then the one problem on one line
    return lines[1].strip()


@pytest.mark.parametrize(("backbone", "source"), [
    ("timm/resnet18.a1_in1k", "pretrained"),
    ("timm/resnet18", "pretrained"),  # no tag: timm's default weights
    ("timm/convnext_atto", "scratch"),
    ("timm/resnet18", "scratch"),
    (f"timm/{WEIGHTLESS}", "scratch"),
])
def test_listed_timm_names_are_accepted(backbone: str, source: str) -> None:
    answers = validate_answers(_answers(backbone, source))
    assert answers.model.backbone == backbone and answers.model.source == source


def test_a_misspelt_architecture_names_close_matches_and_the_list() -> None:
    problem = _problem(_answers("timm/resnt18", "pretrained"))
    assert problem.startswith("model.backbone: 'timm/resnt18': no architecture 'resnt18'")
    assert "did you mean timm/resnet18" in problem and "timm 1.0.29" in problem
    assert "allowed: timm/<architecture>[.<tag>]" in problem


def test_an_unknown_tag_lists_the_architectures_tags() -> None:
    problem = _problem(_answers("timm/resnet18.a1_in1kk", "pretrained"))
    assert "did you mean timm/resnet18.a1_in1k?" in problem
    assert problem.endswith("allowed tags: " + ", ".join(timm_models.tags("resnet18")))


@pytest.mark.parametrize("backbone", ["timm/", "timm/.a1_in1k"])
def test_a_name_without_architecture_is_refused(backbone: str) -> None:
    assert "names no architecture; allowed: timm/<architecture>[.<tag>]" in _problem(_answers(backbone))


def test_pretrained_needs_an_architecture_with_weights() -> None:
    problem = _problem(_answers(f"timm/{WEIGHTLESS}", "pretrained"))
    assert problem.startswith(f"model.backbone: 'timm/{WEIGHTLESS}' has no pretrained weights")
    assert "source 'scratch'" in problem


def test_scratch_refuses_a_tag_and_names_the_untagged_form() -> None:
    problem = _problem(_answers("timm/convnext_atto.d2_in1k", "scratch"))
    assert problem.endswith("a tag names pretrained weights, which source 'scratch' does not load; "
                            "allowed: timm/convnext_atto")


@pytest.mark.parametrize("task", ["tabular-classification", "tabular-regression"])
def test_timm_names_are_for_images_only(task: str) -> None:
    problem = _problem({**_answers("timm/convnext_atto", "scratch", task), "normalization": "layernorm",
                        "regularization": {"augmentation": []}})
    assert problem == f"model.backbone: {task} trains an MLP; allowed: mlp"


def test_spatial_dropout_stays_with_the_scratch_cnn() -> None:
    data = _answers("timm/convnext_atto", "scratch")
    data["regularization"] = {"spatial_dropout": 0.2}
    assert _problem(data).startswith("regularization.spatial_dropout:")


def test_curated_names_keep_their_messages_and_mention_timm() -> None:
    problem = _problem(_answers("resnet19"))
    assert "'resnet18'" in problem and "'mlp'" in problem and problem.endswith("or timm/<architecture>[.<tag>]")
    scratch = _problem(_answers("resnet50", "scratch"))
    assert "allowed with source 'scratch': simple-cnn or timm/<architecture> (images), mlp (tabular)" in scratch


@pytest.mark.parametrize(("backbone", "source"), [
    ("timm/resnet18.a1_in1k", "pretrained"), (f"timm/{WEIGHTLESS}", "scratch")
])
def test_the_backbone_implies_the_source_when_it_allows_only_one(backbone: str, source: str) -> None:
    from wizard.knowledge import resolve

    resolved = resolve(validate_answers({"project": {"name": "x"}, "model": {"backbone": backbone}}, partial=True))
    assert resolved.answers.model.source == source


def test_the_json_schema_accepts_curated_and_timm_names() -> None:
    schema = json_schema()["$defs"]["ModelChoice"]["properties"]["backbone"]
    enum, timm = schema["anyOf"]
    assert "resnet50" in enum["enum"] and "mlp" in enum["enum"]
    assert re.fullmatch(timm["pattern"], "timm/resnet18.a1_in1k")
    assert re.fullmatch(timm["pattern"], "timm/convnext_atto")
    assert not re.fullmatch(timm["pattern"], "timm/a.b.c")


def test_the_scan_takes_timm_names_and_refuses_unknown_ones() -> None:
    _validate(None, "timm/resnet18.a1_in1k", None)
    with pytest.raises(UsageError, match="did you mean timm/resnet18"):
        _validate(None, "timm/resnt18", None)
    with pytest.raises(UsageError, match=re.escape("or timm/<architecture>[.<tag>]")):
        _validate(None, "resnet19", None)


def test_the_list_is_read_only_when_a_timm_name_is_checked() -> None:
    code = (
        "from wizard import timm_models\n"
        "from wizard.answers import validate_answers\n"
        "validate_answers({'project': {'name': 'x'}, 'model': {'backbone': 'resnet18'}})\n"
        "print(timm_models._catalogue.cache_info().currsize)\n"
        "validate_answers({'project': {'name': 'x'}, 'model': {'backbone': 'timm/resnet18'}})\n"
        "print(timm_models._catalogue.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["0", "1"]


def test_default_weights_are_the_first_listed_tag() -> None:
    assert timm_models.weights_tag("timm/resnet18") == timm_models.tags("resnet18")[0]
    assert timm_models.weights_tag("timm/resnet18.tv_in1k") == "tv_in1k"
    assert timm_models.weights_tag(f"timm/{WEIGHTLESS}") is None


@pytest.mark.parametrize(("task", "source", "offered"), [
    ("image-classification", "pretrained", True),
    ("image-classification", "scratch", True),
    ("tabular-classification", "scratch", False),
])
def test_the_wizard_offers_a_typed_timm_name_where_one_fits(task: str, source: str, offered: bool) -> None:
    from wizard.tui.fields import spec, typed_allowed

    assert spec("model.backbone").typed is not None and spec("model.backbone").typed.prefix == "timm/"
    assert typed_allowed("model.backbone", {"task": task, "model.source": source}) is offered
