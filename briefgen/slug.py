"""Slugs: URL-safe, never empty, idempotent, never a path.

Owns: turning titles, file names and author names into URL path segments.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lowercase, hyphen-separated; falls back to a short hash for non-Latin text."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")[:max_length].strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"x-{digest}"


def is_slug(text: str) -> bool:
    return bool(text) and slugify(text) == text
