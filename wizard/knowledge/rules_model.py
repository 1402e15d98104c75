"""Rules for the model: task, data layout, pretrained or scratch, backbone, freezing, normalization, head."""

from __future__ import annotations

from typing import Any

from wizard import timm_models
from wizard.datacheck.capacity import MAX_PARAMS_PER_SAMPLE
from wizard.datacheck.report import unusable_kept
from wizard.knowledge.rules_domain import GLYPH_SIDE
from wizard.knowledge.situation import Advice, Note, Rule, Situation, implied
from wizard.vocabulary import (
    DEFAULT_PRETRAINED,
    FEW,
    HEAVY_BACKBONE,
    MLP,
    MONITORS_BY_TASK,
    PLENTY,
    PRETRAINED_PARAMETER_COUNTS,
    SCRATCH_BACKBONES,
    SIMPLE_CNN,
    SOME,
    TABULAR_CLASSIFICATION,
)

SCRATCH_MIN_IMAGES = 10_000  # below this, training images from scratch gets a warning
SCRATCH_OPTION_IMAGES = 100_000  # from here on, scratch is a real option for data unlike ImageNet
BATCHNORM_MIN_BATCH = 11  # the notes: BatchNorm above a batch size of about 10
SPP_FEATURE_STRIDE = 32  # the backbones downsample 32×; the 4×4 pyramid level needs a 4×4 feature map
SPP_FINEST_GRID = 4
HEAVY_SHARE = 0.7  # a timm model from ~100M parameters on is as hard to fine-tune on little data as vgg16_bn
# MLP width by training rows: a small table fits a small network (fewer weights than rows to memorise).
SMALL_TABLE_ROWS = 1_000
TABLE_WIDTHS = ((SMALL_TABLE_ROWS, (64,)), (10_000, (128, 64)))


def task(s: Situation) -> Advice:
    # The task is the user's to say; other answers can only pin it down.
    if not s.given("task"):
        if s.given("model.backbone") and s.backbone == MLP:
            return implied("model.backbone", MLP, TABULAR_CLASSIFICATION)
        monitor = s.get("regularization.early_stopping.monitor")
        owners = [t for t, monitors in MONITORS_BY_TASK.items() if monitor in monitors]
        if s.given("regularization.early_stopping.monitor") and len(owners) == 1:
            return implied("regularization.early_stopping.monitor", monitor, owners[0])
        detected = s.facts.task if s.facts is not None else None
        if detected:
            return Advice(detected, f"task.detected.{detected}")
    return Advice(s.task, f"task.{s.task}", is_default=not s.given("task"))


def layout(s: Situation) -> Advice:
    # auto finds a CSV file or a manifest inside a folder as well, so it is right for every task.
    if s.tabular:
        return Advice("auto", "layout.tabular")
    if s.multilabel:
        return Advice("auto", "layout.multilabel")
    return Advice("auto", "layout.auto")


def label_column(s: Situation) -> Advice | None:
    detected = s.facts.label_column if s.facts else None
    return Advice(detected, "columns.label_detected", {"column": detected}) if detected else None


def label_columns(s: Situation) -> Advice | None:
    detected = s.facts.label_columns if s.facts else []
    return Advice(list(detected), "columns.labels_detected", {"columns": ", ".join(detected)}) if detected else None


def image_column(s: Situation) -> Advice | None:
    detected = s.facts.image_column if s.facts else None
    return Advice(detected, "columns.image_detected", {"column": detected}) if detected else None


def exclude(s: Situation) -> Advice:
    # Leaving unusable files out (rather than deleting them) keeps the user's data as it is and the list in
    # config.yaml, where fixing a file means deleting its line.
    if s.tabular:
        return Advice([], "exclude.tabular")
    unusable = list(s.facts.unusable) if s.facts else []
    if unusable:
        return Advice(unusable, "exclude.unusable", {"count": len(unusable), "examples": _listed(unusable)})
    return Advice([], "exclude.clean" if s.facts else "exclude.unknown")


def check_exclude(s: Situation, value: Any) -> list[Note]:
    kept = unusable_kept(list(s.facts.unusable) if s.facts and not s.tabular else [], list(value))
    return [Note("exclude_kept", {"count": len(kept), "examples": _listed(kept)})] if kept else []


def _listed(paths: list[str], shown: int = 3) -> str:
    more = f" (+{len(paths) - shown})" if len(paths) > shown else ""
    return ", ".join(f"`{p}`" for p in paths[:shown]) + more


def source(s: Situation) -> Advice:
    if s.tabular:
        return Advice("scratch", "source.tabular")
    # The user's own source is compared with the data-driven advice; otherwise other answers may pin it.
    forced = None if s.given("model.source") else _source_forced_by_answers(s)
    if forced is not None:
        return forced
    n = s.num_samples
    image_domain = s.get("data.domain")
    fields = {**s.data_fields(), "side": _image_side(s)}
    if image_domain == "documents" and _image_side(s) <= GLYPH_SIDE:
        return Advice("scratch", "source.glyphs", fields)
    if n is None:
        return Advice("pretrained", "source.unknown")
    if image_domain != "natural":
        return Advice("pretrained", "source.unlike_plenty" if n >= SCRATCH_OPTION_IMAGES else "source.unlike", fields)
    if n >= SCRATCH_OPTION_IMAGES:
        return Advice("pretrained", "source.plenty", fields)
    return Advice("pretrained", "source.scarce", fields)


