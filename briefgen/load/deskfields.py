"""Front-matter fields of the publishing desk: `series:`, `part:` and `corrections:`.

Owns: validating those three keys of one briefing (each problem names its key's line).
Must not: look at other briefings or at series.yaml (load/desk.py checks the series ids).
"""

from __future__ import annotations

from typing import Any, Protocol

from briefgen.load.dates import parse_date
from briefgen.model import Correction
from briefgen.slug import is_slug, slugify
from briefgen.yamltext import preview

DESK_KEYS = ("series", "part", "corrections")
MAX_CORRECTIONS = 50


class Checker(Protocol):
    """What load/briefing.py's field checker offers (diagnostics at a key's line)."""

    def line(self, *path: Any) -> int: ...
    def err(self, code: str, message: str, *path: Any, hint: str = "") -> None: ...
    def warn(self, code: str, message: str, *path: Any, hint: str = "") -> None: ...


def series_fields(check: Checker, data: dict) -> tuple[str, int, int]:
    """(series id, part, line of `series:`); ("", 0, 0) without a series."""
    value = data.get("series")
    if value is None:
        if data.get("part") is not None:
            check.warn("part-without-series", "`part:` is set but `series:` is not", "part")
        return "", 0, 0
    if not isinstance(value, str) or not is_slug(value.strip()):
        shown = preview(str(value))
        check.err(
            "bad-series",
            f"series `{shown}` is not a series id (lowercase letters, digits, hyphens)",
            "series",
            hint=f"write series: {slugify(str(value)) or 'my-series'} (described in series.yaml)",
        )
        return "", 0, 0
    part = data.get("part")
    if part is None:
        return value.strip(), 0, check.line("series")
    if isinstance(part, bool) or not isinstance(part, int) or part < 1:
        check.err(
            "bad-part",
            f"`part` must be a whole number from 1, not {preview(repr(part))}",
            "part",
            hint="write part: 2",
        )
        part = 0
    return value.strip(), part, check.line("series")


def corrections_field(check: Checker, data: dict) -> tuple[Correction, ...]:
    """`corrections: [{date: 2024-05-02, text: "..."}]`, oldest first."""
    value = data.get("corrections")
    if value is None:
        return ()
    hint = 'write corrections: [{date: 2024-05-02, text: "An earlier version said ..."}]'
    if not isinstance(value, list):
        check.err(
            "field-type", "`corrections` must be a list of {date, text}", "corrections", hint=hint
        )
        return ()
    if len(value) > MAX_CORRECTIONS:
        check.err(
            "too-many-corrections",
            f"{len(value)} corrections; at most {MAX_CORRECTIONS}",
            "corrections",
        )
        return ()
    out = []
    for index, item in enumerate(value):
        text = " ".join(str(item.get("text") or "").split()) if isinstance(item, dict) else ""
        if not text:
            check.err(
                "bad-correction",
                "each correction needs a `date` and a `text`",
                "corrections",
                index,
                hint=hint,
            )
            continue
        date, problem = parse_date(item.get("date"))
        if date is None:
            check.err(
                "bad-correction",
                f"correction date: {problem or 'missing'}",
                "corrections",
                index,
                hint="write date: YYYY-MM-DD",
            )
            continue
        for key in sorted(set(map(str, item)) - {"date", "text"}):
            check.warn(
                "unknown-key",
                f"unknown key `{preview(key)}` in a correction",
                "corrections",
                index,
                key,
                hint="a correction has `date` and `text`",
            )
        out.append(Correction(date, text, check.line("corrections", index)))
    return tuple(sorted(out, key=lambda c: c.date))
