"""Safe YAML parsing that keeps line numbers and turns every failure into a Diagnostic.

Owns: the one place briefgen parses YAML (front matter, briefgen.yaml, topics.yaml), and
how YAML values are quoted in messages (`preview`).
Must not: construct arbitrary Python objects (safe loader only), expand alias bombs, build
self-referencing or absurdly deep values, or silently drop a duplicate key.

Order matters: the node graph is composed (aliases stay shared references), then checked
(size, depth, cycles, duplicate keys) without recursion, and only then constructed.
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
    """Safe loader that keeps dates as text, so briefgen parses them and can name the line.

    It also remembers the node being constructed, so a value error (`!!int 12abc`) can
    name its own line rather than the start of the document.
    """

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }
    current: yaml.Node | None = None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        self.current = node
        return super().construct_object(node, deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # PyYAML raises AttributeError for `!!timestamp not-a-date`
        if not self.timestamp_regexp.match(str(node.value)):
            raise ValueError(f"`{preview(node.value)}` is not a YAML timestamp")
        return super().construct_yaml_timestamp(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


MAX_NODES = 50_000  # plus the text's length: an alias bomb expands far past this
MAX_DEPTH = 64  # real YAML here nests 3 or 4 levels; deep values break pickling and templates
# Contexts where the line that *opened* something (a quote, a [list]) is the useful one.
_OPENER_CONTEXTS = ("while parsing a flow", "while scanning a quoted", "while scanning a simple")


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Any
    lines: dict[tuple[Any, ...], int]  # path of keys/indexes -> 1-based line


def parse_yaml(text: str, file: str, first_line: int = 1) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document; `first_line` is the file line where `text` starts."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, {}), []
        lines: dict[tuple[Any, ...], int] = {}
        problem = _index_lines(node, lines, first_line, file, MAX_NODES + len(text))
        if problem:
            return None, [problem]
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_marked_error(exc, text, file, first_line)]
    except yaml.reader.ReaderError as exc:  # a control character in the text
        line = first_line + text.count("\n", 0, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        message = f"invalid YAML: character U+{char:04X} is not allowed"
        return None, [error("yaml-syntax", message, file, line, "delete the character")]
    except yaml.YAMLError as exc:  # other unmarked errors
        message = f"invalid YAML: {preview(str(exc), 120)}"
        return None, [error("yaml-syntax", message, file, first_line)]
    except Exception as exc:  # the safe constructors raise ValueError, OverflowError, ...
        node = loader.current if loader is not None else None
        line = first_line + node.start_mark.line if node is not None else first_line
        return None, [
            error(
                "yaml-value",
                f"invalid YAML value: {preview(str(exc), 120)}",
                file,
                line,
                "quote the value if it is meant as text",
            )
        ]
    finally:
        if loader is not None:
            loader.dispose()
    return Parsed(value, lines), []


def _marked_error(exc: yaml.MarkedYAMLError, text: str, file: str, first_line: int) -> Diagnostic:
    if "could not determine a constructor" in (exc.problem or ""):
        mark = exc.problem_mark or exc.context_mark
        return error(
            "yaml-tag",
            "unsupported YAML tag: only plain YAML is allowed "
            "(tags such as !!python/object are refused)",
            file,
            first_line + (mark.line if mark else 0),
            "remove the !!tag and write the value as plain text",
        )
    hint = "check indentation, colons and quoting on this line"
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and (exc.context or "").startswith(_OPENER_CONTEXTS):
        # "[a, b" never closed: the error is noticed lines later, but the fix is here.
        if exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            noticed = first_line + exc.problem_mark.line
            hint = f"close what opens on this line (the problem shows on line {noticed})"
        mark = exc.context_mark
    lines = text.split("\n")
    if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        hint = "YAML does not allow tabs for indentation: use spaces"
    return error(
        "yaml-syntax", _yaml_message(exc), file, first_line + (mark.line if mark else 0), hint
    )


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    context = f"{exc.context}: " if exc.context else ""
    return f"invalid YAML: {context}{problem}"


def _index_lines(
    root: yaml.Node, lines: dict, base: int, file: str, max_nodes: int
) -> Diagnostic | None:
    """Record the line of every mapping key and sequence item; a Diagnostic if the graph is
    too big, too deep, refers to itself or repeats a key.

    An explicit stack instead of recursion: the input decides the depth. Aliases are walked
    again at every use, so the node budget measures the expanded size; without aliases a
    document has fewer nodes than characters, so only an alias bomb can exceed the budget.
    """
    budget = 0
    on_path: set[int] = set()  # ids of the nodes from the root to the current one
    stack: list[tuple[yaml.Node, tuple[Any, ...], bool]] = [(root, (), False)]
    while stack:
        node, path, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            continue
        line = base + node.start_mark.line
        if id(node) in on_path:
            return error(
                "yaml-recursive",
                "a YAML alias refers to the value that contains it",
                file,
                line,
                "remove the *alias, or point it at a value outside this one",
            )
        budget += 1
        if budget > max_nodes:
            return error(
                "yaml-bomb",
                "YAML aliases expand to too many nodes; refusing to expand them",
                file,
                base,
                "remove the &anchor/*alias references",
            )
        if len(path) > MAX_DEPTH:
            return error(
                "yaml-depth",
                f"YAML is nested more than {MAX_DEPTH} levels deep",
                file,
                line,
                "flatten the structure",
            )
        lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            stack.append((node, path, True))
            on_path.add(id(node))
            seen: dict[tuple[str, Any], int] = {}
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                key_line = base + key_node.start_mark.line
                if key is not None and key_node.tag != "tag:yaml.org,2002:merge":
                    if (key_node.tag, key) in seen:
                        first = seen[(key_node.tag, key)]
                        return error(
                            "yaml-duplicate-key",
                            f"key `{preview(key)}` appears twice (first on line {first})",
                            file,
                            key_line,
                            "keep one of them: YAML would silently use only the last",
                        )
                    seen[(key_node.tag, key)] = key_line
                lines.setdefault((*path, key), key_line)
                children.append((value_node, (*path, key), False))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.append((node, path, True))
            on_path.add(id(node))
            items = list(enumerate(node.value))
            stack.extend((item, (*path, index), False) for index, item in reversed(items))
    return None


def line_of(parsed: Parsed, *path: Any) -> int:
    """Line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        line = parsed.lines.get(tuple(path[:end]))
        if line:
            return line
    return 0


def preview(value: object, limit: int = 60) -> str:
    """A value as shown inside a message: one line, at most `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
