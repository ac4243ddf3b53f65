"""Pages of the publishing desk: /series/, each series' page and feed, /corrections/ and
the standalone pages (content/pages/).

Owns: their page specs. Must not: render templates (render/desk.py has the values
briefing and author pages show).
"""

from __future__ import annotations

from collections.abc import Mapping

from briefgen.model import Site
from briefgen.render.desk import series_orders
from briefgen.render.plan import PageSpec
from briefgen.render.views import Card


def desk_pages(site: Site, cards: Mapping[str, Card]) -> list[PageSpec]:
    return [*_series(site, cards), _corrections(site, cards), *_pages(site)]


def _series(site: Site, cards: Mapping[str, Card]) -> list[PageSpec]:
    orders = series_orders(site)
    listed = tuple(
        (info, len(orders.get(sid, ()))) for sid, info in sorted(site.desk.series.items())
    )
    if not listed:
        return []
    pages = [
        PageSpec(
            "series/index.html", "series-index.html", {"series": listed, "page_path": "/series/"}
        )
    ]
    for sid, info in sorted(site.desk.series.items()):
        items = tuple(cards[s] for s in orders.get(sid, ()) if s in cards)
        pages.append(
            PageSpec(
                f"series/{sid}/index.html",
                "series.html",
                {"series": info, "items": items, "page_path": info.url},
            )
        )
        newest = sorted(items, key=lambda c: (c.date, c.slug), reverse=True)
        pages.append(
            PageSpec(
                f"series/{sid}/feed.xml",
                "atom.xml",
                {
                    "feed_title": f"{site.config.title}: {info.title}",
                    "page_path": info.url,
                    "feed_path": f"{info.url}feed.xml",
                    "entries": tuple(newest[: site.config.feed_limit]),
                },
            )
        )
    return pages


def _corrections(site: Site, cards: Mapping[str, Card]) -> PageSpec:
    """Every correction on the site, newest first (ties: by briefing, then text)."""
    rows = [
        (c, cards[e.briefing.slug])
        for e in site.briefings
        for c in e.briefing.corrections
        if e.briefing.slug in cards
    ]
    rows.sort(key=lambda r: (r[0].date, r[1].date, r[1].slug, r[0].text), reverse=True)
    return PageSpec(
        "corrections/index.html",
        "corrections.html",
        {"rows": tuple(rows), "page_path": "/corrections/"},
    )


def _pages(site: Site) -> list[PageSpec]:
    return [
        PageSpec(f"{p.slug}/index.html", "page.html", {"page": p, "page_path": p.url})
        for p in site.desk.pages
    ]
