"""Which pages exist and what each template is given.

Owns: the page list (path, template, context) for home, briefings, topics, authors,
archive, feeds, sitemap and redirects. A page's context holds everything its output depends
on besides templates and config, so equal contexts mean equal output.
Must not: render templates or touch the file system.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.enrich.sentences import split_sentences
from briefgen.localise.formats import named_reason
from briefgen.model import Enriched, Registry, Site, Topic
from briefgen.render.body import publish_body
from briefgen.render.desk import (
    author_people,
    briefing_extras,
    by_topic,
    person_ld,
    series_orders,
    series_refs,
)
from briefgen.render.graph import cooccurrence_graph, topic_sets
from briefgen.render.images import ImageInfo
from briefgen.render.search import search_terms
from briefgen.render.views import Card, TopicRef, card, card_image, topic_ref

DIGEST_SIZE = 3


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: str  # output path, e.g. "briefings/x/index.html"
    template: str
    context: dict[str, Any]


Inputs = tuple[object, ...]  # what a memo entry was made from, compared with `==`


@dataclass(frozen=True, slots=True)
class PlanMemo:
    """What planning may reuse next build (part of the build state): cards by slug (with
    the briefing each was made from), briefing specs and topic-page bases by slug or topic
    id (with their inputs), and each briefing's registry topic set."""

    cards: Mapping[str, tuple[Enriched, Card]] = field(default_factory=dict)
    specs: Mapping[str, tuple[Inputs, PageSpec]] = field(default_factory=dict)
    bases: Mapping[str, tuple[Inputs, dict[str, Any]]] = field(default_factory=dict)
    sets: Mapping[str, tuple[Enriched, Registry, frozenset[str]]] = field(default_factory=dict)


def plan_site(
    site: Site,
    previous: PlanMemo | None = None,
    images: Mapping[str, ImageInfo] | None = None,
) -> tuple[list[PageSpec], PlanMemo]:
    """Every page of the site, and the memo for the next build."""
    previous = previous or PlanMemo()
    images = images or {}
    cards, card_memo = make_cards(site, previous.cards, images)
    sets, set_memo = topic_sets(site, previous.sets)
    specs, spec_memo = _briefings(site, cards, images, previous.specs)
    topics, base_memo = _topics(site, cards, sets, previous.bases)
    memo = PlanMemo(card_memo, spec_memo, base_memo, set_memo)
    return plan_pages(site, cards, specs, topics), memo


def plan_pages(
    site: Site, cards: dict[str, Card], briefings: list[PageSpec], topics: list[PageSpec]
) -> list[PageSpec]:
    ordered = [cards[e.briefing.slug] for e in site.briefings]
    pages = _home(site, ordered) + briefings + topics
    pages += _authors(site, ordered) + _archive(ordered) + _redirects(site)
    pages.append(PageSpec("404.html", "404.html", {"latest": tuple(ordered[:5])}))
    pages.append(_sitemap(site))
    pages.append(PageSpec("robots.txt", "robots.txt", {}))
    pages.append(PageSpec("search/index.html", "search.html", {"page_path": "/search/"}))
    pages.append(
        PageSpec(
            "feed.xml",
            "atom.xml",
            {
                "feed_title": site.config.title,
                "feed_path": "/feed.xml",
                "page_path": "/",
                "entries": tuple(ordered[: site.config.feed_limit]),
            },
        )
    )
    return pages


def make_cards(
    site: Site,
    previous: Mapping[str, tuple[Enriched, Card]] | None = None,
    images: Mapping[str, ImageInfo] | None = None,
) -> tuple[dict[str, Card], dict[str, tuple[Enriched, Card]]]:
    """Cards for every briefing by slug, and the memo; an unchanged briefing (the very
    object the previous card was made from, with the same card image) keeps its card."""
    previous = previous or {}
    memo: dict[str, tuple[Enriched, Card]] = {}
    cards = {}
    refs = series_refs(site, series_orders(site)) if site.desk.series else {}
    for e in site.briefings:
        slug = e.briefing.slug
        hit = previous.get(slug)
        image, size = card_image(site, slug, images or {})
        c = card(e, site.registry, image, size, site.desk, refs.get(slug))
        if hit is not None and hit[0] is e and hit[1] == c:
            c = hit[1]  # the very object: pages compare it by identity first
        memo[slug] = (e, c)
        cards[slug] = c
    return cards, memo


