"""What the wizard says about a timm backbone: the backbone reason names the weights and where they come from,
the size warnings use the list's parameter counts, and `explain pretrained` teaches timm names (en and zh)."""

from __future__ import annotations

import pytest

from wizard import timm_models
from wizard.answers import DataFacts, validate_answers
from wizard.knowledge import explain, resolve

FEW_FACTS = DataFacts(num_samples=100, class_counts={"a": 50, "b": 50}, image_side=64, grayscale=False,
                      extreme_share=0.0, pixel_mean=[0.3, 0.4, 0.5], pixel_std=[0.2, 0.2, 0.2])


def _decision(model: dict, key: str, *, facts: DataFacts | None = None, lang: str = "en"):
    answers = validate_answers({"project": {"name": "x"}, "model": model}, partial=True)
    return next(d for d in resolve(answers, facts, lang=lang).decisions if d.key == key)


def test_the_reason_names_the_tagged_weights_and_the_cache() -> None:
    decision = _decision({"backbone": "timm/resnet18.a1_in1k"}, "model.backbone")
    assert decision.value == decision.recommended == "timm/resnet18.a1_in1k"
    assert "`resnet18` (11.7M parameters) with the pretrained weights tagged `a1_in1k`" in decision.reason
    assert f"timm {timm_models.version()}" in decision.reason and "Hugging Face cache" in decision.reason
    assert "hf download timm/resnet18.a1_in1k" in decision.reason


def test_without_a_tag_the_reason_names_timms_default_weights() -> None:
    decision = _decision({"backbone": "timm/efficientnet_b0", "source": "pretrained"}, "model.backbone")
    assert "timm's default pretrained weights, `ra4_e3600_r224_in1k`" in decision.reason


def test_a_scratch_timm_model_downloads_nothing() -> None:
    decision = _decision({"backbone": "timm/convnext_atto", "source": "scratch"}, "model.backbone")
    assert "random weights: nothing is downloaded" in decision.reason


def test_the_reason_is_translated() -> None:
    decision = _decision({"backbone": "timm/resnet18.a1_in1k"}, "model.backbone", lang="zh")
    assert "标签为 `a1_in1k` 的预训练权重" in decision.reason and "Hugging Face 缓存" in decision.reason


def test_a_big_scratch_timm_model_on_little_data_is_warned_about() -> None:
    decision = _decision({"backbone": "timm/convnext_atto", "source": "scratch"}, "model.backbone",
                         facts=FEW_FACTS)
    [warning] = decision.warnings
    assert warning.startswith("`timm/convnext_atto` has 3.7M parameters for 100 training images (36,955 per")


def test_a_huge_pretrained_timm_model_on_little_data_wants_a_frozen_backbone() -> None:
    model = {"backbone": "timm/vit_large_patch16_224.augreg_in21k_ft_in1k", "freeze": "none"}
    decision = _decision(model, "model.backbone", facts=FEW_FACTS)
    assert any("304.3M parameters; on 100 images fine-tune it only with `freeze: head-only`" in w
               for w in decision.warnings)
    frozen = _decision({**model, "freeze": "head-only"}, "model.backbone", facts=FEW_FACTS)
    assert frozen.warnings == ()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Any timm model", "timm/<architecture>.<tag>", "timm/resnet18.a1_in1k", "timm/convnext_atto",
            "ships with the wizard", "Hugging Face cache"]),
    ("zh", ["任意 timm 模型", "timm/<architecture>.<tag>", "timm/resnet18.a1_in1k", "timm/convnext_atto",
            "随向导一起发布", "Hugging Face 缓存"]),
])
def test_explain_teaches_when_and_how_to_name_a_timm_model(lang: str, words: list[str]) -> None:
    text = explain("timm", lang)  # the alias leads to the backbone topic
    assert text == explain("pretrained", lang)
    missing = [w for w in [*words, f"timm {timm_models.version()}"] if w not in text]
    assert not missing
