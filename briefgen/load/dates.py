"""Dates in front matter: YYYY-MM-DD or ISO 8601 date-times, nothing ambiguous.

Owns: which date spellings are accepted and the message for each wrong one.
Accepted: `2024-03-01`, `2024-03-01T09:30`, `2024-03-01 09:30:00`, with seconds, fractions
and a zone (`Z`, `+05:00`, `+0500`); no zone means UTC. Refused: day-first or month-first
forms (`01/03/2024`), week dates, bare years, numbers and anything that only starts like a
date. Dates must stay inside years 1-9999 once converted to UTC.
"""

from __future__ import annotations

import datetime as dt
import re

from briefgen.yamltext import preview

_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_date(value: object) -> tuple[dt.datetime | None, str]:
    """(datetime in UTC, "") or (None, what is wrong)."""
    if isinstance(value, dt.datetime):
        return _utc(value, preview(value))
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC), ""
    text = value.strip() if isinstance(value, str) else ""
    if not _DATE.fullmatch(text):
        return None, f"`{preview(value)}` is not a date in YYYY-MM-DD or ISO 8601 form"
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), ""
        iso = text.upper().replace(" ", "T", 1).replace(",", ".")
        return _utc(dt.datetime.fromisoformat(iso.replace(" ", "")), preview(text))
    except ValueError as exc:
        reason = "the zone offset must be under 24 hours" if "offset" in str(exc) else exc
        return None, f"`{preview(text)}` is not a real date ({reason})"


def _utc(value: dt.datetime, shown: str) -> tuple[dt.datetime | None, str]:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC), ""
    try:
        return value.astimezone(dt.UTC), ""
    except OverflowError:  # 0001-01-01T00:00+05:00 is in year 0 in UTC
        return None, f"`{shown}` is outside years 1-9999 once converted to UTC"
