"""When a briefing is dated, published and withdrawn: `date`, `updated`, the embargo and expiry.

Owns: reading those keys (and their synonyms) with their diagnostics. Must not: decide
what is public now: schedule.py applies the window against the build's clock.
"""

from __future__ import annotations

import datetime as dt

from briefgen.load.checker import FieldChecker
from briefgen.load.dates import parse_date


def read_dates(check: FieldChecker, data: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    date = None
    if "date" not in data:
        check.err("missing-date", "briefing has no `date`", hint="add date: YYYY-MM-DD")
    else:
        date, problem = parse_date(data["date"])
        if problem:
            check.err(
                "bad-date", problem, "date", hint="write dates as YYYY-MM-DD, e.g. 2024-03-01"
            )
    updated = None
    if data.get("updated") is not None:
        updated, problem = parse_date(data["updated"])
        if problem:
            check.err("bad-date", problem, "updated", hint="write dates as YYYY-MM-DD")
        elif date and updated and updated < date:
            check.warn("updated-before-date", "`updated` is earlier than `date`", "updated")
    return date, updated


def read_window(
    check: FieldChecker, data: dict, date: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`publish_at:` (or `embargo:`) and `expires:` (or `unpublish:`), each at most once."""
    found = []
    for keys in (("publish_at", "embargo"), ("expires", "unpublish")):
        given = [k for k in keys if data.get(k) is not None]
        if len(given) > 1:
            check.err(
                "duplicate-key",
                f"`{given[0]}` and `{given[1]}` mean the same; give one",
                given[1],
                hint=f"remove `{given[1]}`",
            )
        when = None
        if given:
            when, problem = parse_date(data[given[0]])
            if problem:
                check.err(
                    "bad-date", problem, given[0], hint="write 2026-03-01 or 2026-03-01T09:00+01:00"
                )
        found.append((when, given[0] if given else ""))
    (publish_at, _), (expires, key) = found
    start = publish_at or date
    if expires is not None and start is not None and expires <= start:
        check.warn(
            "never-public",
            f"`{key}` is not after the briefing is published: it is never shown",
            key,
            hint="check the dates, or remove the expiry",
        )
    return publish_at, expires
