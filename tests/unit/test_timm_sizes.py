"""timm backbones in the size rules (parameter counts from the shipped list) and in the normalization
statistics the generated config gets (the weights' own mean/std)."""

from __future__ import annotations

import pytest

from wizard.answers import DataFacts, validate_answers
from wizard.datacheck.capacity import capacity_checks, parameter_count
from wizard.knowledge import resolve
from wizard.render.context import IMAGENET_MEAN, IMAGENET_STD, normalization_stats

FEW_FACTS = DataFacts(num_samples=100, class_counts={"a": 50, "b": 50}, image_side=64, grayscale=False,
                      extreme_share=0.0, pixel_mean=[0.3, 0.4, 0.5], pixel_std=[0.2, 0.2, 0.2])


@pytest.mark.parametrize(("backbone", "count"), [
    ("timm/resnet18.a1_in1k", 11_689_512),  # the architecture's count, whichever weights
    ("timm/resnet18", 11_689_512),
    ("timm/convnext_atto", 3_695_520),
    ("resnet50", 25_557_032),
    ("simple-cnn", 389_410),
    ("mlp", None),
    (None, None),
])
def test_parameter_counts_cover_timm_names(backbone: str | None, count: int | None) -> None:
    assert parameter_count(backbone) == count


def test_the_scan_sizes_a_timm_model_against_the_data() -> None:
    [size] = [c for c in capacity_checks({"a": 500, "b": 500}, 1000, "timm/convnext_atto.d2_in1k",
                                         classification=True) if c.id == "model-size"]
    assert size.params["params"] == "3,695,520" and size.advice_key == "model-size.pretrained"


def test_a_weightless_timm_model_is_sized_as_scratch() -> None:
    arch = "beit3_giant_patch14_224"  # listed without weights
    [size] = [c for c in capacity_checks({"a": 50, "b": 50}, 100, f"timm/{arch}", classification=True)
              if c.id == "model-size"]
    assert size.advice_key == "model-size.risky" and size.severity == "warning"


def test_the_model_rules_quote_the_timm_models_size() -> None:
    answers = validate_answers({"project": {"name": "x"}, "model": {"backbone": "timm/resnet18.a1_in1k"}},
                               partial=True)
    freeze = next(d for d in resolve(answers, FEW_FACTS).decisions if d.key == "model.freeze")
    assert freeze.value == "head-only" and "11.7M parameters" in freeze.reason


def _answers(model: dict, facts: DataFacts | None = None):
    answers = validate_answers({"project": {"name": "x"}, "model": model})
    return answers.model_copy(update={"meta": answers.meta.model_copy(update={"facts": facts})})


def test_pretrained_timm_weights_bring_their_own_statistics() -> None:
    clip = normalization_stats(_answers({"backbone": "timm/vit_base_patch16_clip_224.openai"}))
    assert clip == {"mean": [0.4815, 0.4578, 0.4082], "std": [0.2686, 0.2613, 0.2758], "source": "timm"}
    tagged = normalization_stats(_answers({"backbone": "timm/efficientnet_b0.ra_in1k"}))
    assert (tagged["mean"], tagged["std"]) == (IMAGENET_MEAN, IMAGENET_STD)


def test_without_a_tag_the_default_weights_statistics_apply() -> None:
    default = normalization_stats(_answers({"backbone": "timm/efficientnet_b0"}))  # ra4_e3600_r224_in1k first
    assert default == {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "source": "timm"}


def test_a_scratch_timm_model_is_normalized_like_other_scratch_models() -> None:
    scratch = {"source": "scratch", "backbone": "timm/efficientnet_b0", "freeze": "none"}
    assert normalization_stats(_answers(scratch, FEW_FACTS))["source"] == "dataset"
    assert normalization_stats(_answers(scratch))["source"] == "imagenet"


@pytest.mark.parametrize(("backbone", "side"), [
    ("timm/resnet18.a3_in1k", 160), ("timm/resnet18", 224), ("timm/vit_base_patch16_clip_384.openai_ft_in12k_in1k", 384),
    ("timm/beit3_giant_patch14_224", None),  # no weights: nothing to match
])
def test_the_weights_training_size_is_known(backbone: str, side: int | None) -> None:
    from wizard import timm_models

    assert timm_models.input_size(backbone) == side
