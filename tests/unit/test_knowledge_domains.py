"""The rule table by situation: image domain × task × data size band, and tables by size band, each giving the
documented recommendations (`trainwizard explain image-domain`, `explain tables`)."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from tests.unit.test_knowledge_rules import nested, resolved
from wizard.answers import DataFacts, ImageDomain
from wizard.vocabulary import IMAGE_TASKS

DOMAINS: tuple[str, ...] = get_args(ImageDomain)
# Training images per class in each band (the freezing rule's thresholds: < 100, 100–999, ≥ 1000).
BANDS = {"few": 40, "some": 400, "plenty": 4000}
FREEZE_BY_BAND = {"few": "head-only", "some": "early-layers", "plenty": "none"}

# The documented augmentation per domain, for single-label images with the mirror answer the wizard suggests.
AUGMENTATION = {
    "natural": ["hflip", "random-resized-crop", "color-jitter", "rotation"],
    "other": ["hflip", "random-resized-crop", "color-jitter", "rotation"],
    "drawings": ["hflip", "random-resized-crop", "rotation"],
    "documents": ["rotation"],
    "medical": ["random-resized-crop", "rotation"],
    "aerial": ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"],
    "microscopy": ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"],
}
MIRROR = {"documents": False, "medical": False}


def image_facts(band: str, side: int, classes: int = 4) -> DataFacts:
    per_class = BANDS[band]
    return DataFacts(num_samples=per_class * classes, class_counts={f"c{i}": per_class for i in range(classes)},
                     image_side=side, grayscale=False, extreme_share=0.1, pixel_mean=[0.4, 0.5, 0.6],
                     pixel_std=[0.2, 0.2, 0.2])


CASES = [(d, t, b, side) for d in DOMAINS for t in IMAGE_TASKS for b in BANDS for side in (32, 256)]


@pytest.mark.parametrize(("domain", "task", "band", "side"), CASES,
                         ids=[f"{d}-{t.split('-')[1]}-{b}-{s}px" for d, t, b, s in CASES])
def test_images_by_domain_task_and_size(domain: str, task: str, band: str, side: int) -> None:
    answers = resolved(nested(task=task, data__domain=domain), image_facts(band, side)).answers
    glyphs = domain == "documents" and side <= 64
    # Pretrained weights everywhere except small glyphs, which a scratch CNN learns at their own size.
    assert answers.model.source == ("scratch" if glyphs else "pretrained")
    assert answers.model.backbone == ("simple-cnn" if glyphs else "resnet50")
    assert answers.model.freeze == ("none" if glyphs else FREEZE_BY_BAND[band])
    assert answers.data.image_size == (32 if glyphs else 224)
    assert answers.data.mirror_keeps_label is MIRROR.get(domain, True)
    expected = AUGMENTATION[domain]
    if task == "image-multilabel":
        expected = [a for a in expected if a != "random-resized-crop"]
    assert answers.regularization.augmentation == expected
    assert not {"hflip", "vflip"} & set(answers.regularization.augmentation) or answers.data.mirror_keeps_label
    assert resolved(nested(task=task, data__domain=domain), image_facts(band, side)).warnings == []


@pytest.mark.parametrize(("rows", "sizes"), [(300, [64]), (999, [64]), (1000, [128, 64]), (9999, [128, 64]),
                                             (10_000, [256, 128]), (200_000, [256, 128])])
@pytest.mark.parametrize("task", ["tabular-classification", "tabular-regression"])
def test_tables_by_size(task: str, rows: int, sizes: list[int]) -> None:
    facts = DataFacts(num_samples=rows, num_features=13, task=task, label_column="target",
                      class_counts={} if task == "tabular-regression" else {"a": rows // 2, "b": rows - rows // 2})
    resolution = resolved({}, facts)
    answers = resolution.answers
    assert answers.task == task
    assert answers.model.hidden_sizes == sizes
    assert (answers.model.source, answers.model.backbone) == ("scratch", "mlp")
    assert answers.regularization.augmentation == []
    assert answers.normalization == "layernorm"
    # No image advice for a table: none of the image-only keys gets a decision.
    image_keys = {"data.domain", "data.mirror_keeps_label", "data.image_size", "model.unfreeze_epoch"}
    decided: dict[str, Any] = {d.key: d for d in resolution.decisions}
    assert not image_keys & set(decided)
    assert "pretrained" not in decided["model.source"].reason.lower().replace("no imagenet-style pretraining", "")
