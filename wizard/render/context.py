"""The template context: resolved answers (typed, as in the answers file) plus the README's decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import __version__
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


def normalization_stats(answers: Answers) -> dict[str, Any]:
    """The per-channel mean/std images are normalized with: ImageNet's for pretrained weights (their filters
    expect them), the dataset's own (the scan's sample) for a model trained from scratch."""
    facts = answers.meta.facts
    if answers.model.source == SCRATCH and facts is not None and len(facts.pixel_mean) == 3:
        std = [max(MIN_STD, round(s, 4)) for s in facts.pixel_std]
        return {"mean": [round(m, 4) for m in facts.pixel_mean], "std": std, "source": "dataset"}
    return {"mean": IMAGENET_MEAN, "std": IMAGENET_STD, "source": "imagenet"}
