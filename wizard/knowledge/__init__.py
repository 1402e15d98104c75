"""The rules: the user's situation (answers so far + data facts) -> recommendations with reasons, in en/zh."""

from __future__ import annotations

from wizard.knowledge.engine import RULES, Decision, Resolution, recommend, resolve
from wizard.knowledge.explain import TOPICS, explain, explain_for_key, topic_for_key, topic_listing, topics
from wizard.knowledge.texts import LANGS, source_label

__all__ = [
    "LANGS",
    "RULES",
    "TOPICS",
    "Decision",
    "Resolution",
    "explain",
    "explain_for_key",
    "recommend",
    "resolve",
    "source_label",
    "topic_for_key",
    "topic_listing",
    "topics",
]
