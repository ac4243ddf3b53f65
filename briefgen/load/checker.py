"""Read front-matter fields one at a time, collecting diagnostics at each key's line.

Owns: the typed readers (text, list of text, true/false, bounded list) every front-matter
module shares. Must not: know any briefing key by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.yamltext import Parsed, line_of, preview


@dataclass(slots=True)
class FieldChecker:
    """Collects diagnostics for one file while fields are read."""

    file: str
    parsed: Parsed
    diags: list[Diagnostic] = field(default_factory=list)

    def line(self, *path: Any) -> int:
        return line_of(self.parsed, *path)

    def err(self, code: str, message: str, *path: Any, hint: str = "") -> None:
        self.diags.append(error(code, message, self.file, self.line(*path), hint))

    def warn(self, code: str, message: str, *path: Any, hint: str = "") -> None:
        self.diags.append(warning(code, message, self.file, self.line(*path), hint))

    def text(self, data: dict, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list | set | bytes):
            self.err("field-type", f"`{key}` must be text", key, hint=f'write {key}: "..."')
            return None
        return " ".join(str(value).split())

    def strings(self, data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (" ".join(value.split()),) if value.strip() else ()
        if not isinstance(value, list) or any(isinstance(v, dict | list | set) for v in value):
            self.err(
                "field-type",
                f"`{key}` must be a list of text items",
                key,
                hint=f"write {key}: [first, second]",
            )
            return ()
        return tuple(" ".join(str(v).split()) for v in value if v is not None and str(v).strip())

    def flag(self, data: dict, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.err(
                "field-type", f"`{key}` must be true or false, not {preview(repr(value))}", key
            )
            return default
        return value

    def bounded(self, data: dict, key: str, limit: int) -> tuple[str, ...]:
        """A list of text items with at most `limit` entries (each one makes pages or links)."""
        items = self.strings(data, key)
        if len(items) > limit:
            self.err(
                f"too-many-{key}",
                f"{len(items)} {key} declared; at most {limit}",
                key,
                hint=f"keep the {key} the briefing is really about",
            )
            return ()
        return items
