"""Provides FieldRow: one question built from its FieldSpec, with its recommendation, warnings and problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.message import Message
from textual.validation import Function, Integer, Number, ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch
from textual.widgets.selection_list import Selection

from wizard.catalogue import show_value
from wizard.tui.fields import FieldSpec, field_problem, in_bounds
from wizard.tui.strings import help_text, label, t
from wizard.tui.widgets.controls import QuestionList, QuestionSelect

if TYPE_CHECKING:
    from wizard.knowledge import Decision


class ModelRule(Validator):
    """Validates one text value with the answers model itself (e.g. a package name must be an identifier)."""

    def __init__(self, field: FieldSpec, lang: str) -> None:
        super().__init__()
        self.field = field
        self.lang = lang

    def validate(self, value: str) -> ValidationResult:
        if self.field.optional and not value.strip():
            return self.success()
        problem = field_problem(self.field.key, self.field.parse(value) if value.strip() else value, self.lang)
        return self.success() if problem is None else self.failure(problem)


def validators_for(field: FieldSpec, lang: str) -> list[Validator]:
    """Textual validators from the model's type and bounds: Integer/Number plus the strict bounds."""
    bounds = t(lang, "out_of_bounds", bounds=field.bounds_text())
    if field.kind == "int":
        return [Integer(minimum=_int(field.ge, field.gt, 1), maximum=_int(field.le, field.lt, -1),
                        failure_description=t(lang, "invalid_integer") if not field.bounds_text() else bounds)]
    if field.kind == "float":
        return [Number(failure_description=t(lang, "invalid_number")),
                Function(lambda v: _is_float(v) and in_bounds(field, float(v)), bounds)]
    if field.kind == "text":
        return [ModelRule(field, lang)]
    return []


def _int(inclusive: float | None, strict: float | None, step: int) -> int | None:
    if inclusive is not None:
        return int(inclusive)
    return int(strict) + step if strict is not None else None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def show(value: Any, lang: str = "en") -> str:
    """A value as text: booleans as true/false, lists comma-separated, an empty list in words."""
    return show_value(value, empty=t(lang, "none"))


