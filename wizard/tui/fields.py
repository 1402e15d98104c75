"""Provides the wizard's question specs, read from the answers model (types, allowed values, bounds, help)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel

from wizard import vocabulary
from wizard.answers import (
    Answers,
    AnswersError,
    TypedNames,
    get_dotted,
    set_dotted,
    validate_answers,
    validation_problems,
)
from wizard.combinations import combination_problems

Kind = Literal["choice", "multi", "int", "float", "bool", "text", "list", "path"]


@dataclass(frozen=True)
class FieldSpec:
    """One question: its dotted answers key, the kind of control, allowed values, bounds and help text."""

    key: str
    kind: Kind
    description: str
    choices: tuple[str, ...] = ()
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    optional: bool = False
    """Empty means "left out" (e.g. the package name, derived from the name)."""
    integers: bool = False
    """A list of whole numbers (e.g. layer widths), not of names."""
    typed: TypedNames | None = None
    """A choice that also takes typed names with this prefix (e.g. timm/<architecture>): the row adds an option
    that opens a text input."""

    @property
    def widget_id(self) -> str:
        """The DOM id of the control ('training.batch_size' -> 'training-batch_size')."""
        return self.key.replace(".", "-")

    def bounds_text(self) -> str:
        """The allowed range in words, e.g. '> 0 and ≤ 10'."""
        parts = [f"{op} {_num(v)}" for op, v in ((">", self.gt), ("≥", self.ge), ("<", self.lt), ("≤", self.le))
                 if v is not None]
        return " and ".join(parts)

    def parse(self, text: str) -> Any:
        """The typed value of an input's text (call only on text that passed validation); an empty list
        input is the empty list, any other empty input the empty string."""
        text = text.strip()
        if not text and self.kind != "list":
            return text
        if self.kind == "int":
            return int(text)
        if self.kind == "float":
            return float(text)
        if self.kind == "list":
            parts = [part.strip() for part in text.split(",") if part.strip()]
            return [int(p) if self.integers and p.lstrip("-").isdigit() else p for p in parts]
        return text

    def format(self, value: Any) -> str:
        """The text an input shows for a value."""
        if value is None:
            return ""
        if self.kind == "list":
            return ", ".join(map(str, value))
        if self.kind == "float":
            return _num(value)
        return str(value)


def _num(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1 or value == 0 else repr(value)
    return repr(value) if isinstance(value, float) else str(value)


def _field_info(key: str) -> tuple[Any, Any]:
    model: type[BaseModel] = Answers
    info = None
    for part in key.split("."):
        info = model.model_fields[part]
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            model = info.annotation
    assert info is not None
    return info.annotation, info


@functools.cache
def spec(key: str) -> FieldSpec:
    """The question for one answers key, derived from the pydantic field (annotation, bounds, docstring)."""
    annotation, info = _field_info(key)
    bounds: dict[str, float] = {}
    for meta in info.metadata:
        for name, kind in (("ge", at.Ge), ("gt", at.Gt), ("le", at.Le), ("lt", at.Lt)):
            if isinstance(meta, kind):
                bounds[name] = getattr(meta, name)
    description = " ".join((info.description or "").split())  # a docstring wrapped over lines is one sentence
    annotation = _bare(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        typed = next((meta for meta in info.metadata if isinstance(meta, TypedNames)), None)
        return FieldSpec(key, "choice", description, tuple(args), typed=typed)
    if origin is list:
        inner = args[0]
        if get_origin(inner) is Literal:
            return FieldSpec(key, "multi", description, tuple(get_args(inner)))
        return FieldSpec(key, "list", description, integers=_bare(inner) is int)
    if annotation is bool:
        return FieldSpec(key, "bool", description)
    if annotation is int:
        return FieldSpec(key, "int", description, **bounds)
    if annotation is float:
        return FieldSpec(key, "float", description, **bounds)
    return FieldSpec(key, "text", description, optional=type(None) in args)


def _bare(annotation: Any) -> Any:
    """The type under `Annotated[...]` (the answers' Int and Float carry validators this form does not need)."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def field_problem(key: str, value: Any, lang: str = "en") -> str | None:
    """What the answers model says is wrong with one value on its own, in `lang` (None when it is fine)."""
    from pydantic import ValidationError

    from wizard.tui.strings import validation_message

    data: dict[str, Any] = {"project": {"name": "x"}}
    set_dotted(data, key, value)
    try:
        Answers.model_validate(data, context={"partial": True})
    except ValidationError as exc:
        found = list(zip(exc.errors(include_url=False), validation_problems(exc, data)))
        mine = [(err, message) for err, (where, message) in found if where == key or where.startswith(key + ".")]
        err, message = (mine or found)[0]
        return validation_message(lang, str(err["type"]), dict(err.get("ctx") or {}), message)
    return None


def in_bounds(field: FieldSpec, value: float) -> bool:
    """True when a number lies inside the field's bounds (strict ones included)."""
    if math.isnan(value):
        return False
    return not ((field.gt is not None and value <= field.gt) or (field.ge is not None and value < field.ge)
                or (field.lt is not None and value >= field.lt) or (field.le is not None and value > field.le))


def allowed_choices(key: str, values: dict[str, Any]) -> tuple[str, ...]:
    """The options of a choice (or items of a multi-choice) that fit the other answers, per the model's
    combination rules; never empty (falls back to every option)."""
    field = spec(key)
    base = _nested(values)
    allowed = []
    for choice in field.choices:
        trial = _copy(base)
        set_dotted(trial, key, [choice] if field.kind == "multi" else choice)
        if not _combination_problem(trial, key):
            allowed.append(choice)
    return tuple(allowed) or field.choices


def typed_allowed(key: str, values: dict[str, Any]) -> bool:
    """Whether a typed name (the field's example) fits the other answers, so the row offers to type one (no:
    a timm model for a table)."""
    field = spec(key)
    if field.typed is None:
        return False
    trial = _nested(values)
    set_dotted(trial, key, field.typed.example)
    return not _combination_problem(trial, key)


def _combination_problem(data: dict[str, Any], key: str) -> bool:
    try:
        answers = validate_answers(data, partial=True)
    except AnswersError:
        return False
    return any(p.startswith(key + ":") for p in combination_problems(answers))


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in data.items()}


def _nested(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in values.items():
        set_dotted(data, key, value)
    data.setdefault("project", {}).setdefault("name", "x")
    data["project"].pop("slug", None)
    return data


def applies(key: str, values: dict[str, Any]) -> bool:
    """Whether a question matters given the other answers (e.g. focal gamma only with focal loss); hidden
    questions still follow their recommendation."""
    return vocabulary.applies(key, values)


def flatten(answers: Answers, keys: list[str]) -> dict[str, Any]:
    """The values of `keys` from a model, as a flat dotted mapping."""
    return {key: get_dotted(answers, key) for key in keys}
