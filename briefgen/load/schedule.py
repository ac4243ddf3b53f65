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


def shown(
    b: Briefing,
    now: dt.datetime,
    *,
    future: bool,
    expired: bool,
    original: Briefing | None = None,
) -> tuple[bool, Briefing]:
    """(whether this build shows `b`, `b` marked with why it is held if shown anyway).

    A translation is held while its `original` is: an embargo or a schedule covers the
    text in every language, and a withdrawn (expired) original withdraws its translations.
    Within that, the translation's own `publish_at:` / `expires:` hold it too."""
    held = window(b, now) if original is None else window(_within(b, original), now)
    if not held:
        return True, b
    if (held == SCHEDULED and not future) or (held == EXPIRED and not expired):
        return False, b
    # a held translation's banner names the moment that holds it (maybe the original's)
    return True, replace(b if original is None else _within(b, original), held=held)


def _within(b: Briefing, original: Briefing) -> Briefing:
    """`b` with its window narrowed to its original's."""
    if opens(original) > opens(b):
        b = replace(b, publish_at=opens(original))
    if original.expires is not None and (b.expires is None or original.expires < b.expires):
        b = replace(b, expires=original.expires)
    return b


def next_change(briefings: Iterable[Briefing], now: dt.datetime) -> dt.datetime | None:
    """The first moment after `now` at which any briefing's window opens or closes."""
    briefings = list(briefings)
    moments = [opens(b) for b in briefings] + [b.expires for b in briefings if b.expires]
    later = [m for m in moments if m > now]
    return min(later) if later else None