def _image_side(s: Situation) -> int:
    """The images' own size (the scan's median shorter side), else the size they are resized to."""
    side = s.facts.image_side if s.facts is not None else None
    return side or s.get("data.image_size")


def _source_forced_by_answers(s: Situation) -> Advice | None:
    if s.given("model.backbone") and (source := _source_of_backbone(s.backbone)) is not None:
        return implied("model.backbone", s.backbone, source)
    spatial_dropout = s.get("regularization.spatial_dropout")
    if s.given("regularization.spatial_dropout") and spatial_dropout > 0:
        return implied("regularization.spatial_dropout", spatial_dropout, "scratch")
    if s.given("model.freeze") and s.get("model.freeze") != "none":
        return implied("model.freeze", s.get("model.freeze"), "pretrained")
    if s.given("normalization") and s.get("normalization") == "frozen-batchnorm":
        return implied("normalization", "frozen-batchnorm", "pretrained")
    return None


def _source_of_backbone(backbone: str) -> str | None:
    """The only source a backbone works with; None for a timm architecture with weights named without a tag
    (it works with both, so the data decides)."""
    if timm_models.is_timm(backbone):
        arch, tag = timm_models.split(backbone)
        if tag is not None:
            return "pretrained"
        return None if timm_models.tags(arch) else "scratch"
    return "scratch" if backbone in SCRATCH_BACKBONES else "pretrained"


def check_source(s: Situation, value: Any) -> list[Note]:
    n = s.num_samples
    glyphs = s.get("data.domain") == "documents" and _image_side(s) <= GLYPH_SIDE
    if value == "scratch" and not s.tabular and not glyphs and n is not None and n < SCRATCH_MIN_IMAGES:
        return [Note("scratch_small", s.data_fields())]
    return []


def backbone(s: Situation) -> Advice:
    if s.tabular:
        return Advice(MLP, "backbone.tabular")
    if s.given("model.backbone") and timm_models.is_timm(s.backbone):
        return _timm_backbone(s)
    if not s.pretrained:
        return Advice(SIMPLE_CNN, "backbone.scratch")
    fields = {**s.data_fields(), "backbone": DEFAULT_PRETRAINED, "params": f"{PRETRAINED_PARAMETER_COUNTS[DEFAULT_PRETRAINED] / 1e6:.1f}M"}
    return Advice(
        DEFAULT_PRETRAINED, "backbone.pretrained" if "n" in fields else "backbone.pretrained_unknown", fields
    )


def _timm_backbone(s: Situation) -> Advice:
    """A timm model the user named stays: the reason says which weights (or none) and where they come from."""
    arch, tag = timm_models.split(s.backbone)
    params = s.params
    fields = {"backbone": s.backbone, "arch": arch, "params": f"{params / 1e6:.1f}M" if params else "?",
              "timm": timm_models.version()}
    if not s.pretrained:
        return Advice(s.backbone, "backbone.timm_scratch", fields, explains_choice=True)
    weights = timm_models.weights_tag(s.backbone)
    return Advice(s.backbone, "backbone.timm_tagged" if tag else "backbone.timm_default", {**fields, "tag": weights},
                  explains_choice=True)


def check_backbone(s: Situation, value: Any) -> list[Note]:
    if value == HEAVY_BACKBONE and s.data_band == FEW and s.get("model.freeze") != "head-only":
        return [Note("vgg_small", s.data_fields())]
    if not timm_models.is_timm(value) or s.params is None or s.num_samples is None:
        return []
    fields = {**s.data_fields(), "backbone": value}
    if not s.pretrained and s.params / s.num_samples > MAX_PARAMS_PER_SAMPLE:
        return [Note("timm_scratch_big", {**fields, "per_sample": f"{s.params / s.num_samples:,.0f}"})]
    heavy = s.params >= PRETRAINED_PARAMETER_COUNTS[HEAVY_BACKBONE] * HEAVY_SHARE
    if s.pretrained and heavy and s.data_band == FEW and s.get("model.freeze") != "head-only":
        return [Note("timm_heavy_small", fields)]
    return []


def freeze(s: Situation) -> Advice:
    if not s.pretrained:
        return Advice("none", "freeze.scratch")
    band = s.data_band
    fields = s.data_fields()
    if band is None:
        return Advice("early-layers", "freeze.unknown", fields)
    return Advice(
        {FEW: "head-only", SOME: "early-layers", PLENTY: "none"}[band], f"freeze.{band}", fields
    )


def check_freeze(s: Situation, value: Any) -> list[Note]:
    band = s.data_band
    if not s.pretrained or band is None:
        return []
    if value == "none" and band == FEW:
        return [Note("freeze_none_few", s.data_fields())]
    if value == "head-only" and band == PLENTY:
        return [Note("freeze_head_plenty", s.data_fields())]
    return []


