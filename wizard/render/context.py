"""The template context: resolved answers (typed, as in the answers file) plus the README's decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel

from wizard import __version__, timm_models
from wizard.answers import Answers, answers_to_dict, dump_answers_yaml
from wizard.catalogue import show_value
from wizard.knowledge import Decision, Resolution, source_label
from wizard.vocabulary import FEW_PER_CLASS, IMAGE_TASKS, MIN_PER_CLASS, SCRATCH, TABULAR_TASKS, WEIGHTS_MAX

EXTENSIONS = ["local_extensions.TrainwizardExtension"]
LISTED = 4  # list values longer than this (hundreds of excluded files) are shortened in the README's headings
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
MIN_STD = 0.01  # a channel this flat (a constant background) would blow up after normalization


def decision_rows(decisions: list[Decision], lang: str) -> list[dict[str, str]]:
    """The decisions as plain strings for the README's "Decisions" section."""
    return [
        {
            "key": d.key,
            "title": d.title,
            "value": show_value(d.value, empty="(none)", most=LISTED),
            "recommended": show_value(d.recommended, empty="(none)", most=LISTED),
            "source": source_label(d.source, lang),
            "reason": d.reason,
            "alternatives": d.alternatives,
            "warnings": list(d.warnings),
        }
        for d in decisions
        if d.reason
    ]


def build_context(resolution: Resolution, project_dir: Path, *, data_report_md: str = "") -> dict[str, Any]:
    """Everything the template sees under `cookiecutter`; paths are made relative to the project folder."""
    answers = resolution.answers
    lang = answers.meta.lang
    context = answers_to_dict(answers, relative_to=project_dir)
    context.pop("meta")
    context.pop("version")
    context["slug"] = answers.slug
    context["_normalize"] = normalization_stats(answers)
    context["_decisions"] = decision_rows(resolution.decisions, lang)
    context["_answers_yaml"] = dump_answers_yaml(answers, relative_to=project_dir)
    context["_data_report_md"] = data_report_md
    context["_trainwizard_version"] = __version__
    context["_lang"] = lang
    context["_extensions"] = list(EXTENSIONS)
    context["_vocabulary"] = vocabulary_values()
    context["_limits"] = config_limits()
    return context


def vocabulary_values() -> dict[str, Any]:
    """The wizard's task families and data thresholds, for generated code that checks the data the same way
    (check_data.py's too-few-per-class and imbalance warnings)."""
    return {
        "image_tasks": list(IMAGE_TASKS),
        "tabular_tasks": list(TABULAR_TASKS),
        "min_per_class": MIN_PER_CLASS,
        "few_per_class": FEW_PER_CLASS,
        "imbalance_warn": int(WEIGHTS_MAX),
    }


LIMIT_SECTIONS = ("data", "model", "regularization", "imbalance", "training")  # the answers config.yaml holds


def config_limits(model: type[BaseModel] = Answers, prefix: str = "") -> dict[str, str]:
    """The answers' numeric bounds as the generated config.py checks them, by config key: for
    data.image_size (ge=32, le=2048) the Python text `(lambda v: 32 <= v <= 2048, ">= 32 and <= 2048")`.

    One source for both: a value the wizard refuses, the generated project refuses too."""
    limits: dict[str, str] = {}
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        if not prefix and name not in LIMIT_SECTIONS:
            continue
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            limits.update(config_limits(info.annotation, f"{key}."))
            continue
        low = next((m for m in info.metadata if isinstance(m, (annotated_types.Ge, annotated_types.Gt))), None)
        high = next((m for m in info.metadata if isinstance(m, (annotated_types.Le, annotated_types.Lt))), None)
        if low is None and high is None:
            continue
        test, words = "v", []
        if high is None:  # `v >= 0`, not `0 <= v`
            op, bound = (">=", low.ge) if isinstance(low, annotated_types.Ge) else (">", low.gt)
            limits[key] = f'(lambda v: v {op} {bound!r}, "{op} {bound!r}")'
            continue
        if isinstance(low, annotated_types.Ge):
            test, words = f"{low.ge!r} <= {test}", [f">= {low.ge!r}"]
        elif isinstance(low, annotated_types.Gt):
            test, words = f"{low.gt!r} < {test}", [f"> {low.gt!r}"]
        if isinstance(high, annotated_types.Le):
            test, words = f"{test} <= {high.le!r}", [*words, f"<= {high.le!r}"]
        elif isinstance(high, annotated_types.Lt):
            test, words = f"{test} < {high.lt!r}", [*words, f"< {high.lt!r}"]
        limits[key] = f'(lambda v: {test}, "{" and ".join(words)}")'
    return limits


def normalization_stats(answers: Answers) -> dict[str, Any]:
    """The per-channel mean/std images are normalized with: ImageNet's for pretrained weights (their filters
    expect them), the timm weights' own for a pretrained timm backbone (its tag's, else timm's default tag's:
    CLIP-style weights differ from ImageNet's), the dataset's own (the scan's sample) for a model trained from
    scratch."""
    facts = answers.meta.facts
    if answers.model.source == SCRATCH and facts is not None and len(facts.pixel_mean) == 3:
        std = [max(MIN_STD, round(s, 4)) for s in facts.pixel_std]
        return {"mean": [round(m, 4) for m in facts.pixel_mean], "std": std, "source": "dataset"}
    if answers.model.source != SCRATCH and timm_models.is_timm(answers.model.backbone):
        stats = timm_models.weights_stats(answers.model.backbone)
        if stats is not None:
            return {"mean": stats[0], "std": stats[1], "source": "timm"}
    return {"mean": IMAGENET_MEAN, "std": IMAGENET_STD, "source": "imagenet"}
