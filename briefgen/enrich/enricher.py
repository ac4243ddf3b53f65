"""Assemble the enriched Site from loaded briefings.

Owns: the enrich stage's order: per-briefing analysis (topics, summary, topic links; run on
all cores, reused from the previous build for unchanged briefings) -> related briefings
(global) -> the site's indexes (by slug, by topic). Must not: render or write.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from briefgen.cache import Cache, encode, key_of
from briefgen.config import SiteConfig
from briefgen.deps import analysis_key
from briefgen.enrich.links import link_topics
from briefgen.enrich.matcher import Matcher
from briefgen.enrich.related import Index, Item, related_index
from briefgen.enrich.summary import summarize
from briefgen.enrich.topics import detect_topics
from briefgen.enrich.words import tokens
from briefgen.model import Briefing, Enriched, Registry, Site, TopicMatch
from briefgen.parallel import parallel_iter

RELATED = "related"  # the cache kind of the related index, one entry per edition


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything about one briefing that does not depend on the others."""

    topics: tuple[TopicMatch, ...]
    summary: str
    summary_source: str
    key_points: tuple[str, ...]
    html: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EnrichMemo:
    """What the next build may reuse (part of the build state): the site, the related-index
    items its briefings were ranked from (in site order) and the index itself."""

    site: Site
    items: tuple[Item, ...]
    index: Index


def site_order(briefings: list[Briefing]) -> list[Briefing]:
    """Newest first; ties broken by slug so the order is total."""
    return sorted(briefings, key=lambda b: (-b.date.timestamp(), b.slug))


def analyse(briefing: Briefing, registry: Registry, matcher: Matcher, base_path: str) -> Analysis:
    topics = detect_topics(briefing, registry, matcher)
    summary, source, points = summarize(briefing)
    names = {t.id: t.name for t in registry.topics}
    html = link_topics(
        briefing.doc.html,
        [t.id for t in topics],
        matcher,
        lambda t: f"{base_path}topics/{t}/",
        names,
    )
    lead = [b.text for b in briefing.doc.blocks[:4] if b.kind == "p"]
    words = tuple(tokens(" ".join([briefing.title, briefing.title, summary, *lead])))
    return Analysis(topics, summary, source, points, html, words)


def _analyse_one(context: tuple[Registry, Matcher, str, list[Briefing]], index: int) -> bytes:
    """One briefing's analysis, encoded for the cache (see `briefgen.cache.encode`)."""
    registry, matcher, base_path, todo = context
    return encode(analyse(todo[index], registry, matcher, base_path))


def enrich_site(
    config: SiteConfig,
    registry: Registry,
    briefings: list[Briefing],
    previous: EnrichMemo | None = None,
    cache: Cache | None = None,
) -> tuple[Site, EnrichMemo]:
    """The enriched site, and what the next build may reuse from it."""
    ordered = site_order(briefings)
    old = _reusable(previous, config, registry)
    analyses = _analyse_changed(config, registry, ordered, old, cache or Cache(None))
    items = tuple(
        old[b.slug][1]
        if b.slug not in analyses
        else Item(b.slug, tuple(t.id for t in analyses[b.slug].topics), analyses[b.slug].keywords)
        for b in ordered
    )
    index = _related(items, previous, config.related_count, cache, config.language)
    before = previous.site.by_slug if previous is not None else {}
    enriched = []
    for b, rel in zip(ordered, index.results, strict=True):
        a = analyses.get(b.slug)
        if a is None:  # unchanged briefing: keep its object (later stages compare identity)
            e = old[b.slug][0]
            enriched.append(e if e.related == rel else replace(e, related=rel))
            continue
        minutes = max(1, math.ceil(b.doc.words / config.words_per_minute))
        e = Enriched(b, a.topics, a.summary, a.summary_source, a.key_points, rel, a.html, minutes)
        enriched.append(before[b.slug] if before.get(b.slug) == e else e)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for e in enriched:
        for topic_id in e.topic_ids:
            by_topic[topic_id].append(e.briefing.slug)
    site = Site(
        config=config,
        registry=registry,
        briefings=tuple(enriched),
        by_slug={e.briefing.slug: e for e in enriched},
        by_topic={t: tuple(s) for t, s in sorted(by_topic.items())},
    )
    return site, EnrichMemo(site, items, index)


def _analyse_changed(
    config: SiteConfig,
    registry: Registry,
    ordered: list[Briefing],
    old: dict[str, tuple[Enriched, Item]],
    cache: Cache,
) -> dict[str, Analysis]:
    """Analyses of the briefings that are not unchanged from the previous build: from the
    persistent cache, else computed (on all cores)."""
    salt = analysis_key(config, registry)  # deps.py: what an analysis reads
    changed = [b for b in ordered if not (b.slug in old and old[b.slug][0].briefing is b)]
    keys = {b.slug: key_of(salt, b.source, b.digest) for b in changed}
    cached = cache.get_many("analysis", keys.values())
    analyses = {
        b.slug: cached[keys[b.slug]]
        for b in changed
        if isinstance(cached.get(keys[b.slug]), Analysis)
    }
    todo = [b for b in changed if b.slug not in analyses]
    # Workers get indices: forked, they inherit `todo` instead of receiving it pickled.
    context = (
        (registry, Matcher(registry, config.language), config.base_path, todo) if todo else None
    )
    payloads = parallel_iter(_analyse_one, range(len(todo)), context)
    fresh = cache.keep("analysis", zip([keys[b.slug] for b in todo], payloads, strict=True))
    analyses.update((b.slug, a) for b, a in zip(todo, fresh, strict=True))
    return analyses


def _reusable(
    previous: EnrichMemo | None, config: SiteConfig, registry: Registry
) -> dict[str, tuple[Enriched, Item]]:
    """The previous build's briefings and related-index items, valid while config and
    registry are unchanged."""
    if previous is None or previous.site.config != config or previous.site.registry != registry:
        return {}
    return {
        e.briefing.slug: (e, item)
        for e, item in zip(previous.site.briefings, previous.items, strict=True)
    }


def _related(
    items: tuple[Item, ...],
    previous: EnrichMemo | None,
    k: int,
    cache: Cache | None = None,
    edition: str = "",
) -> Index:
    """Related lists depend only on the items (and k): reuse the index when no item
    changed, else bring it up to date, re-ranking only what an edit touches. Without the
    last build's index in memory (a CLI build), the one the last build kept in the
    persistent cache is brought up to date instead (one entry per edition), and the new one
    kept in its place: a one-file build re-ranks a few briefings, not all of them."""
    if previous is not None:
        if items == previous.items and k == previous.index.k:
            return previous.index
        return related_index(items, k, previous.index)
    slot = key_of("related-index", edition)
    stored = cache.get_many(RELATED, [slot]).get(slot) if cache is not None else None
    last = stored if isinstance(stored, Index) else None
    if last is not None and last.items == items and last.k == k:
        return last
    index = related_index(items, k, last)
    if cache is not None:
        cache.put_many(RELATED, [(slot, encode(index))])
    return index
