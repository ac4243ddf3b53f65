"""Safe YAML parsing that keeps line numbers and turns every failure into a Diagnostic.

Owns: the one place briefgen parses YAML (front matter, briefgen.yaml, topics.yaml).
Must not: construct arbitrary Python objects (safe loader only) or expand alias bombs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from briefgen.diagnostics import Diagnostic, error

try:  # the C loader is several times faster; fall back when libyaml is missing
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the platform build
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text, so briefgen parses them and can name the line."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


MAX_NODES = 50_000  # a YAML alias bomb expands far past this; real front matter never does


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Any
    lines: dict[tuple[Any, ...], int]  # path of keys/indexes -> 1-based line


def parse_yaml(text: str, file: str, first_line: int = 1) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document; `first_line` is the file line where `text` starts."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return Parsed(None, {}), []
            lines: dict[tuple[Any, ...], int] = {}
            if not _index_lines(node, (), lines, first_line, [0]):
                return None, [
                    error(
                        "yaml-bomb",
                        "YAML aliases expand to too many nodes; refusing to expand them",
                        file,
                        first_line,
                        "remove the &anchor/*alias references",
                    )
                ]
            value = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        if "could not determine a constructor" in (exc.problem or ""):
            return None, [
                error(
                    "yaml-tag",
                    "unsupported YAML tag: only plain YAML is allowed "
                    "(tags such as !!python/object are refused)",
                    file,
                    line,
                    "remove the !!tag and write the value as plain text",
                )
            ]
        return None, [
            error(
                "yaml-syntax",
                _yaml_message(exc),
                file,
                line,
                "check indentation, colons and quoting on this line",
            )
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - defensive: unmarked YAML errors
        return None, [error("yaml-syntax", f"invalid YAML: {exc}", file, first_line)]
    except (ValueError, OverflowError) as exc:
        return None, [
            error(
                "yaml-value",
                f"invalid YAML value: {exc}",
                file,
                first_line,
                "quote the value if it is meant as text",
            )
        ]
    return Parsed(value, lines), []


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    context = f"{exc.context}: " if exc.context else ""
    return f"invalid YAML: {context}{problem}"


def _index_lines(
    node: yaml.Node, path: tuple[Any, ...], lines: dict, base: int, budget: list[int]
) -> bool:
    """Record the line of every mapping key and sequence item; False if the graph is too big."""
    budget[0] += 1
    if budget[0] > MAX_NODES:
        return False
    lines.setdefault(path, base + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            lines.setdefault((*path, key), base + key_node.start_mark.line)
            if not _index_lines(value_node, (*path, key), lines, base, budget):
                return False
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if not _index_lines(item, (*path, index), lines, base, budget):
                return False
    return True


def line_of(parsed: Parsed, *path: Any) -> int:
    """Line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        line = parsed.lines.get(tuple(path[:end]))
        if line:
            return line
    return 0