class FieldRow(Widget):
    """A question: label and control on one line, then its help and the recommendation with its reason (one
    line each, in full while the question has the focus), then any warnings and problems in full."""

    class Changed(Message):
        """The user changed the value of a question (a valid value)."""

        def __init__(self, row: FieldRow, value: Any) -> None:
            super().__init__()
            self.row = row
            self.key = row.field.key
            self.value = value

    DEFAULT_CSS = """
    FieldRow {
        layout: vertical;
        height: auto;
        padding: 0 1 0 1;
        margin-bottom: 1;
        border-left: blank;
        &:focus-within { border-left: thick $accent; background: $boost; }
        &.-hidden { display: none; }
        & > .line { height: auto; }
        & .label { width: 22; padding-right: 1; text-style: bold; }
        & > .info { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .alerts { height: auto; display: none; }
        & > .alerts.-shown { display: block; }
        & .control { width: 1fr; }
        & Input.control, & Select.control { background: $surface; }
        & Switch.control { border: none; padding: 0; width: auto; height: 1; background: $surface; }
        & SelectionList.control { height: auto; max-height: 8; border: none; padding: 0; }
        & > .typed-line { height: auto; display: none; }
        & > .typed-line.-shown { display: block; }
        & Input.typed { width: 1fr; background: $surface; }
    }
    """

    def __init__(self, field: FieldSpec, *, lang: str, value: Any, options: tuple[str, ...] = (),
                 validators: list[Validator] | None = None, label_text: str | None = None,
                 help_line: str | None = None) -> None:
        super().__init__(id=f"row-{field.widget_id}")
        self.field = field
        self.lang = lang
        self.value = value
        self.options = options or field.choices
        self.recommended: Any = None
        self._validators = [*validators_for(field, lang), *(validators or [])]
        self._label = label_text or label(lang, field.key)
        self._help = help_line if help_line is not None else help_text(lang, field.key)
        self._lines: dict[str, str] = {"rec": "", "status": "", "warn": "", "error": "", "block": ""}
        self._shown = ("", "")
        self._problem_shown = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="line"):
            yield Label(self._label, classes="label")
            yield self._make_control()
        if self.field.typed is not None:
            # A name typed beyond the choices (timm/<architecture>[.<tag>]), under the drop-down.
            with Horizontal(classes="typed-line -shown" if self._is_typed(self.value) else "typed-line"):
                yield Label("", classes="label")
                yield Input(self.value if self._is_typed(self.value) else "", placeholder=self.field.typed.example,
                            validators=[ModelRule(self.field, self.lang)], validate_on=["changed", "submitted"],
                            compact=True, id=f"{self.field.widget_id}-typed", classes="typed")
        self._shown = self._info()
        yield Static(self._shown[0], classes="info")
        yield Static(self._shown[1], classes="alerts -shown" if self._shown[1] else "alerts")

    def _info(self) -> tuple[str, str]:
        styles = {"rec": "$text-success", "status": "$text", "warn": "$text-warning", "error": "b $text-error",
                  "block": "b $text-error"}
        info = [f"[dim]{escape(self._help)}[/]"] if self._help else []
        if self._lines["rec"]:
            info.append(f"[{styles['rec']}]{escape(self._lines['rec'])}[/]")
        alerts = [f"[{styles[k]}]{escape(self._lines[k])}[/]" for k in ("status", "warn", "error", "block")
                  if self._lines[k]]
        return "\n".join(info), "\n".join(alerts)

    def _make_control(self) -> Widget:
        wid, kind = self.field.widget_id, self.field.kind
        if kind == "choice":
            return QuestionSelect(self._option_list(), value=self._shown_option(self.value), allow_blank=False,
                                  compact=True, id=wid, classes="control")
        if kind == "multi":
            return QuestionList(*self._selections(), id=wid, classes="control", compact=True)
        if kind == "bool":
            return Switch(bool(self.value), id=wid, classes="control")
        return Input(self.field.format(self.value), validators=self._validators, validate_on=["changed", "submitted", "blur"],
                     compact=True, id=wid, classes="control")

    @property
    def control(self) -> Widget:
        return self.query_one(".control")

    def _option_list(self) -> list[tuple[str, str]]:
        mark = f"  ★ {t(self.lang, 'recommended')}"
        typed = self.field.typed.prefix if self.field.typed is not None else None
        return [(t(self.lang, "typed_option", prefix=c) if c == typed else f"{c}{mark if c == self.recommended else ''}",
                 c) for c in self.options]

    def _is_typed(self, value: Any) -> bool:
        """Whether `value` is a typed name (timm/...) rather than one of the choices."""
        typed = self.field.typed
        return typed is not None and isinstance(value, str) and value.startswith(typed.prefix)

    def _shown_option(self, value: Any) -> Any:
        """The drop-down option that stands for `value` (a typed name: the option that opens the input)."""
        if self._is_typed(value) and self.field.typed is not None and self.field.typed.prefix in self.options:
            return self.field.typed.prefix
        return value if value in self.options else self.options[0]

    @property
    def typed_input(self) -> Input | None:
        """The text input for typed names (None for fields without one)."""
        return self.query_one(".typed", Input) if self.field.typed is not None else None

    def _show_typed(self, shown: bool) -> None:
        self.query_one(".typed-line").set_class(shown, "-shown")

    def _selections(self) -> list[Selection[str]]:
        chosen = set(self.value or [])
        rec = set(self.recommended or [])
        return [Selection(f"{c}{'  ★' if c in rec else ''}", c, c in chosen) for c in self.options]

    # --- focus: the focused question shows its help and reason in full -------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.parent is not None:
            for row in self.parent.query_children(FieldRow):
                if row is not self and row.has_class("-expanded"):
                    row.expand(False)
        self.expand(True)
        self.call_after_refresh(self.reveal)

    def expand(self, expanded: bool) -> None:
        """Show the help and the reason in full (the question last focused), or one line each ending in "…".

        The row stays expanded until another question takes the focus: collapsing it when a button below
        takes the focus would move that button away from under the mouse. The wrap mode is set inline and
        the text re-measured here: Textual caches a widget's height by width alone, so a wrap mode changed
        through a CSS class would keep the old height (cutting the reason off, or leaving blank lines).
        """
        if expanded == self.has_class("-expanded"):
            return
        self.set_class(expanded, "-expanded")
        info = self.query_one(".info", Static)
        info.styles.text_wrap = "wrap" if expanded else "nowrap"
        info.clear_cached_dimensions()
        info.refresh(layout=True)

    def reveal(self) -> None:
        """Scroll the whole question into view (its top first when it is taller than the view)."""
        if self.has_class("-expanded") and self.is_mounted:
            self.scroll_visible(animate=False, top=False)

    # --- user changes -----------------------------------------------------------------------------------

    @on(Select.Changed)
    @on(Switch.Changed)
    def _choice_changed(self, event: Select.Changed | Switch.Changed) -> None:
        event.stop()
        typed = self.typed_input
        if typed is not None:
            chose_typed = event.value == self.field.typed.prefix
            self._show_typed(chose_typed)
            if chose_typed:
                # The answer changes once a usable name is typed; until then the input says what is missing.
                typed.focus()
                result = typed.validate(typed.value)
                if typed.value.strip() and (result is None or result.is_valid):
                    self._changed(self.field.parse(typed.value))
                return
            self.set_error(None)
        self._changed(event.value)

    @on(SelectionList.SelectedChanged)
    def _multi_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        selected = set(event.selection_list.selected)
        self._changed([c for c in self.field.choices if c in selected])

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        self.set_error(None if result is None or result.is_valid else "; ".join(result.failure_descriptions))
        if result is None or result.is_valid:
            self._changed(self.field.parse(event.value))

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        """Leaving an input shows the value in use (e.g. the derived package name after clearing it)."""
        result = event.input.validate(event.value)
        if result is None or result.is_valid:
            self._set_control(event.input, self.value)

    def _changed(self, value: Any) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))

    # --- updates from the rules --------------------------------------------------------------------------

    def invalid(self) -> str | None:
        """Why the current input cannot be used (None when it is fine or the row is hidden)."""
        if self.has_class("-hidden"):
            return None
        control = self.control
        typed = self.typed_input
        if typed is not None and typed.parent is not None and typed.parent.has_class("-shown"):
            control = typed
        if isinstance(control, Input):
            result = control.validate(control.value)
            if result is not None and not result.is_valid:
                self.set_error("; ".join(result.failure_descriptions))
                return self._label
        return self._label if self._lines["error"] or self._lines["block"] else None

    def set_error(self, message: str | None) -> None:
        self._set_line("error", f"✗ {message}" if message else "")

    def set_warning(self, message: str | None) -> None:
        self._set_line("warn", f"⚠ {message}" if message else "")

    def set_status(self, text: str | None) -> None:
        """A line of news about the answer (e.g. the data check's progress and outcome)."""
        self._set_line("status", text or "")

    def set_blocker(self, message: str | None) -> None:
        """Why the answer cannot be used although it is well-formed (e.g. data that cannot be trained on)."""
        self._set_line("block", f"✗ {message}" if message else "")

    def _set_line(self, name: str, text: str) -> None:
        self._lines[name] = text
        info = self._info()
        if info != self._shown and self.is_mounted:
            if info[0] != self._shown[0]:
                self.query_one(".info", Static).update(info[0])
            if info[1] != self._shown[1]:
                alerts = self.query_one(".alerts", Static)
                alerts.update(info[1])
                alerts.set_class(bool(info[1]), "-shown")
            self._shown = info

    def apply(self, value: Any, decision: Decision | None, *, options: tuple[str, ...], visible: bool,
              problem: str | None = None) -> None:
        """Show the current value, the recommendation with its reason, and warnings or problems."""
        self.set_class(not visible, "-hidden")
        recommended = decision.recommended if decision is not None else None
        control = self.control
        if (options, recommended) != (self.options, self.recommended) or value != self.value:
            self.options, self.recommended = options, recommended
            self._set_control(control, value)
        self.value = value
        if decision is not None and decision.reason:
            rec = show(decision.recommended, self.lang)
            head = (t(self.lang, "choice_line", value=rec) if decision.explains_choice
                    else t(self.lang, "rec_line", value=rec) if decision.value == decision.recommended
                    else t(self.lang, "rec_line_yours", value=rec, yours=show(decision.value, self.lang)))
            self._set_line("rec", f"{head} — {decision.reason}")
        else:
            self._set_line("rec", "")
        warnings = decision.warnings if decision is not None else ()
        self._set_line("warn", "\n".join(f"⚠ {w}" for w in warnings))
        if problem is not None or not isinstance(control, Input) or self._problem_shown:
            self._problem_shown = problem is not None
            self.set_error(problem)

    def _set_control(self, control: Widget, value: Any) -> None:
        with self.prevent(Select.Changed, Switch.Changed, Input.Changed, SelectionList.SelectedChanged):
            if isinstance(control, Select):
                control.set_options(self._option_list())
                control.value = self._shown_option(value)
                if (typed := self.typed_input) is not None:
                    self._show_typed(self._is_typed(value))
                    if self._is_typed(value):
                        self._set_control(typed, value)
            elif isinstance(control, SelectionList):
                self.value = value
                control.clear_options()
                control.add_options(self._selections())
            elif isinstance(control, Switch):
                control.value = bool(value)
            elif isinstance(control, Input):
                text = self.field.format(value)
                current_ok = control.validate(control.value)
                typed = self.field.parse(control.value) if (current_ok is None or current_ok.is_valid) and \
                    control.value.strip() else None
                # Never rewrite what the user is typing. The screen's focus, not has_focus: that follows
                # a moment later, and keys typed ahead would be overwritten in between.
                if typed != value and self.screen.focused is not control:
                    control.value = text
                    self.set_error(None)
