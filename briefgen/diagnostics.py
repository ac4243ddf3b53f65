"""Diagnostics: problems found in the input, as values.

Owns the Diagnostic type and how diagnostics are printed. Stages never raise on
bad input; they return diagnostics that name a file, a line and a fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    file: str = ""
    line: int = 0
    hint: str = ""
    source_line: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, *, show_source: bool = True) -> str:
        where = self.file or "<site>"
        if self.line:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.severity.value}: {self.message} [{self.code}]"
        if show_source and self.source_line:
            text += f"\n    {self.line} | {self.source_line.rstrip()}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line, self.code, self.message)


def error(code: str, message: str, file: str = "", line: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, file, line, hint)


def warning(code: str, message: str, file: str = "", line: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, file, line, hint)


def with_source(diags: Iterable[Diagnostic], lines: list[str]) -> list[Diagnostic]:
    """Attach the offending line of text to each diagnostic that has a line number."""
    out = []
    for d in diags:
        if d.line and not d.source_line and 0 < d.line <= len(lines):
            d = Diagnostic(d.severity, d.code, d.message, d.file, d.line, d.hint, lines[d.line - 1])
        out.append(d)
    return out


def as_strict(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error (same code, message and place)."""
    return [
        d if d.is_error else replace(d, severity=Severity.ERROR, hint=_strict_hint(d.hint))
        for d in diags
    ]


def _strict_hint(hint: str) -> str:
    note = "an error with --strict"
    return f"{hint} ({note})" if hint else note


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word`, for "did you mean" hints."""
    matches = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=Diagnostic.sort_key)


def count(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for d in diags:
        if d.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary_line(
    counts: tuple[int, int],
    diagnostics: Iterable[Diagnostic],
    seconds: float,
    *,
    up_to_date: bool = False,
) -> str:
    """The line that ends every build: "214 briefings, 38 topics, 0 errors, 2 warnings in
    1.90 s" (and "(up to date)" when nothing needed doing)."""
    errors, warnings = count(diagnostics)
    briefings, topics = counts
    note = " (up to date)" if up_to_date else ""
    return (
        f"{briefings} briefing{'s' * (briefings != 1)}, {topics} topic{'s' * (topics != 1)}, "
        f"{errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)} in {seconds:.2f} s{note}"
    )
