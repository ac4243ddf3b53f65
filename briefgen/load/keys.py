"""The front-matter keys briefgen reads, and what an unknown key is taken to mean.

Owns: the key list, the draft-typo error (a misspelled `draft` would publish a draft) and the
unknown-key warning with its guess. Must not: read any key's value beyond that.
"""

from __future__ import annotations

import re

from briefgen.diagnostics import closest
from briefgen.load.checker import FieldChecker
from briefgen.load.deskfields import DESK_KEYS
from briefgen.yamltext import preview

KNOWN_KEYS = (
    "title",
    "date",
    "updated",
    "authors",
    "topics",
    "summary",
    "key_points",
    "type",
    "draft",
    "slug",
    "sources",
    "aliases",
    "topics_auto",
    "image",
    "attachments",
    "publish_at",
    "embargo",
    "expires",
    "unpublish",
    *DESK_KEYS,
)


def check_keys(check: FieldChecker, data: dict) -> None:
    for key in data:
        if key in KNOWN_KEYS:
            continue
        if means_draft(key, data[key]):
            check.err(
                "draft-typo",
                f"`{preview(key)}` is not a key briefgen reads: this briefing is not a draft",
                key,
                hint=f"write draft: true (or remove `{preview(key)}`) so it is not published",
            )
            continue
        guess = closest(key, KNOWN_KEYS)
        if guess and guess not in data:
            check.warn(
                "unknown-key",
                f"unknown key `{preview(key)}` (kept for templates)",
                key,
                hint=f"did you mean `{guess}`?",
            )


def means_draft(key: str, value: object) -> bool:
    """A key that someone meant as `draft` (`drafts`, `Draft`, `is_draft`, `darft`), or
    Jekyll's `published: false`: guessing wrong would publish a draft, so it is an error."""
    word = re.sub(r"[^a-z]", "", key.lower())
    if word in ("published", "publish") and value is False:
        return True
    if word in ("draft", "drafts", "isdraft", "asdraft", "draftmode", "unpublished"):
        return True
    return closest(word, ["draft"]) == "draft" and closest(key, KNOWN_KEYS) == "draft"
