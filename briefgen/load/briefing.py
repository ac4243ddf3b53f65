"""Validate one briefing's front matter and build the Briefing record.

Owns: the front-matter schema, its diagnostics (each naming the key's line) and slugs from
file names. Must not: look at other briefings (duplicates are checked by the loader), or
raise: every input, however broken, becomes a Briefing and/or diagnostics.

Decisions for hostile input (tests/test_hostile.py has a case for each):
- invisible characters are removed, with one `invisible-chars` warning (frontmatter.py);
- one-line fields (title, authors, topics, ...) have their whitespace collapsed;
- a file name that is a Windows device name (`con.md`) gets the slug `con-1`, with a
  warning; `slug: con` is an error;
- aliases are plain paths (`[A-Za-z0-9._~-]` segments) outside the URLs briefgen generates;
- lists that multiply pages (topics, authors, aliases) and the title have upper bounds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from briefgen.diagnostics import Diagnostic, closest, error, warning, with_source
from briefgen.load.dates import parse_date
from briefgen.load.deskfields import DESK_KEYS, corrections_field, series_fields
from briefgen.load.frontmatter import (
    clean_values,
    decode,
    display_lines,
    invisible_warning,
    split_front_matter,
)
from briefgen.load.markdown import render_body
from briefgen.load.placeholders import find_placeholder
from briefgen.model import BRIEFING_TYPES, AttachmentSpec, Briefing, Registry, SourceLink
from briefgen.slug import is_reserved, is_slug, slugify
from briefgen.yamltext import Parsed, line_of, parse_yaml, preview

KNOWN_KEYS = (
    "title",
    "date",
    "updated",
    "authors",
    "topics",
    "summary",
    "key_points",
    "type",
    "draft",
    "slug",
    "sources",
    "aliases",
    "topics_auto",
    "image",
    "attachments",
    "publish_at",
    "embargo",
    "expires",
    "unpublish",
    *DESK_KEYS,
)
# Bump when the same bytes would load differently; the persistent parse cache must key on it.
LOADER_VERSION = "7-workflow-desk"
MAX_TOPICS = MAX_AUTHORS = MAX_ALIASES = 50  # each one is a page, or a link on every page
MAX_TITLE = 300  # characters; the title is repeated on every listing page and feed
# Paths briefgen generates itself: an alias may not claim them (it would replace a page).
GENERATED = {
    "": "the home page",
    "page": "the home page's later pages",
    "topics": "the topic pages",
    "authors": "the author pages",
    "archive": "the archive",
    "api": "the JSON API",
    "static": "the theme's assets",
    "feed.xml": "the Atom feed",
    "sitemap.xml": "the sitemap",
    "robots.txt": "robots.txt",
    "404.html": "the 404 page",
}
_ALIAS_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


@dataclass(slots=True)
class _Checker:
    """Collects diagnostics for one file while fields are read."""

    file: str
    parsed: Parsed
    diags: list[Diagnostic] = field(default_factory=list)

    def line(self, *path: Any) -> int:
        return line_of(self.parsed, *path)

    def err(self, code: str, message: str, *path: Any, hint: str = "") -> None:
        self.diags.append(error(code, message, self.file, self.line(*path), hint))

    def warn(self, code: str, message: str, *path: Any, hint: str = "") -> None:
        self.diags.append(warning(code, message, self.file, self.line(*path), hint))

    def text(self, data: dict, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list | set | bytes):
            self.err("field-type", f"`{key}` must be text", key, hint=f'write {key}: "..."')
            return None
        return " ".join(str(value).split())

    def strings(self, data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (" ".join(value.split()),) if value.strip() else ()
        if not isinstance(value, list) or any(isinstance(v, dict | list | set) for v in value):
            self.err(
                "field-type",
                f"`{key}` must be a list of text items",
                key,
                hint=f"write {key}: [first, second]",
            )
            return ()
        return tuple(" ".join(str(v).split()) for v in value if v is not None and str(v).strip())

    def flag(self, data: dict, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.err(
                "field-type", f"`{key}` must be true or false, not {preview(repr(value))}", key
            )
            return default
        return value


def read_briefing(
    rel: str,
    raw: bytes,
    registry: Registry,
    iframe_hosts: tuple[str, ...] = (),
    base_path: str = "/",
) -> tuple[Briefing | None, list[Diagnostic]]:
    """Parse one source file; None with diagnostics if it cannot become a briefing."""
    try:
        briefing, diags = _read(rel, raw, registry, iframe_hosts, base_path)
        return briefing, with_source(diags, display_lines(raw)) if diags else diags
    except Exception as exc:  # a bug must cost one file, not the build: report, carry on
        return None, [
            error(
                "internal-error",
                f"briefgen could not read this file ({type(exc).__name__}: {preview(str(exc))})",
                rel,
                1,
                "this is a bug in briefgen: please report it with the file attached",
            )
        ]


def _read(
    rel: str, raw: bytes, registry: Registry, iframe_hosts: tuple[str, ...], base_path: str
) -> tuple[Briefing | None, list[Diagnostic]]:
    text, invisible, diags = decode(raw, rel)
    if text is None:
        return None, diags
    split, diags = split_front_matter(text, rel)
    if split is None:
        return None, diags + invisible_warning(rel, invisible)
    parsed, diags = parse_yaml(split.front, rel, first_line=2)
    if parsed is None:
        return None, diags + invisible_warning(rel, invisible)
    if parsed.value is None:  # `---` then `---`: report what is missing, not the shape
        parsed = Parsed({}, {(): 2})
    if not isinstance(parsed.value, dict):
        return None, [
            error(
                "front-matter-shape",
                "front matter must be a mapping of keys (title:, date:, ...)",
                rel,
                2,
                "write `key: value` lines",
            ),
            *invisible_warning(rel, invisible),
        ]
    data = clean_values(parsed, invisible)
    check = _Checker(rel, parsed)
    check.diags += invisible_warning(rel, invisible)
    body = (split.body, split.body_line)
    briefing = _build(check, data, rel, raw, registry, body, iframe_hosts, base_path)
    return briefing, check.diags


def _build(
    check: _Checker,
    data: dict,
    rel: str,
    raw: bytes,
    registry: Registry,
    body: tuple[str, int],
    iframe_hosts: tuple[str, ...],
    base_path: str,
) -> Briefing | None:
    _check_keys(check, data)
    title = _title(check, data)
    date, updated = _dates(check, data)
    slug = _slug(check, data, rel)
    kind = _type(check, data)
    topics = _topics(check, data, registry)
    summary = check.text(data, "summary") or None
    key_points = check.strings(data, "key_points") or None
    authors = _bounded(check, data, "authors", MAX_AUTHORS)
    aliases = _aliases(check, data)
    draft = check.flag(data, "draft", False)
    sources = _sources(check, data)
    topics_auto = check.flag(data, "topics_auto", True)
    image = check.text(data, "image") or None
    attachments = _attachments(check, data)
    publish_at, expires = _window(check, data, date)
    series, part, series_line = series_fields(check, data)
    corrections = corrections_field(check, data)
    doc, problems = render_body(body[0], rel, body[1], iframe_hosts, base_path, registry)
    check.diags += problems
    check.diags += find_placeholder(rel, body[0], body[1])
    if not title or date is None or slug is None:
        return None
    return Briefing(
        source=rel,
        slug=slug,
        title=title,
        date=date,
        updated=updated,
        doc=doc,
        digest=hashlib.sha256(raw).hexdigest(),
        authors=authors,
        topics=topics,
        type=kind,
        draft=draft,
        summary=summary,
        key_points=key_points,
        sources=sources,
        aliases=aliases,
        topics_auto=topics_auto,
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
        image=image,
        image_line=check.line("image") if image else 0,
        attachments=attachments,
        publish_at=publish_at,
        expires=expires,
        series=series,
        part=part,
        series_line=series_line,
        corrections=corrections,
    )


def _check_keys(check: _Checker, data: dict) -> None:
    for key in data:
        if key in KNOWN_KEYS:
            continue
        if _means_draft(key, data[key]):
            check.err(
                "draft-typo",
                f"`{preview(key)}` is not a key briefgen reads: this briefing is not a draft",
                key,
                hint=f"write draft: true (or remove `{preview(key)}`) so it is not published",
            )
            continue
        guess = closest(key, KNOWN_KEYS)
        if guess and guess not in data:
            check.warn(
                "unknown-key",
                f"unknown key `{preview(key)}` (kept for templates)",
                key,
                hint=f"did you mean `{guess}`?",
            )


def _means_draft(key: str, value: object) -> bool:
    """A key that someone meant as `draft` (`drafts`, `Draft`, `is_draft`, `darft`), or
    Jekyll's `published: false`: guessing wrong would publish a draft, so it is an error."""
    word = re.sub(r"[^a-z]", "", key.lower())
    if word in ("published", "publish") and value is False:
        return True
    if word in ("draft", "drafts", "isdraft", "asdraft", "draftmode", "unpublished"):
        return True
    return closest(word, ["draft"]) == "draft" and closest(key, KNOWN_KEYS) == "draft"


