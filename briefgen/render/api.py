"""The JSON API (site/api/briefings.json, site/api/topics.json) other tools read.

Owns: the published JSON shapes. Must not: change them without a version bump.
"""

from __future__ import annotations

import json

from briefgen.config import SiteConfig
from briefgen.model import Bundle, Enriched, Site
from briefgen.render.env import isodate

# Memos for the dev server, where one edit must not cost the whole 18 MB file at 10,000
# briefings: each briefing's line (kept while its object, or its line's bytes, is unchanged)
# and the last file with the lines it was joined from.
_ROWS: dict[str, tuple[Enriched, Bundle | None, bytes]] = {}  # source -> (briefing, bundle, line)
_LAST: list[tuple[list[bytes], bytes]] = []  # [(lines, file bytes)] of the last call


def briefings_json(site: Site) -> bytes:
    """One briefing per line, so the file diffs well and rebuilds reuse unchanged lines."""
    fresh = {}
    for e in site.briefings:
        bundle = _exported(site.bundles.get(e.briefing.slug))
        fresh[e.briefing.source] = (e, bundle, _line(e, bundle, site.config))
    lines = [fresh[e.briefing.source][2] for e in site.briefings]
    _ROWS.clear()
    _ROWS.update(fresh)
    if _LAST and _same_objects(_LAST[0][0], lines):
        return _LAST[0][1]  # the very same bytes object: the write stage skips it at once
    data = _join(lines)
    _LAST[:] = [(lines, data)]
    return data


def _line(e: Enriched, bundle: Bundle | None, config: SiteConfig) -> bytes:
    """`e`'s JSON line: the memo's object while `e` is unchanged or its line is equal."""
    hit = _ROWS.get(e.briefing.source)
    if hit is not None and hit[0] is e and hit[1] == bundle:
        return hit[2]
    line = _row(e, bundle, config).encode()
    return hit[2] if hit is not None and hit[2] == line else line


def _exported(bundle: Bundle | None) -> Bundle | None:
    """Only what the API shows of a bundle (so other bundle changes keep the line)."""
    if bundle is None or not (bundle.attachments or bundle.image):
        return None
    return Bundle(attachments=bundle.attachments, image=bundle.image)


def _join(lines: list[bytes]) -> bytes:
    """The file; the frame goes onto the first and last lines so the big join copies once."""
    head, tail = b'{"briefings": [\n', b"\n]}\n"
    if not lines:
        return head + tail
    framed = list(lines)
    framed[0] = head + framed[0]
    framed[-1] = framed[-1] + tail
    return b",\n".join(framed)


def _same_objects(old: list[bytes], new: list[bytes]) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def _row(e: Enriched, bundle: Bundle | None, config: SiteConfig) -> str:
    b = e.briefing
    files = bundle.attachments if bundle else ()
    return json.dumps(
        {
            "attachments": [
                {"title": a.title, "url": config.absolute(a.url), "type": a.kind, "size": a.size}
                for a in files
            ],
            "image": config.absolute(bundle.image) if bundle and bundle.image else None,
            "source": b.source,
            "slug": b.slug,
            "url": b.url,
            "title": b.title,
            "date": isodate(b.date),
            "updated": isodate(b.updated) or None,
            "authors": list(b.authors),
            "type": b.type,
            "topics": list(e.topic_ids),
            "topic_reasons": {t.id: t.reason for t in e.topics},
            "summary": e.summary,
            "summary_source": e.summary_source,
            "key_points": list(e.key_points),
            "related": [r.slug for r in e.related],
            "related_shared": {r.slug: list(r.shared) for r in e.related},
            "reading_minutes": e.reading_minutes,
            "draft": b.draft,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


_TOPICS: list[tuple[object, bytes]] = []  # [(inputs, bytes)] of the last call: a memo


def topics_json(site: Site) -> bytes:
    inputs = (site.registry, site.by_topic)
    if _TOPICS and _TOPICS[0][0] == inputs:
        _TOPICS[:] = [(inputs, _TOPICS[0][1])]  # keyed on this build's objects (see plan.py)
        return _TOPICS[0][1]
    data = _topics_json(site)
    _TOPICS[:] = [(inputs, data)]
    return data


def _topics_json(site: Site) -> bytes:
    rows = []
    for t in site.registry.topics:
        rows.append(
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind,
                "parent": t.parent,
                "aliases": list(t.aliases),
                "url": t.url,
                "children": list(site.registry.children.get(t.id, ())),
                "briefings": list(site.by_topic.get(t.id, ())),
            }
        )
    return _dump({"topics": rows})


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()
