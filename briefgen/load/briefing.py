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

import hashlib

from briefgen.diagnostics import Diagnostic, closest, error, warning, with_source
from briefgen.load.checker import FieldChecker
from briefgen.load.datefields import read_dates, read_window
from briefgen.load.deskfields import corrections_field, series_fields
from briefgen.load.frontmatter import (
    clean_values,
    decode,
    display_lines,
    invisible_warning,
    split_front_matter,
)
from briefgen.load.keys import KNOWN_KEYS, check_keys
from briefgen.load.linkfields import read_aliases, read_attachments, read_sources
from briefgen.load.markdown import render_body
from briefgen.load.placeholders import find_placeholder
from briefgen.model import BRIEFING_TYPES, Briefing, Registry
from briefgen.slug import is_reserved, is_slug, slugify
from briefgen.yamltext import Parsed, parse_yaml, preview

LOADER_VERSION = "7-workflow-desk"
MAX_TOPICS = MAX_AUTHORS = 50  # each one is a page, or a link on every page
MAX_TITLE = 300  # characters; the title is repeated on every listing page and feed


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
    check = FieldChecker(rel, parsed)
    check.diags += invisible_warning(rel, invisible)
    body = (split.body, split.body_line)
    briefing = _build(check, data, rel, raw, registry, body, iframe_hosts, base_path)
    return briefing, check.diags


def _build(
    check: FieldChecker,
    data: dict,
    rel: str,
    raw: bytes,
    registry: Registry,
    body: tuple[str, int],
    iframe_hosts: tuple[str, ...],
    base_path: str,
) -> Briefing | None:
    check_keys(check, data)
    title = _title(check, data)
    date, updated = read_dates(check, data)
    slug = _slug(check, data, rel)
    kind = _type(check, data)
    topics = _topics(check, data, registry)
    summary = check.text(data, "summary") or None
    key_points = check.strings(data, "key_points") or None
    authors = check.bounded(data, "authors", MAX_AUTHORS)
    aliases = read_aliases(check, data)
    draft = check.flag(data, "draft", False)
    sources = read_sources(check, data)
    topics_auto = check.flag(data, "topics_auto", True)
    image = check.text(data, "image") or None
    attachments = read_attachments(check, data)
    publish_at, expires = read_window(check, data, date)
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


def _title(check: FieldChecker, data: dict) -> str | None:
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


def _slug(check: FieldChecker, data: dict, rel: str) -> str | None:
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


def _type(check: FieldChecker, data: dict) -> str:
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


def _topics(check: FieldChecker, data: dict, registry: Registry) -> tuple[str, ...]:
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
    names = check.bounded(data, "topics", MAX_TOPICS)
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