def unfreeze_epoch(s: Situation) -> Advice | None:
    if s.get("model.freeze") != "gradual":
        return None
    epochs = s.get("training.epochs")
    value = min(max(epochs // 10, 1), 5)
    return Advice(value, "unfreeze.gradual", {"epochs": epochs, "value": value})


def check_unfreeze_epoch(s: Situation, value: Any) -> list[Note]:
    epochs = s.get("training.epochs")
    if s.get("model.freeze") == "gradual" and value >= epochs > 1:
        return [Note("unfreeze_late", {"value": value, "epochs": epochs})]
    return []


def normalization(s: Situation) -> Advice:
    fields = s.data_fields()
    batch = s.batch_size
    if s.tabular:
        return Advice("layernorm", "norm.tabular", fields)
    if s.pretrained:
        if batch >= BATCHNORM_MIN_BATCH:
            return Advice("batchnorm", "norm.pretrained_large", fields)
        return Advice("frozen-batchnorm", "norm.pretrained_small", fields)
    if batch >= BATCHNORM_MIN_BATCH:
        return Advice("batchnorm", "norm.large", fields)
    if batch >= 2:
        return Advice("groupnorm", "norm.small", fields)
    return Advice("instancenorm", "norm.single", fields)


def check_normalization(s: Situation, value: Any) -> list[Note]:
    batch = s.batch_size
    fields = {**s.data_fields(), "value": value, "suggest": normalization(s).value}
    notes: list[Note] = []
    if value == "batchnorm" and batch == 1:
        notes.append(Note("bn_batch1", fields))
    elif value == "batchnorm" and batch < BATCHNORM_MIN_BATCH:
        notes.append(Note("bn_small_batch", fields))
    if s.pretrained and value in ("groupnorm", "instancenorm", "layernorm", "none"):
        notes.append(Note("norm_swap_pretrained", fields))
    if not s.pretrained and not s.tabular:
        if value == "instancenorm" and batch >= BATCHNORM_MIN_BATCH:
            notes.append(Note("instancenorm_large_batch", fields))
        if value == "none":
            notes.append(Note("norm_none_scratch", fields))
    return notes


def head_dropout(s: Situation) -> Advice:
    dropconnect = s.get("regularization.dropconnect")
    if s.given("regularization.dropconnect") and dropconnect > 0 and not s.given("model.head_dropout"):
        return Advice(0.0, "dropout.dropconnect", {"dropconnect": dropconnect})
    band = s.data_band
    if band == PLENTY:
        return Advice(0.2, "dropout.plenty", s.data_fields())
    if band is None:
        return Advice(0.5, "dropout.unknown", s.data_fields())
    return Advice(0.5, "dropout.small", s.data_fields())


def check_head_dropout(s: Situation, value: Any) -> list[Note]:
    if value == 0 and s.data_band == FEW:
        return [Note("dropout_zero_few", s.data_fields())]
    if value >= 0.8:
        return [Note("dropout_high", {"value": value})]
    return []


def multiscale_pooling(s: Situation) -> Advice:
    return Advice(False, "pooling.tabular" if s.tabular else "pooling.images")


def check_multiscale_pooling(s: Situation, value: Any) -> list[Note]:
    size = s.get("data.image_size")
    grid = size // SPP_FEATURE_STRIDE
    if value and not s.tabular and grid < SPP_FINEST_GRID:
        return [Note("pooling_small_image", {"image_size": size, "grid": grid})]
    return []


def hidden_sizes(s: Situation) -> Advice | None:
    if not s.tabular:
        return None
    rows = s.num_samples
    features = s.facts.num_features if s.facts is not None else None
    if rows is None or not features:
        return Advice([256, 128], "hidden.unknown", is_default=True)
    fields = {"n": f"{rows:,}", "features": features}
    for limit, sizes in TABLE_WIDTHS:
        if rows < limit:
            return Advice(list(sizes), "hidden.small" if limit <= SMALL_TABLE_ROWS else "hidden.medium",
                          {**fields, "sizes": ", ".join(map(str, sizes))})
    return Advice([256, 128], "hidden.large", {**fields, "sizes": "256, 128"})


RULES = [
    Rule("task", "data-checks", task),
    Rule("data.layout", "data-checks", layout),
    Rule("data.label_column", "data-checks", label_column),
    Rule("data.label_columns", "data-checks", label_columns),
    Rule("data.image_column", "data-checks", image_column),
    Rule("data.exclude", "data-checks", exclude, check_exclude),
    Rule("model.source", "pretrained", source, check_source),
    Rule("model.backbone", "pretrained", backbone, check_backbone),
    Rule("model.freeze", "freezing", freeze, check_freeze),
    Rule("model.unfreeze_epoch", "freezing", unfreeze_epoch, check_unfreeze_epoch),
    Rule("normalization", "normalization", normalization, check_normalization),
    Rule("model.head_dropout", "dropout", head_dropout, check_head_dropout),
    Rule("model.multiscale_pooling", "multiscale-pooling", multiscale_pooling, check_multiscale_pooling),
    Rule("model.hidden_sizes", "tables", hidden_sizes),
]
