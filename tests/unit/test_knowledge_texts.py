"""The en/zh catalogues (knowledge, CLI and the wizard's screens): same keys, same placeholders, nothing empty,
every rule text present and used, every screen text used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.test_knowledge_rules import RECOMMENDATIONS, WARNINGS, resolved
from wizard.knowledge import TOPICS
from wizard.knowledge.engine import RULES, recommend
from wizard.knowledge.situation import Situation
from wizard.knowledge.texts import LANGS, SECTIONS, catalogue, placeholders

TUI_DIR = Path(__file__).resolve().parents[2] / "wizard" / "tui"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Names that stay as they are in Chinese technical writing.
UNTRANSLATED = {
    ("titles", "regularization.dropconnect"),
    ("titles", "regularization.spatial_dropout"),
    ("topic_titles", "dropout"),
    ("tui", "title"),
    ("tui", "sep"),
    ("field_labels", "regularization.l1"),
    ("field_labels", "regularization.dropconnect"),
    ("field_labels", "imbalance.focal_gamma"),
}


def _used_texts() -> tuple[set[str], set[str]]:
    """The reason and warning keys the rules produce over every situation of the rule tables."""
    reasons: set[str] = set()
    warnings: set[str] = set()
    for row in [*RECOMMENDATIONS, *WARNINGS]:
        answers = resolved(row[1], row[2]).answers
        sources = answers.meta.sources
        explicit = frozenset(k for k, s in sources.items() if s == "answer")
        situation = Situation(answers.model_dump(mode="json"), explicit, answers.meta.facts)
        for rule in RULES:
            advice = rule.advise(situation)
            if advice is None:
                continue
            reasons.add(advice.reason)
            notes = [*advice.notes, *rule.check(situation, situation.get(rule.key))]
            warnings.update(note.key for note in notes)
    return reasons, warnings


@pytest.mark.parametrize("section", SECTIONS)
def test_both_catalogues_have_the_same_keys_and_no_empty_text(section: str) -> None:
    en, zh = catalogue("en")[section], catalogue("zh")[section]
    assert en, f"{section} is empty"
    assert set(en) == set(zh)
    for lang in LANGS:
        assert all(value.strip() for value in catalogue(lang)[section].values()), (lang, section)


@pytest.mark.parametrize("section", SECTIONS)
def test_translations_use_the_same_placeholders(section: str) -> None:
    en, zh = catalogue("en")[section], catalogue("zh")[section]
    for name in en:
        assert placeholders(en[name]) == placeholders(zh[name]), f"{section}.{name}"


@pytest.mark.parametrize("section", [s for s in SECTIONS if s != "ui"])
def test_the_chinese_catalogue_is_translated(section: str) -> None:
    for name, value in catalogue("zh")[section].items():
        if (section, name) not in UNTRANSLATED:
            assert CJK.search(value), f"zh {section}.{name} has no Chinese text"


def test_every_rule_and_topic_has_its_texts_in_both_languages() -> None:
    for lang in LANGS:
        texts = catalogue(lang)
        for rule in RULES:
            assert texts["titles"][rule.key] and texts["alternatives"][rule.key], (lang, rule.key)
            assert rule.topic in TOPICS
        for topic in TOPICS:
            assert texts["topics"][topic].startswith("# ") and texts["topic_titles"][topic], (lang, topic)
        assert set(texts["titles"]) == set(texts["alternatives"]) == {rule.key for rule in RULES}
        assert set(texts["topics"]) == set(texts["topic_titles"]) == set(TOPICS)


def test_every_reason_and_warning_is_reached_by_the_rule_tables_and_exists() -> None:
    """No text without a rule, no rule without a text: the tables exercise every reason and warning."""
    reasons, warnings = _used_texts()
    assert reasons == set(catalogue("en")["reasons"])
    assert warnings == set(catalogue("en")["warnings"])


@pytest.mark.parametrize("lang", LANGS)
def test_no_placeholder_is_left_unfilled(lang: str) -> None:
    for row in [*RECOMMENDATIONS, *WARNINGS]:
        answers = resolved(row[1], row[2]).answers
        for decision in recommend(answers, lang=lang):
            for text in (decision.title, decision.reason, decision.alternatives, *decision.warnings):
                assert text and not re.search(r"\{\w+\}", text), (row[0], decision.key, text)


def test_wrapped_lines_are_joined_per_language() -> None:
    """Reasons are single paragraphs: English joins wrapped lines with a space, Chinese without one."""
    en, zh = catalogue("en")["reasons"], catalogue("zh")["reasons"]
    assert "\n" not in en["freeze.few"] and "\n" not in zh["freeze.few"]
    assert "过拟合" in zh["freeze.few"] and "过 拟合" not in zh["freeze.few"]
    assert "\n\n" in catalogue("en")["topics"]["normalization"]  # topics keep their Markdown layout


def test_every_screen_text_is_used_and_every_text_the_screens_ask_for_exists() -> None:
    """The wizard asks for its texts by name (t(lang, "name"), or t(lang, f"prefix.{...}")): no name without
    a text, and no text whose name the screens never spell out."""
    readers = [*TUI_DIR.rglob("*.py"), TUI_DIR.parent / "workflow.py"]  # workflow: the commands' comments
    source = "\n".join(path.read_text(encoding="utf-8") for path in readers)
    asked = set(re.findall(r"\bt\([^,()]+, [\"']([\w.-]+)[\"']", source))
    prefixes = tuple(set(re.findall(r"\bt\([^,()]+, f[\"']([\w-]+\.)\{", source)) | {"validation."})
    texts = set(catalogue("en")["tui"])
    assert len(asked) > 50 and len(prefixes) > 3 and asked <= texts
    unused = {name for name in texts if not name.startswith(prefixes) and not re.search(f"[\"']{name}[\"']", source)}
    assert unused == set()


def test_a_one_line_screen_text_keeps_its_edge_spaces_and_a_wrapped_one_is_joined() -> None:
    from wizard.tui.strings import t

    assert t("en", "outcome_left_out", n=3) == " (3 left out)" and t("zh", "outcome_left_out", n=3) == "（排除 3 个）"
    assert t("en", "sep") == "; "
    metrics = t("zh", "metrics")
    assert "\n" not in metrics and "调和平均 F1；macro-F1" in metrics


def test_english_help_is_the_answers_model_docstring_unless_the_wizard_says_otherwise() -> None:
    from wizard.tui.fields import spec
    from wizard.tui.state import UI_KEYS

    help_lines = catalogue("en")["field_help"]
    differs = {key for key in UI_KEYS if help_lines[key] != spec(key).description}
    assert differs == {"data.path"} and "current folder" in help_lines["data.path"]