def _title(check: _Checker, data: dict) -> str | None:
    title = check.text(data, "title")
    if title is None and data.get("title") is not None:
        return None  # present but not text: `field-type` already says so
    if not title:
        check.err("missing-title", "briefing has no `title`", hint='add title: "..."')
        return None
    if len(title) > MAX_TITLE:
        check.err(
            "title-too-long",
            f"title is {len(title)} characters long; at most {MAX_TITLE}",
            "title",
            hint="keep the title to one line; put the detail in summary: or the body",
        )
        return None
    return title


def _dates(check: _Checker, data: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    date = None
    if "date" not in data:
        check.err("missing-date", "briefing has no `date`", hint="add date: YYYY-MM-DD")
    else:
        date, problem = parse_date(data["date"])
        if problem:
            check.err(
                "bad-date", problem, "date", hint="write dates as YYYY-MM-DD, e.g. 2024-03-01"
            )
    updated = None
    if data.get("updated") is not None:
        updated, problem = parse_date(data["updated"])
        if problem:
            check.err("bad-date", problem, "updated", hint="write dates as YYYY-MM-DD")
        elif date and updated and updated < date:
            check.warn("updated-before-date", "`updated` is earlier than `date`", "updated")
    return date, updated


def _window(
    check: _Checker, data: dict, date: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`publish_at:` (or `embargo:`) and `expires:` (or `unpublish:`), each at most once."""
    found = []
    for keys in (("publish_at", "embargo"), ("expires", "unpublish")):
        given = [k for k in keys if data.get(k) is not None]
        if len(given) > 1:
            check.err(
                "duplicate-key",
                f"`{given[0]}` and `{given[1]}` mean the same; give one",
                given[1],
                hint=f"remove `{given[1]}`",
            )
        when = None
        if given:
            when, problem = parse_date(data[given[0]])
            if problem:
                check.err(
                    "bad-date", problem, given[0], hint="write 2026-03-01 or 2026-03-01T09:00+01:00"
                )
        found.append((when, given[0] if given else ""))
    (publish_at, _), (expires, key) = found
    start = publish_at or date
    if expires is not None and start is not None and expires <= start:
        check.warn(
            "never-public",
            f"`{key}` is not after the briefing is published: it is never shown",
            key,
            hint="check the dates, or remove the expiry",
        )
    return publish_at, expires


def _slug(check: _Checker, data: dict, rel: str) -> str | None:
    stem = bundle_stem(rel)
    value = check.text(data, "slug")
    if value is None:
        slug = slugify(stem)
        if is_reserved(stem):  # about the file name, not a line of it
            check.diags.append(
                warning(
                    "reserved-name",
                    f"`{preview(stem)}` is a device name Windows reserves; the slug is `{slug}`",
                    rel,
                    0,
                    "rename the file, or set slug: to the URL you want",
                )
            )
        return slug
    if is_reserved(value):
        check.err(
            "bad-slug",
            f"slug `{preview(value)}` is a device name Windows reserves",
            "slug",
            hint=f"use slug: {slugify(value)}",
        )
        return None
    if not is_slug(value):
        check.err(
            "bad-slug",
            f"slug `{preview(value)}` is not URL-safe (lowercase letters, digits, hyphens)",
            "slug",
            hint=f"use slug: {slugify(value)}",
        )
        return None
    return value


def bundle_stem(rel: str) -> str:
    """The name a file gives its briefing: `2025/x.md` and `2025/x/index.md` are both `x`."""
    parts = rel.removesuffix(".md").split("/")
    return parts[-2] if parts[-1] in ("index", "_index") and len(parts) > 1 else parts[-1]


def _type(check: _Checker, data: dict) -> str:
    value = check.text(data, "type")
    if value is None:
        return "brief"
    if value.lower() not in BRIEFING_TYPES:
        guess = closest(value, BRIEFING_TYPES)
        check.err(
            "bad-type",
            f"unknown type `{preview(value)}`",
            "type",
            hint=f"did you mean `{guess}`?" if guess else "use " + " | ".join(BRIEFING_TYPES),
        )
        return "brief"
    return value.lower()


def _bounded(check: _Checker, data: dict, key: str, limit: int) -> tuple[str, ...]:
    """A list of text items with at most `limit` entries (each one makes pages or links)."""
    items = check.strings(data, key)
    if len(items) > limit:
        check.err(
            f"too-many-{key}",
            f"{len(items)} {key} declared; at most {limit}",
            key,
            hint=f"keep the {key} the briefing is really about",
        )
        return ()
    return items


def _topics(check: _Checker, data: dict, registry: Registry) -> tuple[str, ...]:
    raw = data.get("topics")
    if isinstance(raw, str) and "," in raw and registry.resolve(" ".join(raw.split())) is None:
        # `topics: tajikistan, uzbekistan` is one text in YAML: read it as the list it means
        parts = [" ".join(p.split()) for p in raw.split(",") if p.strip()]
        check.warn(
            "topics-not-a-list",
            "`topics` is one text with commas, not a list",
            "topics",
            hint=f"write topics: [{', '.join(parts)}]",
        )
        data = {**data, "topics": parts}
    names = _bounded(check, data, "topics", MAX_TOPICS)
    ids: list[str] = []
    for index, name in enumerate(names):
        topic_id = registry.resolve(name)
        if topic_id is None:
            guess = closest(name, registry.lookup)
            hint = (
                f"did you mean `{registry.lookup[guess]}`?"
                if guess
                else "add it to topics.yaml or remove it"
            )
            check.warn(
                "unknown-topic", f"unknown topic `{preview(name)}`", "topics", index, hint=hint
            )
        elif topic_id not in ids:
            ids.append(topic_id)
    return tuple(ids)


def _sources(check: _Checker, data: dict) -> tuple[SourceLink, ...]:
    value = data.get("sources") or []
    if not isinstance(value, list):
        check.err("field-type", "`sources` must be a list of {title, url}", "sources")
        return ()
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            item = {"title": item, "url": item if "://" in item else ""}
        if not isinstance(item, dict) or not item.get("title"):
            check.err(
                "bad-source",
                "each source needs a `title` (and usually a `url`)",
                "sources",
                index,
                hint='write - {title: "...", url: "https://..."}',
            )
            continue
        url = str(item.get("url") or "").strip()
        if url and not _safe_url(url):
            check.err("bad-source", f"source URL `{preview(url)}` is not http(s)", "sources", index)
            url = ""
        out.append(SourceLink(" ".join(str(item["title"]).split()), url))
    return tuple(out)


def _attachments(check: _Checker, data: dict) -> tuple[AttachmentSpec, ...]:
    """`attachments: [{file: report.pdf, title: "Full report"}]`, or just file names."""
    value = data.get("attachments") or []
    if not isinstance(value, list):
        check.err(
            "field-type",
            "`attachments` must be a list of {file, title}",
            "attachments",
            hint='write - {file: report.pdf, title: "Full report"}',
        )
        return ()
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            item = {"file": item}
        name = str(item.get("file") or "").strip() if isinstance(item, dict) else ""
        if not name or "://" in name:
            check.err(
                "bad-attachment",
                "each attachment needs a `file` beside the briefing",
                "attachments",
                index,
                hint='write - {file: report.pdf, title: "Full report"}',
            )
            continue
        title = " ".join(str(item.get("title") or name.rsplit("/", 1)[-1]).split())
        out.append(AttachmentSpec(name, title, check.line("attachments", index)))
    return tuple(out)


# File systems limit a name to 255 bytes and a path to 4,096; object stores a key to 1,024.
MAX_SEGMENT = 100
MAX_ALIAS_DEPTH = 16
MAX_ALIAS_LENGTH = 400


def _aliases(check: _Checker, data: dict) -> tuple[str, ...]:
    out = []
    for index, alias in enumerate(_bounded(check, data, "aliases", MAX_ALIASES)):
        inner = alias.strip("/")
        segments = inner.split("/")
        path = "/" + inner + "/" if inner else "/"
        if inner and not all(_ALIAS_SEGMENT.fullmatch(s) and not is_reserved(s) for s in segments):
            check.err(
                "bad-alias",
                f"alias `{preview(alias)}` is not a site path",
                "aliases",
                index,
                hint="write aliases as paths like /2022/11/old-title/ "
                "(letters, digits, - _ . ~; no .. or device names such as con)",
            )
            continue
        if inner and (
            len(segments) > MAX_ALIAS_DEPTH
            or len(path) > MAX_ALIAS_LENGTH
            or max(map(len, segments)) > MAX_SEGMENT
        ):
            check.err(
                "bad-alias",
                f"alias `{preview(alias)}` is too long ({len(path)} characters, "
                f"{len(segments)} level{'s' * (len(segments) != 1)}) for every host to store",
                "aliases",
                index,
                hint=f"keep an alias under {MAX_ALIAS_LENGTH} characters, "
                f"{MAX_ALIAS_DEPTH} levels and {MAX_SEGMENT} characters per level",
            )
            continue
        owner = GENERATED.get(segments[0].lower())
        if owner:
            check.err(
                "duplicate-url",
                f"`{path}` is already used by {owner}",
                "aliases",
                index,
                hint="an alias is an old URL of this briefing; it cannot replace a page",
            )
            continue
        out.append(path)
    return tuple(out)


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))