def paginate(path: str, items: list, per_page: int) -> list[tuple[str, dict[str, Any]]]:
    """[(output path, {"items", "page", "pages", "prev", "next"})] for /path/, /path/page/2/."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    urls = [path if n == 1 else f"{path}page/{n}/" for n in range(1, len(chunks) + 1)]
    out = []
    for n, chunk in enumerate(chunks, start=1):
        out.append(
            (
                urls[n - 1].lstrip("/") + "index.html",
                {
                    "items": tuple(chunk),
                    "page": n,
                    "pages": len(chunks),
                    "prev": urls[n - 2] if n > 1 else None,
                    "next": urls[n] if n < len(chunks) else None,
                    "page_path": urls[n - 1],
                },
            )
        )
    return out


def topic_counts(site: Site) -> tuple[tuple[TopicRef, int], ...]:
    counts = [(topic_ref(t), len(site.by_topic.get(t.id, ()))) for t in site.registry.topics]
    return tuple(sorted((c for c in counts if c[1]), key=lambda c: (-c[1], c[0].name)))


def _home(site: Site, ordered: list[Card]) -> list[PageSpec]:
    nav = topic_counts(site)[:12]
    return [
        PageSpec(path, "home.html", {**ctx, "topic_nav": nav})
        for path, ctx in paginate("/", ordered, site.config.per_page)
    ]


def _briefings(
    site: Site,
    cards: dict[str, Card],
    images: Mapping[str, ImageInfo],
    previous: Mapping[str, tuple[Inputs, PageSpec]],
) -> tuple[list[PageSpec], dict[str, tuple[Inputs, PageSpec]]]:
    """One page per briefing; a page whose inputs are unchanged keeps its spec object."""
    names = {t.id: t.name for t in site.registry.topics}
    places = {t: {s: i for i, s in enumerate(slugs)} for t, slugs in site.by_topic.items()}
    orders = series_orders(site)
    pdfs = site.desk.pdfs
    fresh: dict[str, tuple[Inputs, PageSpec]] = {}
    for e in site.briefings:
        slug = e.briefing.slug
        neighbours = _neighbours(site, cards, places, e.topic_ids[:1], slug)
        inputs = (e, site.registry, cards[slug], tuple(cards.get(r.slug) for r in e.related))
        bundle = site.bundles.get(slug)
        body = publish_body(e.html, bundle, images, site.config.base_path)
        extras = briefing_extras(site, e, cards[slug], cards, orders, pdfs.get(slug, ""))
        inputs += (neighbours, bundle, body, extras)
        hit = previous.get(slug)
        if hit is not None and hit[0] == inputs:
            # keyed on this build's objects: next time `==` stops at identity, instead of
            # comparing equal copies (after a cold start from the cache) field by field
            fresh[slug] = (inputs, hit[1])
        else:
            page = _briefing_page(site, cards, names, e, neighbours)
            page.context.update(
                body=body,
                attachments=bundle.attachments if bundle else (),
                page_image=site.config.absolute(bundle.image) if bundle and bundle.image else "",
                **extras,
            )
            fresh[slug] = (inputs, page)
    return [spec for _, spec in fresh.values()], fresh


def _briefing_page(
    site: Site,
    cards: dict[str, Card],
    names: dict[str, str],
    e: Enriched,
    neighbours: tuple[Card | None, Card | None, TopicRef | None],
) -> PageSpec:
    b = e.briefing
    related = tuple(
        (cards[r.slug], tuple(names.get(t, t) for t in r.shared))
        for r in e.related
        if r.slug in cards
    )
    english = site.config.language == "en"
    reasons = tuple(
        (ref, m.reason if english else named_reason(m.reason, names))
        for ref, m in zip(
            cards[b.slug].topics,
            (m for m in e.topics if m.id in site.registry.by_id),
            strict=True,
        )
    )
    return PageSpec(
        f"briefings/{b.slug}/index.html",
        "briefing.html",
        {
            "e": e,
            "b": b,
            "card": cards[b.slug],
            "related": related,
            "topic_reasons": reasons,
            "neighbours": neighbours,
            "page_path": b.url,
            "search_terms": search_terms(site.registry, e.topic_ids),
        },
    )


def _neighbours(
    site: Site,
    cards: dict[str, Card],
    places: dict[str, dict[str, int]],
    topic: tuple[str, ...],
    slug: str,
) -> tuple[Card | None, Card | None, TopicRef | None]:
    """(newer, older, topic): previous/next briefing within the briefing's first topic;
    `places` maps topic -> slug -> position in `site.by_topic` (a linear lookup per page
    would make the plan quadratic)."""
    if not topic or topic[0] not in site.registry.by_id:
        return (None, None, None)
    slugs = site.by_topic.get(topic[0], ())
    i = places[topic[0]][slug]
    newer = cards[slugs[i - 1]] if i > 0 else None
    older = cards[slugs[i + 1]] if i + 1 < len(slugs) else None
    return (newer, older, topic_ref(site.registry.by_id[topic[0]]))


def _topics(
    site: Site,
    cards: dict[str, Card],
    sets: dict[str, frozenset[str]],
    previous: Mapping[str, tuple[Inputs, dict[str, Any]]],
) -> tuple[list[PageSpec], dict[str, tuple[Inputs, dict[str, Any]]]]:
    """Topic index, topic pages and topic feeds; the context every page of a topic shares
    (co-occurrence counts and graph walk every briefing of the topic) is reused while its
    inputs are equal."""
    reg = site.registry
    counts = topic_counts(site)
    by_kind: dict[str, list[tuple[TopicRef, int]]] = defaultdict(list)
    for topic in reg.topics:  # a topic with no briefings keeps its page, off the index
        if site.by_topic.get(topic.id):
            by_kind[topic.kind].append((topic_ref(topic), len(site.by_topic[topic.id])))
    pages = [
        PageSpec(
            "topics/index.html",
            "topics.html",
            {
                "groups": tuple((k, tuple(v)) for k, v in sorted(by_kind.items())),
                "counts": counts,
                "page_path": "/topics/",
            },
        )
    ]
    fresh: dict[str, tuple[Inputs, dict[str, Any]]] = {}
    for topic in reg.topics:
        slugs = site.by_topic.get(topic.id, ())
        items = [cards[s] for s in slugs]
        inputs = (topic, reg, tuple(items), tuple(sets[s] for s in slugs))
        inputs += tuple(site.by_slug[c.slug] for c in items[:DIGEST_SIZE])
        hit = previous.get(topic.id)
        same = hit is not None and hit[0] == inputs
        base = hit[1] if hit is not None and same else _topic_base(site, sets, items, topic)
        fresh[topic.id] = (inputs, base)
        for path, ctx in paginate(topic.url, items, site.config.per_page * 2):
            pages.append(PageSpec(path, "topic.html", {**base, **ctx}))
        pages.append(
            PageSpec(
                f"topics/{topic.id}/feed.xml",
                "atom.xml",
                {
                    "feed_title": f"{site.config.title}: {topic.name}",
                    "page_path": topic.url,
                    "feed_path": f"{topic.url}feed.xml",
                    "entries": tuple(items[: site.config.feed_limit]),
                },
            )
        )
    return pages, fresh


def _topic_base(
    site: Site, sets: dict[str, frozenset[str]], items: list[Card], topic: Topic
) -> dict[str, Any]:
    reg = site.registry
    return {
        "topic": topic,
        "parent": topic_ref(reg.by_id[topic.parent]) if topic.parent in reg.by_id else None,
        "children": tuple(topic_ref(reg.by_id[c]) for c in reg.children.get(topic.id, ())),
        "cooccurring": _cooccurring(site, sets, topic.id),
        "total": len(items),
        "timeline": _timeline(items),
        "digest": _digest(site, topic, items[:DIGEST_SIZE]),
        "graph": cooccurrence_graph(site, topic.id, sets=sets),
    }


def _cooccurring(
    site: Site, sets: dict[str, frozenset[str]], topic_id: str, limit: int = 8
) -> tuple[tuple[TopicRef, int], ...]:
    counter: Counter[str] = Counter()
    for slug in site.by_topic.get(topic_id, ()):
        counter.update(sets[slug])
    del counter[topic_id]
    best = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple(
        (topic_ref(site.registry.by_id[t]), n) for t, n in best if t in site.registry.by_id
    )


def _digest(site: Site, topic: Topic, items: list[Card]) -> tuple[tuple[Card, str], ...]:
    """ "Latest on this topic": one key sentence from each of the newest briefings.

    Prefers a sentence of the summary or key points that names the topic.
    """
    names = [n.casefold() for n in (topic.name, *topic.aliases, *topic.signals)]
    out = []
    for c in items:
        e = site.by_slug[c.slug]
        candidates = [*split_sentences(e.summary), *e.key_points]
        named = [s for s in candidates if any(n in s.casefold() for n in names)]
        sentence = (named or candidates or [""])[0]
        if sentence:
            out.append((c, sentence))
    return tuple(out)


def _timeline(items: list[Card]) -> tuple[tuple[int, int], ...]:
    """(year, number of briefings) for the topic, oldest first."""
    years = Counter(c.date.year for c in items)
    return tuple(sorted(years.items()))


def _authors(site: Site, ordered: list[Card]) -> list[PageSpec]:
    """One page per author URL; spellings that share a slug ("Jöhn", "John") or that a
    profile lists as variants share a page; a profile's page shows it, and every author
    page groups its briefings by topic."""
    people = author_people(site, ordered)
    pages = [
        PageSpec(
            "authors/index.html",
            "authors.html",
            {
                "authors": tuple((name, url, len(items)) for name, url, items, _ in people),
                "profiles": {url: p for _, url, _, p in people if p is not None},
                "page_path": "/authors/",
            },
        )
    ]
    for name, url, items, profile in people:
        for path, ctx in paginate(url, items, 50):
            groups = by_topic(list(ctx["items"]))
            pages.append(
                PageSpec(
                    path,
                    "author.html",
                    {
                        "name": name,
                        "profile": profile,
                        "groups": groups,
                        "total": len(items),
                        "profile_ld": person_ld(site.config, profile) if profile else None,
                        **ctx,
                    },
                )
            )
    return pages


def _archive(ordered: list[Card]) -> list[PageSpec]:
    months: dict[tuple[int, int], list[Card]] = defaultdict(list)
    for c in ordered:
        months[(c.date.year, c.date.month)].append(c)
    years: dict[int, list[tuple[int, tuple[Card, ...]]]] = defaultdict(list)
    for (year, month), items in sorted(months.items(), reverse=True):
        years[year].append((month, tuple(items)))
    return [
        PageSpec(
            "archive/index.html",
            "archive.html",
            {
                "years": tuple((y, tuple(m)) for y, m in sorted(years.items(), reverse=True)),
                "page_path": "/archive/",
            },
        )
    ]


def _sitemap(site: Site) -> PageSpec:
    """Only URLs and dates: a body edit leaves the sitemap's context equal (so not re-rendered)."""
    briefings = tuple(
        (e.briefing.url, (e.briefing.updated or e.briefing.date).date().isoformat())
        for e in site.briefings
    )
    topics = tuple(t.url for t in site.registry.topics if site.by_topic.get(t.id))
    return PageSpec("sitemap.xml", "sitemap.xml", {"briefings": briefings, "topics": topics})


def _redirects(site: Site) -> list[PageSpec]:
    pages = []
    for e in site.briefings:
        for alias in e.briefing.aliases:
            pages.append(
                PageSpec(
                    alias.strip("/") + "/index.html",
                    "redirect.html",
                    {"target": e.briefing.url, "title": e.briefing.title},
                )
            )
    return pages
