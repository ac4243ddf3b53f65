"""Slugs: URL-safe, never empty, idempotent, never a path.

Owns: turning titles, file names and author names into URL path segments.
A slug is lowercase ASCII letters, digits and single inner hyphens, at most 80 characters;
it can never be `.`, `..`, contain a separator, or be a name Windows reserves for a device
(`con`, `nul`, `aux`, `prn`, `com1`, `lpt1`, ...): those get a `-1` suffix, so a site
built here can still be checked out, served and synced on Windows.

Any script is transliterated (python-slugify, with text-unidecode's tables): `Казахстан и
ЕС` -> `kazakhstan-i-es`; apostrophes join their word (`Kazakhstan's` -> `kazakhstans`).
Only text with nothing transliterable (emoji, symbols) falls back to a short hash.
"""

from __future__ import annotations

import hashlib
import re

from slugify import slugify as transliterate

_NON_WORD = re.compile(r"[^a-z0-9]+")
# An apostrophe inside a word joins it: "Kazakhstan's" is one word, not "kazakhstan-s".
_APOSTROPHES = [["'", ""], ["\u2019", ""], ["\u02bc", ""], ["`", ""]]
MAX_LENGTH = 80

# Device names that Windows refuses as a file or folder name, with any extension.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)]
)


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """ASCII, lowercase, hyphen-separated; a short hash when nothing can be transliterated."""
    ascii_text = transliterate(text, replacements=_APOSTROPHES, lowercase=True)
    slug = _NON_WORD.sub("-", ascii_text).strip("-")[:max_length].strip("-")
    if not slug:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        return f"x-{digest}"
    if slug in WINDOWS_RESERVED:
        return f"{slug}-1"
    return slug


def is_slug(text: str) -> bool:
    return bool(text) and slugify(text) == text


def is_reserved(name: str) -> bool:
    """A Windows device name, with or without an extension (`con`, `NUL.txt`)."""
    return name.split(".", 1)[0].strip().lower() in WINDOWS_RESERVED
