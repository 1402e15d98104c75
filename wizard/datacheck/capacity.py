"""Dataset size versus model size: samples per class and parameters per sample (overfitting risk)."""

from __future__ import annotations

from wizard.backbones import PRETRAINED_PARAMETER_COUNTS, SIMPLE_CNN_PARAMETERS
from wizard.datacheck.report import Check

PARAMETER_COUNTS: dict[str, int] = {**PRETRAINED_PARAMETER_COUNTS, "simple-cnn": SIMPLE_CNN_PARAMETERS}
SCRATCH_BACKBONES = frozenset({"simple-cnn", "mlp"})
BACKBONES = (*PARAMETER_COUNTS, "mlp")
MIN_PER_CLASS = 10
FEW_PER_CLASS = 100
MAX_PARAMS_PER_SAMPLE = 1000


def capacity_checks(counts: dict[str, int], num_samples: int, backbone: str | None, *,
                    classification: bool, multilabel: bool = False) -> list[Check]:
    """Too few samples per class (error below 10, warning below 100; multi-label: positives per label, a
    warning below 10) and, for a model from scratch, more than 1,000 parameters per training sample."""
    checks: list[Check] = []
    scratch = backbone in SCRATCH_BACKBONES
    nonzero = {c: n for c, n in counts.items() if n > 0}
    if classification and nonzero:
        tiny = sorted(c for c, n in nonzero.items() if n < MIN_PER_CLASS)
        few = sorted(c for c, n in nonzero.items() if MIN_PER_CLASS <= n < FEW_PER_CLASS)
        what = "Labels with fewer than {} positive training samples" if multilabel else \
            "Classes with fewer than {} training samples"
        if tiny:
            checks.append(Check(
                "too-few-samples", "warning" if multilabel else "error", what.format(MIN_PER_CLASS),
                len(tiny), [f"{c}: {nonzero[c]}" for c in tiny],
                "Collect more examples (hundreds per class is a sound target), or merge or drop these "
                "classes.",
            ))
        if few:
            advice = ("Start from pretrained weights with the backbone frozen (train the head only), "
                      "with augmentation and dropout.")
            checks.append(Check(
                "few-samples", "warning", what.format(FEW_PER_CLASS), len(few),
                [f"{c}: {nonzero[c]}" for c in few],
                advice if not scratch else "A model from scratch will overfit: " + advice[0].lower()
                + advice[1:],
            ))
    params = PARAMETER_COUNTS.get(backbone or "")
    if params is not None and num_samples > 0:
        ratio = params / num_samples
        risky = scratch and ratio > MAX_PARAMS_PER_SAMPLE
        title = (f"{backbone} has about {params:,} parameters for {num_samples:,} training samples "
                 f"({ratio:,.0f} per sample)")
        if risky:
            advice = "High overfitting risk: use a pretrained backbone, more data, or strong regularization."
        elif scratch:
            advice = ("Keep regularization on (augmentation, weight decay, dropout) and watch the validation "
                      "loss.")
        else:
            advice = ("Pretrained weights keep this in check: freeze more layers the fewer samples you have, "
                      "and fine-tune everything only with plenty of data.")
        checks.append(Check("model-size", "warning" if risky else "info", title, num_samples, [], advice))
    return checks
