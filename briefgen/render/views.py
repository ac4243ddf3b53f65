"""Template-facing views: small frozen records built from the enriched site.

Owns: what templates see of a briefing in lists (Card) and on its page (Page views).
Keeping views small is what lets unchanged pages be skipped: a page is re-rendered only
when the values it is given differ from last time.
Must not: render templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefgen.model import Enriched, Registry, Topic
from briefgen.slug import slugify


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: str
    name: str
    url: str
    kind: str


@dataclass(frozen=True, slots=True)
class AuthorRef:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Card:
    slug: str
    url: str
    title: str
    date: dt.datetime
    updated: dt.datetime | None
    type: str
    summary: str
    authors: tuple[AuthorRef, ...]
    topics: tuple[TopicRef, ...]
    reading_minutes: int
    draft: bool


def author_url(name: str) -> str:
    return f"/authors/{slugify(name)}/"


def topic_ref(topic: Topic) -> TopicRef:
    return TopicRef(topic.id, topic.name, topic.url, topic.kind)


def topic_refs(ids: tuple[str, ...], registry: Registry) -> tuple[TopicRef, ...]:
    return tuple(topic_ref(registry.by_id[t]) for t in ids if t in registry.by_id)


def card(e: Enriched, registry: Registry) -> Card:
    b = e.briefing
    return Card(
        slug=b.slug,
        url=b.url,
        title=b.title,
        date=b.date,
        updated=b.updated,
        type=b.type,
        summary=e.summary,
        authors=tuple(AuthorRef(a, author_url(a)) for a in b.authors),
        topics=topic_refs(e.topic_ids, registry),
        reading_minutes=e.reading_minutes,
        draft=b.draft,
    )
