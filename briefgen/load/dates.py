"""Dates in front matter: YYYY-MM-DD or ISO 8601 date-times, nothing ambiguous."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> tuple[dt.datetime | None, str]:
    """(datetime in UTC, "") or (None, what is wrong)."""
    if isinstance(value, dt.datetime):
        return _utc(value), ""
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC), ""
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None, f"`{value}` is not a date in YYYY-MM-DD or ISO 8601 form"
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), ""
        return _utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00"))), ""
    except ValueError as exc:
        return None, f"`{text}` is not a real date ({exc})"


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
