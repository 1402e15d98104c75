"""`trainwizard explain`: the topic list, the teaching texts in en/zh, help per answers key, bad topics."""

from __future__ import annotations

import io
import sys

import pytest

from wizard.answers import leaf_keys
from wizard.console import show_markdown
from wizard.errors import UsageError
from wizard.knowledge import TOPICS, explain, explain_for_key, topic_for_key, topic_listing, topics
from wizard.knowledge.texts import LANGS

REQUIRED_TOPICS = {
    "normalization",
    "pretrained",
    "freezing",
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
    "image-domain",
    "tables",
    "tracking",
}

# What each topic must teach (SPEC §4), in English.
CONTENT = {
    "pretrained": ["ImageNet", "VGG16", "ResNet50", "DenseNet121", "He et al.", "still usually help"],
    "freezing": ["100", "1,000", "head-only", "early-layers", "gradual"],
    "normalization": ["above ~10", "2–10", "InstanceNorm", "LayerNorm", "frozen-batchnorm", "statistics"],
    "augmentation": ["Vertical flips only for orientation-free data", "Random crops", "Colour changes"],
    "l1-l2": ["exactly zero", "not differentiable at zero", "weight decay", "AdamW"],
    "dropout": ["0.5", "small data", "BatchNorm", "training time", "bagging"],
    "dropconnect": ["weights", "activations", "stochastic depth", "drop_path_rate"],
    "spatial-dropout": ["entire feature maps", "lower (early) conv layers", "correlated"],
    "early-stopping": ["underfitting", "overfitting", "Patience"],
    "multiscale-pooling": ["context", "1×1, 2×2 and 4×4"],
    "imbalance": [
        "oversampling",
        "Undersampling",
        "class-weighted",
        "Focal",
        "Never combine",
        "3:1",
        "100:1",
    ],
    "metrics": [
        "Precision",
        "Recall",
        "F1",
        "| high | high |",
        "| high | low |",
        "| low | high |",
        "| low | low |",
    ],
    "capacity": ["Karpathy", "overfit", "ln C", "regularization"],
    "data-checks": ["label", "duplicates", "imbalance ratio", "negative"],
    "optimizers": ["AdamW", "3e-4", "0.01–0.1", "batch/256", "cosine"],
    "image-domain": ["ImageNet", "no flips", "rotate90", "laterality", "data.mean"],
    "tables": ["Standardized", "baseline.py", "gradient-boosted", "LayerNorm"],
    "tracking": ["metrics.csv", "main process", "SQLite", "offline", "wandb sync", "--resume"],
}


def test_the_topics_are_the_required_ones() -> None:
    assert set(TOPICS) == REQUIRED_TOPICS
    for lang in LANGS:
        listed = topics(lang)
        assert [name for name, _ in listed] == list(TOPICS)
        assert all(title.strip() for _, title in listed)


@pytest.mark.parametrize("topic", sorted(CONTENT))
def test_each_topic_teaches_its_points(topic: str) -> None:
    body = explain(topic, "en")
    for phrase in CONTENT[topic]:
        assert phrase in body, (topic, phrase)
    assert explain(topic, "zh").startswith("# ")
    assert explain(topic, "zh") != body


def test_topics_name_where_the_references_correct_the_notes() -> None:
    assert "refine" in explain("pretrained") and "修正" in explain("pretrained", "zh")
    assert "timm" in explain("dropconnect") and "随机深度" in explain("dropconnect", "zh")
    assert "Swapping" in explain("normalization") and "冻结" in explain("normalization", "zh")


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("Normalization", "normalization"),
        ("early_stopping", "early-stopping"),
        ("L2", "l1-l2"),
        ("weight decay", "l1-l2"),
        ("lr", "optimizers"),
        ("spp", "multiscale-pooling"),
        ("f1", "metrics"),
    ],
)
def test_topic_names_are_forgiving(typed: str, topic: str) -> None:
    assert explain(typed) == explain(topic)


def test_an_unknown_topic_suggests_and_lists() -> None:
    with pytest.raises(UsageError) as raised:
        explain("normalisation")
    message = str(raised.value)
    assert "did you mean 'normalization'" in message
    assert all(topic in message for topic in TOPICS)
    with pytest.raises(UsageError, match="unknown topic 'zzz' \\(topics:"):
        explain("zzz")


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(UsageError, match="available: en, zh"):
        explain("dropout", "de")
    with pytest.raises(UsageError):
        topics("fr")


@pytest.mark.parametrize("lang", LANGS)
def test_every_answers_key_has_help(lang: str) -> None:
    for key in leaf_keys():
        assert explain_for_key(key, lang).strip(), key
    assert explain_for_key("normalization", lang) == explain("normalization", lang)
    assert explain_for_key("regularization.early_stopping", lang) == explain("early-stopping", lang)


def test_keys_map_to_the_topic_that_teaches_them() -> None:
    assert topic_for_key("model.freeze") == "freezing"
    assert topic_for_key("regularization.early_stopping.patience") == "early-stopping"
    assert topic_for_key("regularization.early_stopping.monitor") == "metrics"
    assert topic_for_key("training.lr") == "optimizers"
    assert topic_for_key("data.label_column") == "data-checks"
    assert topic_for_key("project.name") is None
    assert topic_for_key("regularization") == "capacity" and topic_for_key("model") == "pretrained"
    with pytest.raises(UsageError, match="did you mean 'model.freeze'"):
        explain_for_key("model.frezze")


def test_explain_command_prints_plain_text_when_piped(run_cli) -> None:
    listing = topic_listing("en")
    assert listing.startswith("Topics") and all(f"  {t} " in listing for t in TOPICS)
    assert run_cli("explain").out == listing + "\n"
    body = run_cli("explain", "metrics", "--lang", "zh").out
    assert body.startswith("# 各类别的精确率") and "召回率" in body


def test_explain_command_renders_markdown_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    show_markdown(explain("normalization", "en"))
    rendered = out.getvalue()
    assert "GroupNorm" in rendered and "# Which" not in rendered  # the heading is rendered, not raw Markdown


def test_cli_explain(run_cli) -> None:
    listed = run_cli("explain")
    assert listed.code == 0 and "capacity" in listed.out
    zh = run_cli("explain", "imbalance", "--lang", "zh")
    assert zh.code == 0 and "类别不平衡" in zh.out
    bad = run_cli("explain", "normalisation")
    assert bad.code == 2 and "did you mean 'normalization'" in bad.err and "Traceback" not in bad.err
