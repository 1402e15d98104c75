"""Dataset size versus model size: samples per class and parameters per sample (overfitting risk)."""

from __future__ import annotations

from wizard import timm_models
from wizard.datacheck.report import Check, finding
from wizard.vocabulary import (
    FEW_PER_CLASS,
    MIN_PER_CLASS,
    PRETRAINED_PARAMETER_COUNTS,
    SCRATCH_BACKBONES,
    SIMPLE_CNN,
    SIMPLE_CNN_PARAMETERS,
)

PARAMETER_COUNTS: dict[str, int] = {**PRETRAINED_PARAMETER_COUNTS, SIMPLE_CNN: SIMPLE_CNN_PARAMETERS}
MAX_PARAMS_PER_SAMPLE = 1000


def capacity_checks(counts: dict[str, int], num_samples: int, backbone: str | None, *,
                    classification: bool, multilabel: bool = False, tabular: bool = False) -> list[Check]:
    """Too few samples per class (error below 10, warning below 100; multi-label: positives per label, a
    warning below 10) and, for a model from scratch, more than 1,000 parameters per training sample.
    Tables get advice of their own: no pretrained weights or augmentation exist for their columns."""
    checks: list[Check] = []
    scratch = _scratch(backbone)
    nonzero = {c: n for c, n in counts.items() if n > 0}
    labels = ".labels" if multilabel else ""
    if classification and nonzero:
        tiny = sorted(c for c, n in nonzero.items() if n < MIN_PER_CLASS)
        few = sorted(c for c, n in nonzero.items() if MIN_PER_CLASS <= n < FEW_PER_CLASS)
        if tiny:
            checks.append(finding("too-few-samples", "warning" if multilabel else "error", len(tiny),
                                  [f"{c}: {nonzero[c]}" for c in tiny], title=f"too-few-samples{labels}",
                                  n=MIN_PER_CLASS))
        if few:
            checks.append(finding("few-samples", "warning", len(few), [f"{c}: {nonzero[c]}" for c in few],
                                  title=f"few-samples{labels}", advice=_few_advice(scratch, tabular),
                                  n=FEW_PER_CLASS))
    params = parameter_count(backbone)
    if params is not None and num_samples > 0:
        ratio = params / num_samples
        risky = scratch and ratio > MAX_PARAMS_PER_SAMPLE
        advice = "model-size.risky" if risky else "model-size.scratch" if scratch else "model-size.pretrained"
        checks.append(finding("model-size", "warning" if risky else "info", num_samples, advice=advice,
                              backbone=backbone, params=f"{params:,}", samples=f"{num_samples:,}",
                              ratio=f"{ratio:,.0f}"))
    return checks


def parameter_count(backbone: str | None) -> int | None:
    """Parameters of an image backbone with its default head: the curated ones, the scratch CNN, and timm names
    from the shipped list (timm's default head); None when unknown (the mlp's depends on the table)."""
    if timm_models.is_timm(backbone):
        return timm_models.parameter_count(backbone)
    return PARAMETER_COUNTS.get(backbone or "")


def _scratch(backbone: str | None) -> bool:
    # The scan knows the backbone, not the source: a timm architecture counts as scratch only when the list has
    # no weights for it (timm/<arch> with weights is taken as pretrained, the source the wizard recommends).
    if timm_models.is_timm(backbone):
        return not timm_models.tags(timm_models.split(backbone)[0])
    return backbone in SCRATCH_BACKBONES


def _few_advice(scratch: bool, tabular: bool) -> str | None:
    if tabular:
        return "few-samples.tabular"
    return "few-samples.scratch" if scratch else None
