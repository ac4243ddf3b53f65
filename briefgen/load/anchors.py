"""Heading anchors: an `id` on every h2-h4, unique within the page, in linear time.

Owns: the markdown-it core rule that gives headings their ids (the same ids as
mdit_py_plugins' anchors plugin: `slug`, then `slug-1`, `slug-2`, ... for repeats, explicit
ids reserved first). That plugin looks for a free suffix from 1 each time, so n identical
headings cost n^2/2 set lookups (40,000 `## Kazakhstan` took 166 s); here each slug
remembers the next suffix to try, and a suffix once passed is never tried again.
Must not: change heading text.
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from briefgen.slug import slugify

LEVELS = ("h2", "h3", "h4")


class Slugs:
    """Unique slugs: `unique("a")` gives a, a-1, a-2, ... skipping any already taken."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self.next: dict[str, int] = {}

    def unique(self, slug: str) -> str:
        if slug not in self.taken:
            self.taken.add(slug)
            return slug
        # Every suffix below next[slug] is taken already (the set only grows).
        n = self.next.get(slug, 1)
        while f"{slug}-{n}" in self.taken:
            n += 1
        self.next[slug] = n + 1
        self.taken.add(f"{slug}-{n}")
        return f"{slug}-{n}"


def anchors(md: MarkdownIt) -> None:
    md.core.ruler.push("anchor", _anchor_ids)


def _anchor_ids(state: StateCore) -> None:
    tokens = state.tokens
    slugs = Slugs(str(i) for t in tokens if t.type == "heading_open" and (i := t.attrGet("id")))
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in LEVELS or token.attrGet("id"):
            continue
        children = tokens[index + 1].children or []
        title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        token.attrSet("id", slugs.unique(slugify(title)))
