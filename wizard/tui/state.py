"""Provides the wizard's state without any UI: what the user set, what the rules recommend, and the data report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from wizard.answers import (
    ANSWERS_VERSION,
    Answers,
    AnswersError,
    leaf_keys,
    set_dotted,
    slugify,
    validate_answers,
)
from wizard.tui.fields import applies, flatten

if TYPE_CHECKING:
    from wizard.datacheck import DataReport
    from wizard.knowledge import Decision, Resolution
    from wizard.workflow import Prepared

UI_KEYS: list[str] = [k for k in leaf_keys() if k != "version"]
_LEAVES = set(UI_KEYS)
SCAN_KEYS = ("data.path", "task", "data.label_column", "data.image_column", "data.label_columns", "model.backbone")
PLACEHOLDER_NAME = "project"


def _flatten_given(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        key = prefix + name
        if key in _LEAVES:
            out[key] = value
        elif isinstance(value, dict):
            out.update(_flatten_given(value, key + "."))
    return out


@dataclass
class Evaluation:
    """The outcome of applying the rules to the answers so far."""

    values: dict[str, Any]
    decisions: dict[str, Decision]
    problems: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    """Answers of the user's that no longer fit an upstream change and follow the recommendation again."""


class WizardState:
    """The answers the user set (prefilled from --answers or changed in the UI) and everything derived."""

    def __init__(self, partial: Answers | None, *, lang: str, cwd: Path, dest: Path | None = None) -> None:
        self.lang = lang
        self.cwd = cwd
        data = partial.model_dump(mode="json", exclude_unset=True) if partial is not None else {}
        self.meta: dict[str, Any] | None = data.pop("meta", None)
        self.version_given = "version" in data  # recorded as given, exactly as --no-input records it
        self.given: dict[str, Any] = _flatten_given(data)
        if partial is not None and self.given.get("project.slug") == slugify(partial.project.name):
            del self.given["project.slug"]  # derived from the name, so it keeps following the name
        self.dest: str | None = str(dest) if dest is not None else None
        self.report: DataReport | None = None
        self.report_inputs: tuple[Any, ...] | None = None
        """The scan inputs the report (or the scan error) belongs to."""
        self.scan_error: str | None = None
        """Why the data could not be checked, for `report_inputs` (None when it was, or was not tried)."""
        self.resolution: Resolution | None = None
        self.evaluation = Evaluation({}, {})
        self.evaluate()

    # --- the user's answers -----------------------------------------------------------------------------

    def set(self, key: str, value: Any) -> Evaluation:
        """Record an answer of the user's and re-evaluate the recommendations."""
        if key == "data.path":
            value = self.absolute_data_path(value) if str(value).strip() else None
        if value is None or (key == "project.slug" and not str(value).strip()):
            self.given.pop(key, None)
        else:
            self.given[key] = value
        if key in SCAN_KEYS and self.report_inputs is not None and self.scan_inputs() != self.report_inputs:
            self.report, self.report_inputs, self.scan_error = None, None, None  # it describes other data
        return self.evaluate(protect=key)

    def reset(self, key: str) -> Evaluation:
        """Forget the user's answer for `key`, so it follows the recommendation again."""
        self.given.pop(key, None)
        return self.evaluate()

    def absolute_data_path(self, text: str) -> str:
        """A typed data path made absolute against the folder the wizard started in."""
        path = Path(str(text).strip()).expanduser()
        return str(path if path.is_absolute() else (self.cwd / path).resolve())

    def display_path(self, value: str | None) -> str:
        """A path as shown in the UI: relative to the starting folder when it lies inside it."""
        if not value:
            return ""
        path = Path(value)
        if not path.is_absolute():
            return value
        try:
            return path.relative_to(self.cwd).as_posix() or "."
        except ValueError:
            return value

    @property
    def name(self) -> str:
        return str(self.given.get("project.name", ""))

    @property
    def slug(self) -> str:
        return str(self.given.get("project.slug") or slugify(self.name or PLACEHOLDER_NAME))

    def destination(self) -> Path:
        """Where the project will be written: the destination given, else ./<slug>."""
        path = Path(self.dest).expanduser() if self.dest else Path(self.slug)
        return path if path.is_absolute() else self.cwd / path

    def partial(self, *, placeholder_name: bool = False) -> Answers:
        """The answers holding only what the user set (what `--answers FILE` holds), validated partially."""
        data: dict[str, Any] = {"version": ANSWERS_VERSION} if self.version_given else {}
        for key in UI_KEYS:
            if key in self.given:
                set_dotted(data, key, self.given[key])
        if placeholder_name and not self.name.strip():
            set_dotted(data, "project.name", PLACEHOLDER_NAME)
        data["meta"] = {**(self.meta or {}), "lang": self.lang}
        return validate_answers(data, partial=True)

    # --- the rules ---------------------------------------------------------------------------------------

    @property
    def facts(self) -> Any:
        return self.report.facts() if self.report is not None else None

    def evaluate(self, protect: str | None = None) -> Evaluation:
        """Fill what the user left out with the recommendations; an answer of the user's that the combination
        rules reject after an upstream change is dropped (it follows the recommendation again)."""
        from wizard.knowledge import resolve

        dropped: list[str] = []
        problems: dict[str, str] = {}
        while True:
            try:
                resolution = resolve(self.partial(placeholder_name=True), self.facts, lang=self.lang)
            except AnswersError as exc:
                problems = dict(exc.problems)
                drop = [k for k in problems if k in self.given and k != protect and not k.startswith("project.")]
                if not drop:
                    break
                for key in drop:
                    del self.given[key]
                dropped.extend(drop)
                continue
            self.resolution = resolution
            values = flatten(resolution.answers, UI_KEYS)
            self.evaluation = Evaluation(values, {d.key: d for d in resolution.decisions}, {}, dropped)
            return self.evaluation
        self.resolution = None
        values = {**self.evaluation.values, **self.given}
        self.evaluation = Evaluation(values, self.evaluation.decisions, problems, dropped)
        return self.evaluation

    def source(self, key: str) -> str:
        """answer | recommended | default: where the value of `key` comes from."""
        if self.resolution is not None:
            return self.resolution.answers.meta.sources.get(key, "answer" if key in self.given else "default")
        return "answer" if key in self.given else "default"

    def applies(self, key: str) -> bool:
        return applies(key, self.evaluation.values)

    # --- data and generation -------------------------------------------------------------------------------

    def scan_inputs(self) -> tuple[Any, ...] | None:
        """What a data scan depends on (None when no data path was given, so nothing is scanned)."""
        if "data.path" not in self.given:
            return None
        partial = self.partial(placeholder_name=True)
        given = self.given
        return tuple(given.get(k) if k == "model.backbone" else _get(partial, k) for k in SCAN_KEYS)

    def needs_scan(self) -> bool:
        """True when data was given (and exists) but has not been checked with the current inputs."""
        inputs = self.scan_inputs()
        return inputs is not None and inputs != self.report_inputs and Path(self.given["data.path"]).exists()

    def scan_request(self) -> dict[str, Any] | None:
        """The arguments of the data scan for the current answers (None: nothing to scan)."""
        from wizard.workflow import scan_request

        return scan_request(self.partial(placeholder_name=True), required=False)

    def set_report(self, report: DataReport | None, inputs: tuple[Any, ...] | None,
                   error: str | None = None) -> Evaluation:
        """Record the outcome of the scan of `inputs`: its report, or why it failed."""
        self.report, self.report_inputs, self.scan_error = report, inputs, error
        return self.evaluate()

    def data_problem(self) -> str | None:
        """Why the data given cannot be used for training (a failed check, no images, one class …), or None."""
        inputs = self.scan_inputs()
        if inputs is None or inputs != self.report_inputs:
            return None
        if self.scan_error:
            return self.scan_error
        blocking = self.report.blocking if self.report is not None else None
        if blocking is None:
            return None
        title, advice, _ = blocking.texts(self.lang)
        return f"{title}. {advice}"

    def prepared(self) -> Prepared:
        """What `generate` renders: the same resolution `--no-input` computes from these answers."""
        from wizard.knowledge import resolve
        from wizard.workflow import Prepared

        return Prepared(resolution=resolve(self.partial(), self.facts, lang=self.lang), report=self.report)

    def answers_yaml(self, relative_to: Path) -> str:
        """What the user set, as an answers file that `--answers` reads back (data path relative to it)."""
        from wizard.answers import relative_path

        data: dict[str, Any] = {"version": ANSWERS_VERSION}
        for key in UI_KEYS:
            if key in self.given:
                value = self.given[key]
                if key == "data.path":
                    value = relative_path(value, relative_to)
                set_dotted(data, key, value)
        if self.meta:
            data["meta"] = self.meta
        header = "# trainwizard answers (version 1): what you set in the wizard; the rest follows recommendations.\n"
        return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _get(answers: Answers, key: str) -> Any:
    from wizard.answers import get_dotted

    value = get_dotted(answers, key)
    return tuple(value) if isinstance(value, list) else value


def relpath_or_abs(path: Path, start: Path) -> str:
    """`path` relative to `start` when inside it, else absolute."""
    try:
        return path.relative_to(start).as_posix()
    except ValueError:
        return os.fspath(path)
