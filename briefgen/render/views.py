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

from briefgen.model import Desk, Enriched, Registry, Site, Topic
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
class SeriesRef:
    """A briefing's place in its series: "Part 2 of 5"."""

    id: str
    title: str
    url: str
    part: int  # 1-based position in the series' order
    total: int


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
    series: SeriesRef | None = None
    corrected: dt.datetime | None = None  # the latest correction's date


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
    desk: Desk | None = None,
    series: SeriesRef | None = None,
) -> Card:
    b = e.briefing
    corrected = b.corrections[-1].date if b.corrections else None
    return Card(
        slug=b.slug,
        url=b.url,
        title=b.title,
        date=b.date,
        updated=max((d for d in (b.updated, corrected) if d), default=None),
        type=b.type,
        summary=e.summary,
        authors=author_refs(b.authors, desk),
        topics=topic_refs(e.topic_ids, registry),
        reading_minutes=e.reading_minutes,
        draft=b.draft,
        image=image,
        image_size=image_size,
        held=b.held,
        series=series,
        corrected=corrected,
    )


def author_refs(names: tuple[str, ...], desk: Desk | None = None) -> tuple[AuthorRef, ...]:
    """Each author's name and page; a spelling with a profile (its name or a variant) is
    shown as the profile's name, and one person named twice is listed once."""
    refs: list[AuthorRef] = []
    for name in names:
        slug = desk.author_slug(name) if desk is not None else None
        profile = desk.profiles[slug] if desk is not None and slug else None
        ref = AuthorRef(profile.name, profile.url) if profile else AuthorRef(name, author_url(name))
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


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
