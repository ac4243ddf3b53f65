"""The JSON API (site/api/briefings.json, site/api/topics.json) other tools read.

Owns: the published JSON shapes. Must not: change them without a version bump.
"""

from __future__ import annotations

import json

from briefgen.model import Site
from briefgen.render.env import isodate


def briefings_json(site: Site) -> bytes:
    rows = []
    for e in site.briefings:
        b = e.briefing
        rows.append(
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
            }
        )
    return _dump({"briefings": rows})


def topics_json(site: Site) -> bytes:
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
