"""Validate one briefing's front matter and build the Briefing record.

Owns: the front-matter schema, its diagnostics (each naming the key's line) and slugs from
file names. Must not: look at other briefings (duplicates are checked by the loader).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.load.dates import parse_date
from briefgen.load.frontmatter import normalise, split_front_matter
from briefgen.load.markdown import render_markdown
from briefgen.model import BRIEFING_TYPES, Briefing, Registry, SourceLink
from briefgen.slug import is_slug, slugify
from briefgen.yamltext import Parsed, line_of, parse_yaml

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
)
MAX_TOPICS = 50


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
        if isinstance(value, bool | dict | list):
            self.err("field-type", f"`{key}` must be text", key, hint=f'write {key}: "..."')
            return None
        return str(value).strip()

    def strings(self, data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.err(
                "field-type",
                f"`{key}` must be a list of text items",
                key,
                hint=f"write {key}: [first, second]",
            )
            return ()
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())

    def flag(self, data: dict, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.err("field-type", f"`{key}` must be true or false, not {value!r}", key)
            return default
        return value


def read_briefing(
    rel: str, raw: bytes, registry: Registry, iframe_hosts: tuple[str, ...] = ()
) -> tuple[Briefing | None, list[Diagnostic]]:
    """Parse one source file; None with diagnostics if it cannot become a briefing."""
    try:
        text = normalise(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            error(
                "not-utf8",
                f"file is not valid UTF-8 (byte {exc.start})",
                rel,
                line,
                "save the file as UTF-8",
            )
        ]
    split, diags = split_front_matter(text, rel)
    if split is None:
        return None, diags
    parsed, diags = parse_yaml(split.front, rel, first_line=2)
    if parsed is None:
        return None, diags
    if not isinstance(parsed.value, dict):
        return None, [
            error(
                "front-matter-shape",
                "front matter must be a mapping of keys (title:, date:, ...)",
                rel,
                2,
                "write `key: value` lines",
            )
        ]
    check = _Checker(rel, parsed)
    briefing = _build(
        check, parsed.value, rel, raw, registry, split.body, split.body_line, iframe_hosts
    )
    return briefing, check.diags


def _build(
    check: _Checker,
    data: dict,
    rel: str,
    raw: bytes,
    registry: Registry,
    body: str,
    body_line: int,
    iframe_hosts: tuple[str, ...],
) -> Briefing | None:
    _check_keys(check, data)
    title = check.text(data, "title")
    if not title:
        check.err("missing-title", "briefing has no `title`", hint='add title: "..."')
    date, updated = _dates(check, data)
    slug = _slug(check, data, rel)
    kind = _type(check, data)
    topics = _topics(check, data, registry)
    summary = check.text(data, "summary") or None
    key_points = check.strings(data, "key_points") or None
    if not title or date is None or slug is None:
        return None
    return Briefing(
        source=rel,
        slug=slug,
        title=title,
        date=date,
        updated=updated,
        doc=render_markdown(body, body_line, iframe_hosts),
        digest=hashlib.sha256(raw).hexdigest(),
        authors=check.strings(data, "authors"),
        topics=topics,
        type=kind,
        draft=check.flag(data, "draft", False),
        summary=summary,
        key_points=key_points,
        sources=_sources(check, data),
        aliases=_aliases(check, data),
        topics_auto=check.flag(data, "topics_auto", True),
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )


def _check_keys(check: _Checker, data: dict) -> None:
    for key in data:
        if str(key) in KNOWN_KEYS:
            continue
        guess = closest(str(key), KNOWN_KEYS)
        if guess and guess not in data:
            check.warn(
                "unknown-key",
                f"unknown key `{key}` (kept for templates)",
                key,
                hint=f"did you mean `{guess}`?",
            )


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


def _slug(check: _Checker, data: dict, rel: str) -> str | None:
    stem = rel.rsplit("/", 1)[-1].removesuffix(".md")
    value = check.text(data, "slug")
    if value is None:
        return slugify(stem)
    if not is_slug(value):
        check.err(
            "bad-slug",
            f"slug `{value}` is not URL-safe (lowercase letters, digits, hyphens)",
            "slug",
            hint=f"use slug: {slugify(value)}",
        )
        return None
    return value


def _type(check: _Checker, data: dict) -> str:
    value = check.text(data, "type")
    if value is None:
        return "brief"
    if value.lower() not in BRIEFING_TYPES:
        guess = closest(value, BRIEFING_TYPES)
        check.err(
            "bad-type",
            f"unknown type `{value}`",
            "type",
            hint=f"did you mean `{guess}`?" if guess else "use " + " | ".join(BRIEFING_TYPES),
        )
        return "brief"
    return value.lower()


def _topics(check: _Checker, data: dict, registry: Registry) -> tuple[str, ...]:
    names = check.strings(data, "topics")
    if len(names) > MAX_TOPICS:
        check.err(
            "too-many-topics",
            f"{len(names)} topics declared; at most {MAX_TOPICS}",
            "topics",
            hint="keep the topics the briefing is really about",
        )
        return ()
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
            check.warn("unknown-topic", f"unknown topic `{name}`", "topics", index, hint=hint)
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
        url = str(item.get("url") or "")
        if url and not _safe_url(url):
            check.err("bad-source", f"source URL `{url}` is not http(s)", "sources", index)
            url = ""
        out.append(SourceLink(str(item["title"]).strip(), url))
    return tuple(out)


def _aliases(check: _Checker, data: dict) -> tuple[str, ...]:
    out = []
    for alias in check.strings(data, "aliases"):
        path = "/" + alias.strip("/") + "/"
        if ".." in path.split("/") or "\\" in path or ":" in path:
            check.err(
                "bad-alias",
                f"alias `{alias}` is not a site path",
                "aliases",
                hint="write aliases as paths like /2022/11/old-title/",
            )
            continue
        out.append(path)
    return tuple(out)


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))
