"""`trainwizard explain`: the teaching texts behind the rules, by topic or by answers key."""

from __future__ import annotations

import difflib

from wizard.answers import leaf_keys
from wizard.errors import UsageError
from wizard.knowledge.texts import catalogue, check_lang, text
from wizard.vocabulary import MLP

TOPICS: tuple[str, ...] = (
    "image-domain",
    "pretrained",
    "freezing",
    "normalization",
    "augmentation",
    "l1-l2",
    "dropout",
    "dropconnect",
    "spatial-dropout",
    "early-stopping",
    "multiscale-pooling",
    "imbalance",
    "metrics",
    "capacity",
    "data-checks",
    "optimizers",
    "tables",
    "tracking",
)
# Other names people type for a topic.
ALIASES: dict[str, str] = {
    "l1": "l1-l2",
    "l2": "l1-l2",
    "weight-decay": "l1-l2",
    "regularization": "l1-l2",
    "batchnorm": "normalization",
    "groupnorm": "normalization",
    "norm": "normalization",
    "drop-connect": "dropconnect",
    "spatialdropout": "spatial-dropout",
    "dropout2d": "spatial-dropout",
    "fine-tuning": "freezing",
    "freeze": "freezing",
    "scratch": "pretrained",
    "backbone": "pretrained",
    "timm": "pretrained",
    "spp": "multiscale-pooling",
    "class-imbalance": "imbalance",
    "precision": "metrics",
    "recall": "metrics",
    "f1": "metrics",
    "capacity-test": "capacity",
    "overfit": "capacity",
    "data": "data-checks",
    "check-data": "data-checks",
    "optimizer": "optimizers",
    "lr": "optimizers",
    "learning-rate": "optimizers",
    "scheduler": "optimizers",
    "epochs": "early-stopping",
    "domain": "image-domain",
    "mirror": "image-domain",
    "flip": "augmentation",
    "tabular": "tables",
    MLP: "tables",
    "baseline": "tables",
    "baselines": "tables",
    "tracker": "tracking",
    "experiment-tracking": "tracking",
    "tensorboard": "tracking",
    "mlflow": "tracking",
    "wandb": "tracking",
    "w&b": "tracking",
}
# Answers keys (or their section prefixes) -> the topic that teaches them; the longest prefix wins.
KEY_TOPICS: dict[str, str] = {
    "task": "data-checks",
    "data": "data-checks",
    "model": "pretrained",
    "model.source": "pretrained",
    "model.backbone": "pretrained",
    "model.freeze": "freezing",
    "model.unfreeze_epoch": "freezing",
    "model.head_dropout": "dropout",
    "model.multiscale_pooling": "multiscale-pooling",
    "model.hidden_sizes": "tables",
    "data.domain": "image-domain",
    "data.mirror_keeps_label": "image-domain",
    "data.image_size": "image-domain",
    "normalization": "normalization",
    "regularization": "capacity",
    "regularization.augmentation": "augmentation",
    "regularization.l1": "l1-l2",
    "regularization.l2": "l1-l2",
    "regularization.dropconnect": "dropconnect",
    "regularization.spatial_dropout": "spatial-dropout",
    "regularization.early_stopping": "early-stopping",
    "regularization.early_stopping.monitor": "metrics",
    "imbalance": "imbalance",
    "training": "optimizers",
    "training.epochs": "early-stopping",
    "training.tracker": "tracking",
}


def topics(lang: str = "en") -> list[tuple[str, str]]:
    """Every topic with its one-line title, in teaching order."""
    return [(name, text(check_lang(lang), "topic_titles", name)) for name in TOPICS]


def find_topic(topic: str) -> str:
    """The topic name for what the user typed (case, '_' and aliases forgiven), or a UsageError."""
    name = topic.strip().lower().replace("_", "-").replace(" ", "-")
    name = ALIASES.get(name, name)
    if name in TOPICS:
        return name
    hint = difflib.get_close_matches(name, [*TOPICS, *ALIASES], n=1)
    suggestion = f"; did you mean '{ALIASES.get(hint[0], hint[0])}'?" if hint else ""
    raise UsageError(f"unknown topic {topic!r}{suggestion} (topics: {', '.join(TOPICS)})")


def explain(topic: str, lang: str = "en") -> str:
    """The teaching text of a topic, as Markdown."""
    check_lang(lang)
    return catalogue(lang)["topics"][find_topic(topic)]


def topic_for_key(dotted_key: str) -> str | None:
    """The topic that teaches an answers key; None for the project's labels (name, slug ...)."""
    parts = dotted_key.split(".")
    for end in range(len(parts), 0, -1):
        topic = KEY_TOPICS.get(".".join(parts[:end]))
        if topic:
            return topic
    return None


def explain_for_key(dotted_key: str, lang: str = "en") -> str:
    """The help for one answers key (the UI's F1): the teaching text of its topic."""
    check_lang(lang)
    if dotted_key not in leaf_keys() and not any(k.startswith(dotted_key + ".") for k in leaf_keys()):
        hint = difflib.get_close_matches(dotted_key, leaf_keys(), n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        raise UsageError(f"unknown answers key {dotted_key!r}{suggestion}")
    topic = topic_for_key(dotted_key)
    if topic is None:
        return text(lang, "ui", "project_help")
    return explain(topic, lang)


def topic_listing(lang: str = "en") -> str:
    """What `trainwizard explain` shows without a topic: a header, then each topic's name and title."""
    check_lang(lang)
    rows = topics(lang)
    width = max(len(name) for name, _ in rows)
    lines = [
        text(lang, "ui", "topics_header"),
        *(f"  {name.ljust(width)}  {title}" for name, title in rows),
    ]
    return "\n".join(lines)
