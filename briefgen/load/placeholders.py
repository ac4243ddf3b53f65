"""Placeholder text that `briefgen new` writes, found again in a briefing's body.

Owns: the placeholder sentence (scaffold.py writes it, nothing else may spell it) and the
`placeholder-text` diagnostic. A build warns about it; `publish` (and `--strict`) makes it an
error with `as_errors`, so a briefing nobody has written yet is never shipped.
Must not: read files or know about the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from briefgen.diagnostics import Diagnostic, Severity, warning

PLACEHOLDER = "Write the briefing here. Open with the point; the summary is made for you."
CODE = "placeholder-text"


def find_placeholder(rel: str, body: str, first_line: int) -> list[Diagnostic]:
    """A `placeholder-text` warning at the line of the body that still has the sentence."""
    at = body.find(PLACEHOLDER)
    if at < 0:
        return []
    line = first_line + body.count("\n", 0, at)
    return [
        warning(
            CODE,
            "the placeholder text of `briefgen new` is still in the briefing",
            rel,
            line,
            "write the briefing in its place (publish refuses a briefing with it)",
        )
    ]


def as_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The same diagnostics, with every `placeholder-text` warning made an error (publish)."""
    return [
        replace(d, severity=Severity.ERROR) if d.code == CODE and not d.is_error else d
        for d in diagnostics
    ]


def unfinished_ok(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A draft that is not built may still have its placeholder: no diagnostic for it."""
    return [d for d in diagnostics if d.code != CODE]
