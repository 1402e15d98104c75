"""The answers an update renders: recorded ones plus your changes; recommendations move only with a change.

The rule, in full:
1. Your keys keep their values: keys recorded as your answer, keys you edited by hand in .trainwizard.yml
   since the last render, and keys given with `--answers FILE` or `--set KEY=VALUE` (those win, `--set` last).
2. Every other key (recorded as recommended or default) keeps its recorded value, unless your changes alter
   what the rules recommend for it: the rules are run twice on your keys alone, once before and once after
   your changes, and a key whose result differs takes the new recommendation. So `--set training.batch_size=1`
   re-recommends `normalization`, while a newer trainwizard whose rules would now pick another value for an
   untouched key changes nothing (the summary lists such keys, so you can opt in with --set).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wizard.answers import (
    Answers,
    DataFacts,
    explicit_keys,
    get_dotted,
    leaf_keys,
    load_answers_data,
    locate_error,
    parse_assignment,
    set_dotted,
    validate_answers,
)
from wizard.errors import AnswersError, UsageError
from wizard.knowledge import Resolution, resolve
from wizard.safeyaml import load_yaml

RULE_TEXT = (
    "Keys you answered, edited in .trainwizard.yml or set now keep your values; recommended and default "
    "values stay as recorded unless your change alters what the rules recommend for them."
)
_WRITTEN_BY_TRAINWIZARD = ("meta", "version")


@dataclass(frozen=True)
class AnswerChange:
    """One key whose value the update changes, and why."""

    key: str
    old: Any
    new: Any
    why: str


@dataclass
class UpdatedAnswers:
    """The resolved answers to render, what changed and what the rules would now pick differently."""

    resolution: Resolution
    changes: list[AnswerChange] = field(default_factory=list)
    stale: list[AnswerChange] = field(default_factory=list)
    """Keys kept as recorded although the rules now recommend another value (old: kept, new: recommended)."""


def answered_keys(recorded: Answers) -> set[str]:
    """The keys recorded as the user's own answers."""
    return {key for key, source in recorded.meta.sources.items() if source == "answer"}


