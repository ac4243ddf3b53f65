"""Template-facing views: small frozen records built from the enriched site.

Owns: what templates see of a briefing in lists (Card) and on its page (Page views).
Keeping views small is what lets unchanged pages be skipped: a page is re-rendered only
when the values it is given differ from last time.
Must not: render templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.model import Enriched, Registry, Site, Topic
from briefgen.render.images import ImageInfo
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
    image: str | None = None  # site path (or URL) of the card image
    image_size: tuple[int, int] = (0, 0)
    held: str = ""  # "scheduled" | "expired": shown outside its window (preview builds)


def author_url(name: str) -> str:
    return f"/authors/{slugify(name)}/"


def topic_ref(topic: Topic) -> TopicRef:
    return TopicRef(topic.id, topic.name, topic.url, topic.kind)


def topic_refs(ids: tuple[str, ...], registry: Registry) -> tuple[TopicRef, ...]:
    return tuple(topic_ref(registry.by_id[t]) for t in ids if t in registry.by_id)


def card(
    e: Enriched,
    registry: Registry,
    image: str | None = None,
    image_size: tuple[int, int] = (0, 0),
) -> Card:
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
        image=image,
        image_size=image_size,
        held=b.held,
    )


def card_image(
    site: Site, slug: str, images: Mapping[str, ImageInfo]
) -> tuple[str | None, tuple[int, int]]:
    """A briefing's card image (site path or URL) and its size: the narrowest variant of a
    raster image that is still 480 px wide or more, so listings do not load the original."""
    bundle = site.bundles.get(slug)
    image = bundle.image if bundle else None
    info = images.get(image[1:]) if image and image.startswith("/") else None
    if image is None or info is None:
        return image, (0, 0)
    small = [v for v in info.variants if not v.path.endswith(".webp") and v.width >= 480]
    if small and small[0].width < info.width:
        v = small[0]
        return "/" + v.path, (v.width, round(info.height * v.width / info.width))
    return image, (info.width, info.height)
