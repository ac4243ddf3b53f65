"""The data model: frozen, slotted records that flow through the pipeline.

Owns: Topic/Registry, Briefing (as loaded), Enriched (with summary, topics, related),
Site (everything, keyed by slug and topic id) and OutputFile.
Must not: do I/O or hold behaviour beyond small lookups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.config import SiteConfig

BRIEFING_TYPES = ("brief", "analysis", "report", "commentary")
TOPIC_KINDS = ("region", "country", "organisation", "theme", "corridor", "person")


@dataclass(frozen=True, slots=True)
class TopicWords:
    """A topic's words in one more language (`name: {en: Kazakhstan, ru: Казахстан}`)."""

    lang: str
    name: str = ""  # "" means the topic's own name
    aliases: tuple[str, ...] | None = None  # None means the topic's own
    signals: tuple[str, ...] | None = None
    description: str | None = None
    description_html: str | None = None
    context: tuple[str, ...] | None = None  # an ambiguous name's context words in this language


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()  # weaker evidence: demonyms, capitals, metonyms
    context: tuple[str, ...] = ()  # for ambiguous names: one must appear in the text
    description: str = ""
    description_html: str = ""
    line: int = 0
    words: tuple[TopicWords, ...] = ()  # other languages' words, by language code
    description_lang: str = ""  # an edition's description in another language (its code)

    @property
    def url(self) -> str:
        return f"/topics/{self.id}/"


@dataclass(frozen=True, slots=True)
class Registry:
    topics: tuple[Topic, ...] = ()  # sorted by id
    by_id: Mapping[str, Topic] = field(default_factory=dict)
    lookup: Mapping[str, str] = field(default_factory=dict)  # casefolded id/name/alias -> id
    children: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def resolve(self, name: str) -> str | None:
        return self.lookup.get(name.strip().casefold())

    def ancestors(self, topic_id: str) -> tuple[str, ...]:
        chain: list[str] = []
        parent = self.by_id[topic_id].parent if topic_id in self.by_id else None
        while parent and parent not in chain and parent in self.by_id:
            chain.append(parent)
            parent = self.by_id[parent].parent
        return tuple(chain)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of prose from the body, for summaries and topic detection."""

    kind: str  # p | li | quote | heading | cell | caption | footnote
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A URL written in a body (Markdown link or image, raw HTML href/src), as written."""

    kind: str  # link | image
    url: str  # as written in the source
    line: int  # file line
    href: str = ""  # the attribute value in the rendered HTML (escaped), to find it there


@dataclass(frozen=True, slots=True)
class Document:
    html: str
    blocks: tuple[Block, ...]
    words: int
    has_footnotes: bool = False
    refs: tuple[Ref, ...] = ()
    anchors: tuple[str, ...] = ()  # ids of the body's headings and footnotes


@dataclass(frozen=True, slots=True)
class SourceLink:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class AttachmentSpec:
    """`attachments:` in front matter: a file beside the briefing, offered for download."""

    file: str
    title: str
    line: int


@dataclass(frozen=True, slots=True)
class Correction:
    """`corrections: [{date, text}]` in front matter: a dated, visible note on the page."""

    date: dt.datetime
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Briefing:
    source: str  # path relative to content/, POSIX separators
    slug: str
    title: str
    date: dt.datetime  # naive datetimes are taken as UTC
    doc: Document
    digest: str  # hash of the source bytes
    updated: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # declared in front matter, resolved to ids
    type: str = "brief"
    draft: bool = False
    summary: str | None = None
    key_points: tuple[str, ...] | None = None
    sources: tuple[SourceLink, ...] = ()
    aliases: tuple[str, ...] = ()
    topics_auto: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)
    lang: str = ""  # multilingual sites only (load/translations.py): its language's code
    translation_of: str = ""  # the original's source path, for a translation
    image: str | None = None  # `image:` in front matter: the card / og:image, as written
    image_line: int = 0
    attachments: tuple[AttachmentSpec, ...] = ()
    publish_at: dt.datetime | None = None  # `publish_at:` / `embargo:`: not public before
    expires: dt.datetime | None = None  # `expires:` / `unpublish:`: not public from then on
    held: str = ""  # shown outside its window (load/schedule.py): "scheduled" | "expired"
    series: str = ""  # `series:` in front matter: a series id (series.yaml)
    part: int = 0  # `part:`: its place in the series (0: by date)
    series_line: int = 0
    corrections: tuple[Correction, ...] = ()

    @property
    def url(self) -> str:
        return f"/briefings/{self.slug}/"

    @property
    def folder(self) -> str:
        """The source's folder relative to content/ ("" at the top), where its files are."""
        return self.source.rpartition("/")[0]


