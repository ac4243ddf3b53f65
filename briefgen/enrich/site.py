"""Assemble the enriched Site from loaded briefings.

Owns: the enrich stage's order: topics (per briefing) -> summaries -> related (global) ->
topic links, and the site's indexes (by slug, by topic). Must not: render or write.
"""

from __future__ import annotations

import math
from collections import defaultdict

from briefgen.config import SiteConfig
from briefgen.enrich.links import link_topics
from briefgen.enrich.matcher import Matcher
from briefgen.enrich.related import Item, related_all
from briefgen.enrich.summary import summarize, tokens
from briefgen.enrich.topics import detect_topics
from briefgen.model import Briefing, Enriched, Registry, Site, TopicMatch


def site_order(briefings: list[Briefing]) -> list[Briefing]:
    """Newest first; ties broken by slug so the order is total."""
    return sorted(briefings, key=lambda b: (-b.date.timestamp(), b.slug))


def enrich_one(
    briefing: Briefing, registry: Registry, matcher: Matcher
) -> tuple[tuple[TopicMatch, ...], str, str, tuple[str, ...]]:
    """Everything about one briefing that does not depend on the others."""
    topics = detect_topics(briefing, registry, matcher)
    summary, source, points = summarize(briefing)
    return topics, summary, source, points


def related_words(briefing: Briefing, summary: str) -> tuple[str, ...]:
    lead = [b.text for b in briefing.doc.blocks[:4] if b.kind == "p"]
    return tuple(tokens(" ".join([briefing.title, briefing.title, summary, *lead])))


def enrich_site(
    config: SiteConfig,
    registry: Registry,
    briefings: list[Briefing],
    matcher: Matcher | None = None,
) -> Site:
    matcher = matcher or Matcher(registry)
    ordered = site_order(briefings)
    parts = [enrich_one(b, registry, matcher) for b in ordered]
    items = [
        Item(b.slug, tuple(t.id for t in p[0]), related_words(b, p[1]))
        for b, p in zip(ordered, parts, strict=True)
    ]
    related = related_all(items, config.related_count)
    names = {t.id: t.name for t in registry.topics}
    enriched = []
    for b, (topics, summary, source, points), rel in zip(ordered, parts, related, strict=True):
        html = link_topics(
            b.doc.html,
            [t.id for t in topics],
            matcher,
            lambda t: config.link(f"/topics/{t}/"),
            names,
        )
        minutes = max(1, math.ceil(b.doc.words / config.words_per_minute))
        enriched.append(Enriched(b, topics, summary, source, points, rel, html, minutes))
    by_topic: dict[str, list[str]] = defaultdict(list)
    for e in enriched:
        for topic_id in e.topic_ids:
            by_topic[topic_id].append(e.briefing.slug)
    return Site(
        config=config,
        registry=registry,
        briefings=tuple(enriched),
        by_slug={e.briefing.slug: e for e in enriched},
        by_topic={t: tuple(s) for t, s in sorted(by_topic.items())},
    )
