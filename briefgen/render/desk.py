"""The desk's pages and what briefing pages show of it: author pages with profiles,
series pages and feeds, "Part 2 of 5" navigation, correction notes, /corrections/ and
standalone pages.

Owns: their page specs and template values, and the schema.org values they add (Person
with sameAs, isPartOf a CreativeWorkSeries, CorrectionComment). Must not: render
templates or touch the file system.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from briefgen.config import SiteConfig
from briefgen.model import AuthorProfile, Briefing, Enriched, Site
from briefgen.render.env import isodate
from briefgen.render.views import Card, SeriesRef, TopicRef

NO_TOPIC = TopicRef("", "Other briefings", "", "")


@dataclass(frozen=True, slots=True)
class SeriesNav:
    """What a piece of a series shows: "Part 2 of 5", the previous and the next piece."""

    ref: SeriesRef
    prev: Card | None
    next: Card | None


def series_orders(site: Site) -> dict[str, tuple[str, ...]]:
    """series id -> slugs in reading order: by `part:` (unnumbered pieces after, by date)
    or oldest first; ties by slug."""
    members: dict[str, list[Briefing]] = defaultdict(list)
    for e in site.briefings:
        if e.briefing.series in site.desk.series:
            members[e.briefing.series].append(e.briefing)
    orders = {}
    for sid, items in sorted(members.items()):
        by_part = site.desk.series[sid].order == "part"
        items.sort(key=lambda b: (by_part and not b.part, b.part if by_part else 0, b.date, b.slug))
        orders[sid] = tuple(b.slug for b in items)
    return orders


def series_refs(site: Site, orders: Mapping[str, tuple[str, ...]]) -> dict[str, SeriesRef]:
    """slug -> its SeriesRef, for every briefing in a series."""
    refs = {}
    for sid, slugs in orders.items():
        info = site.desk.series[sid]
        for i, slug in enumerate(slugs):
            refs[slug] = SeriesRef(sid, info.title, info.url, i + 1, len(slugs))
    return refs


def briefing_extras(
    site: Site,
    e: Enriched,
    card: Card,
    cards: Mapping[str, Card],
    orders: Mapping[str, tuple[str, ...]],
    pdf: str,
) -> dict[str, Any]:
    """The desk's values on a briefing page: byline profiles, series navigation,
    correction notes, the PDF's site path ("" without one), and schema.org additions."""
    b = e.briefing
    profiles = tuple(
        site.desk.profiles[a.url.split("/")[2]]
        for a in card.authors
        if a.url.split("/")[2] in site.desk.profiles
    )
    nav = None
    if card.series is not None:
        slugs = orders.get(card.series.id, ())
        i = card.series.part - 1
        nav = SeriesNav(
            card.series,
            cards.get(slugs[i - 1]) if i > 0 else None,
            cards.get(slugs[i + 1]) if i + 1 < len(slugs) else None,
        )
    return {
        "profiles": profiles,
        "series_nav": nav,
        "corrections": b.corrections,
        "pdf_url": pdf,
        "desk_ld": _article_ld(site, b, card, profiles),
    }


def person_ld(config: SiteConfig, p: AuthorProfile) -> dict[str, Any]:
    """schema.org Person: name, page, role, affiliation, photo and sameAs (ORCID, social)."""
    ld: dict[str, Any] = {"@type": "Person", "name": p.name, "url": config.absolute(p.url)}
    if p.role:
        ld["jobTitle"] = p.role
    if p.affiliation:
        ld["affiliation"] = {"@type": "Organization", "name": p.affiliation}
    if p.photo:
        ld["image"] = config.absolute(p.photo)
    same = [url for _, url in p.links if url.startswith("http")]
    if same:
        ld["sameAs"] = same
    if p.variants:
        ld["alternateName"] = list(p.variants)
    return ld


def _article_ld(
    site: Site, b: Briefing, card: Card, profiles: tuple[AuthorProfile, ...]
) -> dict[str, Any]:
    config = site.config
    by_url = {p.url: p for p in profiles}
    ld: dict[str, Any] = {
        "author": [
            person_ld(config, by_url[a.url])
            if a.url in by_url
            else {"@type": "Person", "name": a.name, "url": config.absolute(a.url)}
            for a in card.authors
        ],
        "dateModified": isodate(card.updated or card.date),
    }
    website = {"@type": "WebSite", "name": config.title, "url": config.absolute("/")}
    if card.series is not None:
        ld["isPartOf"] = [
            {
                "@type": "CreativeWorkSeries",
                "name": card.series.title,
                "url": config.absolute(card.series.url),
            },
            website,
        ]
        ld["position"] = card.series.part
    if b.corrections:
        ld["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": isodate(c.date)}
            for c in b.corrections
        ]
    return ld


def by_topic(items: list[Card]) -> tuple[tuple[TopicRef, tuple[Card, ...]], ...]:
    """An author's briefings grouped by their first topic: the biggest group first."""
    groups: dict[TopicRef, list[Card]] = defaultdict(list)
    for c in items:
        groups[c.topics[0] if c.topics else NO_TOPIC].append(c)
    order = sorted(groups, key=lambda t: (t == NO_TOPIC, -len(groups[t]), t.name))
    return tuple((t, tuple(groups[t])) for t in order)


def author_people(
    site: Site, ordered: list[Card]
) -> list[tuple[str, str, list[Card], AuthorProfile | None]]:
    """(name, url, cards, profile) for every author page: each URL a briefing names, and
    every profile (one with no briefing yet still has its page)."""
    cards: dict[str, list[Card]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for c in ordered:
        for a in c.authors:
            if not cards[a.url] or cards[a.url][-1] is not c:
                cards[a.url].append(c)
            spellings[a.url][a.name] += 1
    profiles = {p.url: p for p in site.desk.profiles.values()}
    people = []
    for url in sorted(set(cards) | set(profiles)):
        profile = profiles.get(url)
        name = profile.name if profile else min(spellings[url].items(), key=_most_used)[0]
        people.append((name, url, cards.get(url, []), profile))
    return sorted(people, key=lambda p: (p[0], p[1]))


def _most_used(kv: tuple[str, int]) -> tuple[int, str]:
    return (-kv[1], kv[0])
