"""The JSON API (site/api/briefings.json, site/api/topics.json) other tools read.

Owns: the published JSON shapes. Must not: change them without a version bump.
"""

from __future__ import annotations

import json

from briefgen.model import Enriched, Site
from briefgen.render.env import isodate

_ROWS: dict[int, tuple[Enriched, str]] = {}  # id -> (briefing, its JSON line): a memo


def briefings_json(site: Site) -> bytes:
    """One briefing per line, so the file diffs well and rebuilds reuse unchanged lines."""
    lines = []
    fresh: dict[int, tuple[Enriched, str]] = {}
    for e in site.briefings:
        hit = _ROWS.get(id(e))
        line = hit[1] if hit is not None and hit[0] is e else _row(e)
        fresh[id(e)] = (e, line)
        lines.append(line)
    _ROWS.clear()
    _ROWS.update(fresh)
    body = ",\n".join(lines)
    return f'{{"briefings": [\n{body}\n]}}\n'.encode()


def _row(e: Enriched) -> str:
    b = e.briefing
    return json.dumps(
        {
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
