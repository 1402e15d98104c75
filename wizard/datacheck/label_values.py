"""Label values that split or break classes quietly: control characters (a line break splits any file that
lists one label per line), labels mixing numbers and text, and one number written several ways."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from wizard.datacheck.report import Check, finding

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 and C1 control characters (line breaks and tabs among them) and the Unicode line/paragraph separators."""
SHOWN_PER_KIND = 3


def kind_of(label: str) -> str:
    """'number' for a label that reads as a finite number (1, 1.0, -2e3), else 'text'."""
    return "text" if _number(label) is None else "number"


def _number(label: str) -> Decimal | None:
    """The label's exact value (1, 1.0 and 01 are equal; two 20-digit ids stay apart), None if not a number."""
    try:
        value = Decimal(label)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def control_check(labels: Iterable[tuple[str, str]]) -> Check | None:
    """An error for the labels holding control characters; `labels`: (where it was found, label) pairs."""
    found = [f"{where}: {label}" if where else label for where, label in labels if CONTROL.search(label)]
    return finding("label-control", "error", len(found), found) if found else None


def type_checks(kinds: dict[str, set[str]], column: str | None) -> list[Check]:
    """Findings about one label column (None: the class folders' names): `kinds` maps each label, as training
    sees it, to the kinds it was written as ('number', 'text'; in JSON lists also 'other')."""
    variant = {"title": "label-mixed-types.folders"} if column is None else {}
    checks: list[Check] = []
    by_kind: dict[str, list[str]] = {}
    for label, written in kinds.items():
        for kind in written:
            by_kind.setdefault(kind, []).append(label)
    if len(by_kind) > 1:
        usual = max(by_kind, key=lambda k: len(by_kind[k]))
        odd = {label for kind, labels in by_kind.items() if kind != usual for label in labels}
        shown = [f"{label} ({kind})" for kind, labels in sorted(by_kind.items())
                 for label in sorted(labels)[:SHOWN_PER_KIND]]
        checks.append(finding("label-mixed-types", "warning", len(odd), shown, column=column, **variant))
    same: dict[Decimal, list[str]] = {}
    for label in kinds:
        value = _number(label)
        if value is not None:
            same.setdefault(value, []).append(label)
    spelled = [sorted(labels) for labels in same.values() if len(labels) > 1]
    if spelled:
        checks.append(finding("label-same-number", "error", len(spelled), [" = ".join(s) for s in spelled],
                              column=column, **({"title": "label-same-number.folders"} if column is None else {})))
    return checks


def json_kind(value: object) -> str:
    """The kind of one element of a JSON (or Python) list of labels."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, tuple, dict)):
        return "other"
    if isinstance(value, (int, float)):
        return "number"
    return "text"
