"""Scheduled, embargoed and expired briefings: which ones a build at a given moment shows.

Owns: the publication window of a briefing (from `date`, or `publish_at:` / `embargo:`, until
`expires:` / `unpublish:`), the `held` mark of one shown outside its window (`--future`,
`--expired`, the dev server), and the next moment at which the window of any briefing opens
or closes (the up-to-date shortcut must build again then).
Must not: read the clock. `now` is given by the caller, once per build, so one build is one
consistent moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from briefgen.model import Briefing

SCHEDULED, EXPIRED = "scheduled", "expired"


def opens(b: Briefing) -> dt.datetime:
    """When the briefing may first be public: `publish_at`/`embargo`, else its `date`."""
    return b.publish_at or b.date


def window(b: Briefing, now: dt.datetime) -> str:
    """ "" (public now), SCHEDULED (not yet) or EXPIRED (no longer)."""
    if opens(b) > now:
        return SCHEDULED
    if b.expires is not None and b.expires <= now:
        return EXPIRED
    return ""


def shown(b: Briefing, now: dt.datetime, *, future: bool, expired: bool) -> tuple[bool, Briefing]:
    """(whether this build shows `b`, `b` marked with why it is held if shown anyway)."""
    held = window(b, now)
    if not held:
        return True, b
    if (held == SCHEDULED and not future) or (held == EXPIRED and not expired):
        return False, b
    return True, replace(b, held=held)


def next_change(briefings: Iterable[Briefing], now: dt.datetime) -> dt.datetime | None:
    """The first moment after `now` at which any briefing's window opens or closes."""
    briefings = list(briefings)
    moments = [opens(b) for b in briefings] + [b.expires for b in briefings if b.expires]
    later = [m for m in moments if m > now]
    return min(later) if later else None
