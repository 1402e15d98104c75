"""Provides ProjectStep: name, package name, description, author and the destination folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.widget import Widget

from wizard.tui.fields import FieldSpec
from wizard.tui.state import relpath_or_abs
from wizard.tui.steps.base import Step
from wizard.tui.strings import t
from wizard.tui.widgets.field import FieldRow

DESTINATION = "destination"


class ProjectStep(Step):
    """Step 1: what the project is called and where it goes."""

    NAME = "project"
    KEYS = ("project.name", "project.slug", "project.description", "project.author")

    def extras(self) -> Iterator[Widget]:
        help_line = t(self.lang, "destination_help")
        field = FieldSpec(DESTINATION, "path", help_line)
        yield FieldRow(field, lang=self.lang, value=self.value(DESTINATION), label_text=t(self.lang, "destination"),
                       help_line=help_line)

    def value(self, key: str) -> Any:
        if key == "project.name":
            return self.state.name
        named = bool(self.state.name.strip()) or "project.slug" in self.state.given
        if key == "project.slug":
            return self.state.slug if named else ""
        if key == DESTINATION:
            return self.state.dest or (relpath_or_abs(self.state.destination(), self.state.cwd) if named else "")
        return super().value(key)

    def apply(self) -> None:
        super().apply()
        row = self.query_one(f"#row-{DESTINATION}", FieldRow)
        dest = self.state.destination()
        warning = ""
        if dest.is_dir() and any(dest.iterdir()):
            warning = t(self.lang, "dest_overwrite" if self.app_force else "dest_not_empty")
        row.set_warning(warning)

    @property
    def app_force(self) -> bool:
        return bool(getattr(self.app, "force", False))
