"""Rules for what the images show: the domain suggested by the pixels, mirror symmetry, and the image size."""

from __future__ import annotations

from typing import Any

from wizard import timm_models
from wizard.knowledge.situation import Advice, Note, Rule, Situation

# Scanned pixels that mark text, digits and symbols: grayscale, and either small glyph images or pages that
# are mostly ink and paper (near-black or near-white) rather than a photo's mid-tones.
GLYPH_SIDE = 64
INK_SHARE = 0.6
PRETRAINED_SIZE = 224  # the resolution ImageNet backbones were trained at
MIN_SIZE = 32  # the networks downsample 32x
SIZE_STEP = 32
# Domains whose mirror image is not a valid sample of the same class (a mirrored 'b' is a 'd'; a mirrored
# chest X-ray puts the heart on the wrong side).
MIRROR_BREAKS = {"documents", "medical"}


def domain(s: Situation) -> Advice | None:
    if s.tabular:
        return None
    facts = s.facts
    if facts is None or facts.grayscale is None:
        return Advice("natural", "domain.unknown", is_default=True)
    fields = {"side": facts.image_side, "ink": f"{(facts.extreme_share or 0):.0%}"}
    if facts.grayscale and ((facts.image_side or 0) <= GLYPH_SIDE or (facts.extreme_share or 0) >= INK_SHARE):
        return Advice("documents", "domain.glyphs", fields)
    if facts.grayscale:
        return Advice("other", "domain.grayscale", fields)
    return Advice("natural", "domain.colour", fields)


def mirror_keeps_label(s: Situation) -> Advice | None:
    if s.tabular:
        return None
    value = s.get("data.domain")
    return Advice(value not in MIRROR_BREAKS, f"mirror.{value}")


def image_size(s: Situation) -> Advice | None:
    if s.tabular:
        return None
    side = s.facts.image_side if s.facts is not None else None
    weights_size = _timm_weights_size(s)
    if weights_size is not None and not side:
        return Advice(weights_size, "image_size.timm", {"size": weights_size, "backbone": s.backbone})
    if not side:
        return Advice(PRETRAINED_SIZE, "image_size.unknown", is_default=True)
    if s.pretrained:
        size = weights_size or PRETRAINED_SIZE
        return Advice(size, "image_size.pretrained_small" if side < size else "image_size.pretrained",
                      {"side": side, "size": size})
    fields = {"side": side, "size": PRETRAINED_SIZE}
    if side < PRETRAINED_SIZE:
        native = min(PRETRAINED_SIZE, max(MIN_SIZE, -(-side // SIZE_STEP) * SIZE_STEP))
        return Advice(native, "image_size.native", {**fields, "size": native})
    return Advice(PRETRAINED_SIZE, "image_size.scratch_large", fields)


def _timm_weights_size(s: Situation) -> int | None:
    """The image side a chosen pretrained timm backbone's weights were trained at (e.g. 160, 224, 384)."""
    if not s.pretrained or not timm_models.is_timm(s.backbone):
        return None
    return timm_models.input_size(s.backbone)


def check_image_size(s: Situation, value: Any) -> list[Note]:
    side = s.facts.image_side if s.facts is not None else None
    if s.tabular or not side or s.pretrained:
        return []
    if value >= 2 * side:
        return [Note("image_size_upscaled", {"value": value, "side": side, "cost": f"{(value / side) ** 2:.0f}"})]
    return []


RULES = [
    Rule("data.domain", "image-domain", domain),
    Rule("data.mirror_keeps_label", "image-domain", mirror_keeps_label),
    Rule("data.image_size", "image-domain", image_size, check_image_size),
]
