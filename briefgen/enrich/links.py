"""Link the first mention of each of a briefing's topics to its topic page.

Owns: rewriting text nodes of the rendered body. Never links inside an existing link, a
heading, code, or the footnotes; each topic is linked once.
Must not: decide which topics a briefing has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from briefgen.enrich.matcher import NAME, Matcher

_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_SKIP = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "code",
        "pre",
        "section",
        "script",
        "style",
        "sup",
        "figcaption",
    }
)


def link_topics(
    html: str,
    topics: Iterable[str],
    matcher: Matcher,
    href: Callable[[str], str],
    names: dict[str, str],
) -> str:
    """Wrap the first name-strength mention of each topic in <a class="topic-link">."""
    wanted = set(topics)
    if not wanted or not html:
        return html
    parts = _TAG.split(html)
    skipping: list[str] = []
    for index, part in enumerate(parts):
        if not part:
            continue
        if part.startswith("<"):
            _track(part, skipping)
            continue
        if skipping or not wanted:
            continue
        parts[index] = _link_text(part, wanted, matcher, href, names)
    return "".join(parts)


def _track(tag: str, skipping: list[str]) -> None:
    match = _TAG_NAME.match(tag)
    if not match:
        return
    name = match.group(1).lower()
    if name not in _SKIP or tag.endswith("/>"):
        return
    if tag.startswith("</"):
        if name in skipping:
            del skipping[len(skipping) - 1 - skipping[::-1].index(name)]
    else:
        skipping.append(name)


def _link_text(
    text: str, wanted: set[str], matcher: Matcher, href: Callable[[str], str], names: dict[str, str]
) -> str:
    out: list[str] = []
    last = 0
    for hit in matcher.find(text):
        if hit.topic not in wanted or hit.strength != NAME:
            continue
        wanted.discard(hit.topic)
        title = names.get(hit.topic, hit.topic).replace('"', "&quot;")
        out.append(text[last : hit.start])
        out.append(
            f'<a class="topic-link" href="{href(hit.topic)}" title="{title}">'
            f"{text[hit.start : hit.end]}</a>"
        )
        last = hit.end
    out.append(text[last:])
    return "".join(out)
