"""The JSON API (site/api/briefings.json, site/api/topics.json) other tools read.

Owns: the published JSON shapes. Must not: change them without a version bump.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from briefgen.config import SiteConfig
from briefgen.model import Bundle, Enriched, Site
from briefgen.render.apidesk import DeskRow, desk_fields, desk_row
from briefgen.render.desk import series_orders, series_refs
from briefgen.render.env import isodate

# (briefing, what the API shows of its bundle and of the desk, line)
Row = tuple[Enriched, tuple[Bundle | None, "DeskRow"], bytes]


@dataclass(frozen=True, slots=True)
class ApiMemo:
    """What the next build may reuse (part of the build state), for the dev server, where
    one edit must not cost the whole 18 MB file at 10,000 briefings: each briefing's line
    by source (with the briefing and bundle it was made from), the lines the last file was
    joined from and that file, and the last topics.json with its inputs."""

    rows: Mapping[str, Row] = field(default_factory=dict)
    lines: tuple[bytes, ...] = ()
    data: bytes = b""
    topics: tuple[object, bytes] | None = None


def api_files(site: Site, previous: ApiMemo | None = None) -> tuple[bytes, bytes, ApiMemo]:
    """(briefings.json, topics.json, the memo for the next build)."""
    previous = previous or ApiMemo()
    rows, lines, data = _briefings_json(site, previous)
    inputs = (site.registry, site.by_topic)
    if previous.topics is not None and previous.topics[0] == inputs:
        topics = previous.topics[1]
    else:
        topics = topics_json(site)
    # keyed on this build's objects: next time `==` stops at identity (see plan.py)
    return data, topics, ApiMemo(rows, lines, data, (inputs, topics))


def briefings_json(site: Site) -> bytes:
    """One briefing per line, so the file diffs well and rebuilds reuse unchanged lines."""
    return _briefings_json(site, ApiMemo())[2]


def _briefings_json(
    site: Site, previous: ApiMemo
) -> tuple[dict[str, Row], tuple[bytes, ...], bytes]:
    rows = {}
    refs = series_refs(site, series_orders(site)) if site.desk.series else {}
    pdfs = site.desk.pdfs
    for e in site.briefings:
        slug = e.briefing.slug
        shown = (_exported(site.bundles.get(slug)), desk_row(site, e, refs.get(slug), pdfs))
        rows[e.briefing.source] = (e, shown, _line(e, shown, site.config, previous.rows))
    lines = tuple(rows[e.briefing.source][2] for e in site.briefings)
    if previous.lines and _same_objects(previous.lines, lines):
        return rows, lines, previous.data  # the very same bytes: the write stage skips it
    return rows, lines, _join(lines)


def _line(
    e: Enriched,
    shown: tuple[Bundle | None, DeskRow],
    config: SiteConfig,
    rows: Mapping[str, Row],
) -> bytes:
    """`e`'s JSON line: the memo's object while `e` is unchanged or its line is equal."""
    hit = rows.get(e.briefing.source)
    if hit is not None and hit[0] is e and hit[1] == shown:
        return hit[2]
    line = _row(e, shown[0], config, shown[1]).encode()
    return hit[2] if hit is not None and hit[2] == line else line


def _exported(bundle: Bundle | None) -> Bundle | None:
    """Only what the API shows of a bundle (so other bundle changes keep the line)."""
    if bundle is None or not (bundle.attachments or bundle.image):
        return None
    return Bundle(attachments=bundle.attachments, image=bundle.image)


def _join(lines: tuple[bytes, ...]) -> bytes:
    """The file; the frame goes onto the first and last lines so the big join copies once."""
    head, tail = b'{"briefings": [\n', b"\n]}\n"
    if not lines:
        return head + tail
    framed = list(lines)
    framed[0] = head + framed[0]
    framed[-1] = framed[-1] + tail
    return b",\n".join(framed)


def _same_objects(old: tuple[bytes, ...], new: tuple[bytes, ...]) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def _row(e: Enriched, bundle: Bundle | None, config: SiteConfig, desk: DeskRow) -> str:
    b = e.briefing
    files = bundle.attachments if bundle else ()
    return json.dumps(
        {
            **desk_fields(config, desk),
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
            **({"held": b.held} if b.held else {}),  # scheduled | expired: a preview build
        },
        ensure_ascii=False,
        sort_keys=True,
    )


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