def hand_edited_keys(current_text: str, pristine_text: bytes | None) -> set[str]:
    """Keys whose value in the project's .trainwizard.yml differs from the one the last render wrote."""
    if pristine_text is None:
        return set()
    try:
        current = _comparable(load_yaml(current_text))
        pristine = _comparable(load_yaml(pristine_text.decode("utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError, AnswersError):
        return set()  # an unreadable old record: nothing counts as hand-edited
    return {key for key in _answer_keys() if get_dotted(current, key) != get_dotted(pristine, key)}


def _comparable(data: Any) -> dict[str, Any]:
    # Validated without resolving data.path, so both files compare their paths as written.
    return validate_answers(data, partial=True).model_dump(mode="json")


def _answer_keys() -> list[str]:
    return [key for key in leaf_keys() if key != "version"]


def collect_overrides(
    recorded: Answers, answers_file: Path | None, assignments: Sequence[str]
) -> dict[str, Any]:
    """Dotted key -> value from `--answers FILE`, then `--set KEY=VALUE` (later wins), model-checked."""
    overrides: dict[str, Any] = {}
    if answers_file is not None:
        overrides.update(_file_overrides(recorded, answers_file))
    if assignments:
        overrides.update(_set_overrides(recorded, assignments))
    return overrides


def _file_overrides(recorded: Answers, path: Path) -> dict[str, Any]:
    raw = load_answers_data(path)  # unreadable files are reported with their path; data.path made absolute
    project = raw.get("project")
    given_project = set(project) if isinstance(project, dict) else set()
    if project is None:
        raw["project"] = project = {}
    if isinstance(project, dict):
        project.setdefault("name", recorded.project.name)  # a partial file for update may leave the name out
    try:
        given = validate_answers(raw, source=str(path), partial=True)
    except AnswersError as exc:
        raise locate_error(exc, path) from None
    dumped = given.model_dump(mode="json")
    keys = {
        key
        for key in explicit_keys(given)
        if key.split(".")[0] not in _WRITTEN_BY_TRAINWIZARD
        and (not key.startswith("project.") or key.split(".")[1] in given_project)
    }
    return {key: get_dotted(dumped, key) for key in keys}


def _set_overrides(recorded: Answers, assignments: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"project": {"name": recorded.project.name}}
    assigned: list[str] = []
    for text in assignments:
        key, value = parse_assignment(text)
        if key.split(".")[0] in _WRITTEN_BY_TRAINWIZARD:
            raise UsageError(
                f"--set {key}: is written by trainwizard, not an answer; allowed: the keys of "
                "`trainwizard schema` other than meta and version"
            )
        set_dotted(data, key, value)
        assigned.append(key)
    given = validate_answers(data, source="--set", partial=True)
    dumped = given.model_dump(mode="json")
    overrides = {
        key: get_dotted(dumped, key)
        for key in explicit_keys(given)
        if any(key == a or key.startswith(a + ".") for a in assigned)
    }
    if isinstance(overrides.get("data.path"), str):
        # A path typed on the command line is relative to where it was typed.
        overrides["data.path"] = str(Path(overrides["data.path"]).expanduser().absolute())
    return overrides


def resolve_update(
    recorded: Answers, user_keys: set[str], overrides: dict[str, Any], facts: DataFacts | None
) -> UpdatedAnswers:
    """Apply the rule in this module's docstring; errors name the keys that do not combine."""
    record = recorded.model_dump(mode="json")
    lang = recorded.meta.lang
    after = _resolve_partial(record, user_keys, overrides, facts, lang)
    try:
        before = _resolve_partial(record, user_keys, {}, facts, lang).answers.model_dump(mode="json")
    except AnswersError:
        before = record  # the recorded answers no longer resolve alone: every recorded value is the base
    after_data = after.answers.model_dump(mode="json")
    final = copy.deepcopy(record)
    sources: dict[str, str] = {}
    changes: list[AnswerChange] = []
    stale: list[AnswerChange] = []
    for key in leaf_keys():
        old, now = get_dotted(record, key), get_dotted(after_data, key)
        source: str | None
        if key in overrides or key in user_keys:
            value, source, why = now, "answer", "your change"
        elif key.startswith("project.") or key == "version":
            # Not the rules' to fill: as recorded (the slug does not follow a new name).
            value, source, why = now, recorded.meta.sources.get(key), ""
        elif now != get_dotted(before, key):
            source = after.answers.meta.sources.get(key, "default")
            value, why = now, f"{source}: follows your change"
        else:
            value, source, why = old, recorded.meta.sources.get(key, "default"), ""
            if now != old:
                stale.append(AnswerChange(key, old, now, "now recommended"))
        set_dotted(final, key, value)
        if source is not None:
            sources[key] = source
        if value != old:
            changes.append(AnswerChange(key, old, value, why))
    final["meta"]["sources"] = sources
    final["meta"]["facts"] = facts.model_dump(mode="json") if facts is not None else None
    try:
        resolution = resolve(
            validate_answers(final, source="the updated answers", partial=True), facts, lang=lang
        )
    except AnswersError as exc:
        raise _combination_error(exc) from None
    return UpdatedAnswers(resolution, changes, stale)


def _resolve_partial(
    record: dict[str, Any], user_keys: set[str], overrides: dict[str, Any], facts: DataFacts | None, lang: str
) -> Resolution:
    """What the rules pick for the other keys, given the user's keys alone (recorded, then overrides)."""
    data: dict[str, Any] = {
        "version": record["version"],
        "project": copy.deepcopy(record["project"]),
        "meta": {"lang": lang},
    }
    for key in user_keys:
        set_dotted(data, key, copy.deepcopy(get_dotted(record, key)))
    for key, value in overrides.items():
        set_dotted(data, key, copy.deepcopy(value))
    try:
        return resolve(validate_answers(data, source="the updated answers", partial=True), facts, lang=lang)
    except AnswersError as exc:
        raise _combination_error(exc) from None


def _combination_error(exc: AnswersError) -> AnswersError:
    problems = getattr(exc, "problems", None) or []
    error = AnswersError(
        f"the answers after this update do not combine ({len(problems) or 1} problem"
        f"{'s' if len(problems) > 1 else ''}); change them with --set KEY=VALUE or --answers FILE",
        details=[f"{key}: {message}" for key, message in problems] or exc.details,
    )
    error.problems = problems
    return error
