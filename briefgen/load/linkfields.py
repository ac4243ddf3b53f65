"""A briefing's links out and in: `sources`, `attachments` and `aliases` (old URLs).

Owns: their shapes, URL safety and the alias rules (plain paths, bounded length, never a path
briefgen generates). Must not: check that an attachment exists (bundles.py does).
"""

from __future__ import annotations

import re

from briefgen.load.checker import FieldChecker
from briefgen.model import AttachmentSpec, SourceLink
from briefgen.slug import is_reserved
from briefgen.yamltext import preview

MAX_ALIASES = 50  # each one is a page
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


def read_sources(check: FieldChecker, data: dict) -> tuple[SourceLink, ...]:
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


def read_attachments(check: FieldChecker, data: dict) -> tuple[AttachmentSpec, ...]:
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


def read_aliases(check: FieldChecker, data: dict) -> tuple[str, ...]:
    out = []
    for index, alias in enumerate(check.bounded(data, "aliases", MAX_ALIASES)):
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