@dataclass(frozen=True, slots=True)
class TopicMatch:
    id: str
    score: float
    reason: str
    declared: bool


@dataclass(frozen=True, slots=True)
class Related:
    slug: str
    score: float
    shared: tuple[str, ...]  # topic ids both briefings carry


@dataclass(frozen=True, slots=True)
class Enriched:
    briefing: Briefing
    topics: tuple[TopicMatch, ...]
    summary: str
    summary_source: str  # "author" | "auto"
    key_points: tuple[str, ...]
    related: tuple[Related, ...]
    html: str  # body with first mentions linked to topic pages
    reading_minutes: int
    # derived from `topics` once (pages, indexes and the related index all ask for it)
    topic_ids: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "topic_ids", tuple(t.id for t in self.topics))


@dataclass(frozen=True, slots=True)
class Asset:
    """A file from content/ copied into the output beside the page that uses it."""

    source: str  # relative to content/
    path: str  # output path, e.g. "briefings/x/chart.png"
    size: int
    digest: str
    width: int = 0  # raster images only
    height: int = 0


@dataclass(frozen=True, slots=True)
class Attachment:
    title: str
    url: str  # site path
    kind: str  # "PDF", "CSV", ...
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class Bundle:
    """What a briefing's page carries besides its text (load.bundles): the files it uses,
    its downloads, its card image, and how to rewrite its body's relative URLs."""

    assets: tuple[Asset, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    image: str | None = None  # site path of the card / og:image
    links: Mapping[str, int] = field(default_factory=dict)  # href in the page -> source line
    rewrites: tuple[tuple[str, str], ...] = ()  # (attribute value as parsed, as published)
    reported: frozenset[str] = frozenset()  # hrefs already reported (missing file, ...)


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """One person (authors.yaml or content/authors/<slug>.md); `variants` are the other
    spellings front matter may use for them."""

    slug: str
    name: str
    file: str  # relative to the site root
    line: int = 0
    role: str = ""
    affiliation: str = ""
    bio_html: str = ""
    photo: str = ""  # site path of the copied photo ("" without one)
    links: tuple[tuple[str, str], ...] = ()  # (label, URL): ORCID, email, social, website
    variants: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"/authors/{self.slug}/"


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    """A series (series.yaml): its pieces are the briefings whose `series:` is its id."""

    id: str
    title: str
    file: str = ""
    line: int = 0
    description_html: str = ""
    order: str = "date"  # date (oldest first) | part (by `part:`)

    @property
    def url(self) -> str:
        return f"/series/{self.id}/"


@dataclass(frozen=True, slots=True)
class StandalonePage:
    """content/pages/<slug>.md: a page with the site's chrome and no briefing furniture."""

    slug: str
    title: str
    source: str  # relative to content/
    html: str
    description: str = ""

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Desk:
    """What a publishing desk adds around the briefings (load.desk): author profiles by
    slug with every spelling that names them, series by id, standalone pages, the files
    (photos) they bring (output path -> bytes), and which briefings get a PDF."""

    profiles: Mapping[str, AuthorProfile] = field(default_factory=dict)
    spellings: Mapping[str, str] = field(default_factory=dict)  # casefolded name -> slug
    series: Mapping[str, SeriesInfo] = field(default_factory=dict)
    pages: tuple[StandalonePage, ...] = ()
    files: Mapping[str, bytes] = field(default_factory=dict)
    pdfs: Mapping[str, str] = field(default_factory=dict)  # slug -> its PDF (render/pdfplan)
    # a multilingual site: each language's own desk, by code (load/desk.py)
    editions: Mapping[str, Desk] = field(default_factory=dict)

    def author_slug(self, name: str) -> str | None:
        return self.spellings.get(name.strip().casefold())


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    registry: Registry
    briefings: tuple[Enriched, ...]  # newest first; ties broken by slug
    by_slug: Mapping[str, Enriched]
    by_topic: Mapping[str, tuple[str, ...]]  # topic id -> slugs, newest first
    bundles: Mapping[str, Bundle] = field(default_factory=dict)  # slug -> its bundle
    desk: Desk = field(default_factory=lambda: Desk())  # profiles, series, pages (load.desk)


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str  # relative to the output folder, POSIX separators
    data: bytes
    # A large static file is not held in memory: `data` is empty and the write stage copies
    # `source` a block at a time, checking it still has the sha256 `digest` (and `size`).
    source: str = ""
    digest: str = ""
    size: int = 0

    @property
    def length(self) -> int:
        return self.size if self.source else len(self.data)

    @property
    def content(self) -> bytes | str:
        """What tells two versions of this file apart: its bytes, or a streamed file's
        digest."""
        return self.digest if self.source else self.data
