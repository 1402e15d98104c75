"""YAML written by people, read with limits: size, nesting depth, no aliases, duplicate keys as errors.

Aliases (`*name`) are refused altogether rather than counted: an answers file never needs them, and a few
nested aliases are enough to expand into gigabytes ("billion laughs"). Anchors alone are harmless and allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20


class YamlLimitError(yaml.YAMLError):
    """YAML this reader refuses: the message names the line and what is allowed."""


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, nesting deeper than MAX_DEPTH and a key given twice in one mapping."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlLimitError(
                f"line {event.start_mark.line + 1}: the alias *{event.anchor} is not allowed; "
                "write the value out (aliases can expand without bound)"
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise YamlLimitError(f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep; "
                                 f"allowed: at most {MAX_DEPTH}")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: SafeConstructor reports it
            if first is not None:
                raise YamlLimitError(f"line {line}: the key {key!r} is given twice (first on line {first}); "
                                     "allowed: each key once")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse YAML text within the limits above; refusals and syntax errors raise yaml.YAMLError."""
    return _parse(text, lambda loader: loader.get_single_data())


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of YAML text (keys with their lines), within the same limits as load_yaml."""
    return _parse(text, lambda loader: loader.get_single_node())


def _parse(text: str, read: Callable[[_LimitedLoader], Any]) -> Any:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise YamlLimitError(f"is {size:,} bytes; allowed: at most {MAX_BYTES:,} bytes (1 MiB)")
    loader = _LimitedLoader(text)
    try:
        return read(loader)
    finally:
        loader.dispose()


def describe_yaml_error(exc: yaml.YAMLError) -> str:
    """One line for a YAML error: a refusal's own message, or 'line N: is not valid YAML (problem)'."""
    if isinstance(exc, YamlLimitError):
        return str(exc)
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{where}is not valid YAML ({problem})"
