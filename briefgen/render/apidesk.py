"""What the JSON API shows of the publishing desk: in each briefing's row its author
pages, series place, corrections and PDF; api/authors.json (profiles) and api/series.json.

Owns: those JSON shapes (added fields only: the existing ones keep their meaning).
Must not: render templates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from briefgen.config import SiteConfig
from briefgen.model import Enriched, Site
from briefgen.render.desk import series_orders
from briefgen.render.env import isodate
from briefgen.render.views import AuthorRef, SeriesRef, author_refs


@dataclass(frozen=True, slots=True)
class DeskRow:
    """The desk's part of one briefing's row (compared with `==` to reuse the line)."""

    authors: tuple[AuthorRef, ...]
    series: SeriesRef | None
    corrections: tuple[tuple[str, str], ...]  # (ISO date, text)
    pdf: str  # site path, "" without one


def desk_row(site: Site, e: Enriched, series: SeriesRef | None, pdfs: dict[str, str]) -> DeskRow:
    b = e.briefing
    return DeskRow(
        author_refs(b.authors, site.desk),
        series,
        tuple((isodate(c.date), c.text) for c in b.corrections),
        pdfs.get(b.slug, ""),
    )


def desk_fields(config: SiteConfig, row: DeskRow) -> dict[str, Any]:
    s = row.series
    return {
        "author_pages": [{"name": a.name, "url": config.absolute(a.url)} for a in row.authors],
        "series": {
            "id": s.id,
            "title": s.title,
            "url": config.absolute(s.url),
            "part": s.part,
            "of": s.total,
        }
        if s
        else None,
        "corrections": [{"date": d, "text": t} for d, t in row.corrections],
        "pdf": config.absolute(row.pdf) if row.pdf else None,
    }


def authors_json(site: Site) -> bytes:
    config = site.config
    rows = [
        {
            "slug": p.slug,
            "name": p.name,
            "url": config.absolute(p.url),
            "role": p.role,
            "affiliation": p.affiliation,
            "bio_html": p.bio_html,
            "photo": config.absolute(p.photo) if p.photo else None,
            "links": [{"label": label, "url": url} for label, url in p.links],
            "variants": list(p.variants),
        }
        for _, p in sorted(site.desk.profiles.items())
    ]
    return _dump({"authors": rows})


def series_json(site: Site) -> bytes:
    config = site.config
    orders = series_orders(site)
    rows = [
        {
            "id": info.id,
            "title": info.title,
            "url": config.absolute(info.url),
            "order": info.order,
            "description_html": info.description_html,
            "briefings": list(orders.get(sid, ())),
        }
        for sid, info in sorted(site.desk.series.items())
    ]
    return _dump({"series": rows})


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()
