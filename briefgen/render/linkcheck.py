"""The link checker: every internal link, anchor and asset of the whole output, checked.

Owns: reading the URLs out of every rendered page, feed and the sitemap (href, src,
srcset, <loc>, <uri>), resolving each against the output's own file list, checking
`#anchors` against the target page's ids, and naming where a broken one was written: the
briefing's source file and line for a link in a body, the page for one from a template.
Must not: fetch anything (external.py checks external links on request) or write.

Findings are ordinary warnings (codes `broken-link`, `broken-anchor`, `missing-asset`), so
a strict build that turns warnings into errors fails on them. A broken link that a
template puts on many pages is reported once, with the number of pages.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from briefgen.diagnostics import Diagnostic, closest, warning
from briefgen.model import OutputFile, Site

# on bytes: 1,000 briefings are tens of megabytes of HTML; only the matches are decoded
_HTML_URL = re.compile(rb'\s(href|src|srcset)="([^"]*)"')
_XML_URL = re.compile(rb'<(?:loc|uri)>([^<]*)</(?:loc|uri)>|\shref="([^"]*)"')
_SKIP = ("pagefind/", "static/")
_NOT_CHECKED = ("mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # as in the page, unescaped
    page: str  # output path of the page it is on
    file: str  # where it was written: a briefing's source, or "" (a template)
    line: int
    kind: str  # link | image


def links_in(files: Sequence[OutputFile], site: Site | None) -> Iterator[Link]:
    """Every URL of every page, feed and sitemap, with where it was written."""
    sources = _sources(site)
    for f in files:
        if f.path.startswith(_SKIP) or not f.path.endswith((".html", ".xml")):
            continue
        body = sources.get(f.path)
        if f.path.endswith(".xml"):
            for match in _XML_URL.finditer(f.data):
                value = (match.group(1) or match.group(2)).decode("utf-8", "replace")
                yield Link(html.unescape(value), f.path, "", 0, "link")
            continue
        for match in _HTML_URL.finditer(f.data):
            attr, value = match.group(1).decode(), match.group(2).decode("utf-8", "replace")
            kind = "link" if attr == "href" else "image"
            urls = (
                [u.split()[0] for u in value.split(",") if u.strip()]
                if attr == "srcset"
                else [value]
            )
            for raw in urls:
                file, line = ("", 0)
                if body is not None and raw in body[1]:
                    file, line = body[0], body[1][raw]
                yield Link(html.unescape(raw), f.path, file, line, kind)


def check_links(files: Sequence[OutputFile], site: Site | None) -> list[Diagnostic]:
    if site is None:
        return []
    config = site.config
    paths = {f.path for f in files}
    pages = {f.path: f.data for f in files if f.path.endswith(".html")}
    base = (config.base_url, config.base_path)
    seen: dict[tuple[str, str, str], str | None] = {}  # most links are the same nav links
    broken: dict[tuple[str, str, int, str], list[str]] = defaultdict(list)
    for link in links_in(files, site):
        where = link.page if link.url.startswith("#") else ""
        if not where and not link.url.startswith("/") and "://" not in link.url:
            where = link.page.rpartition("/")[0] + "/"
        key = (link.url, where, link.kind)
        if key not in seen:
            seen[key] = _problem(link, base, paths, pages)
        problem = seen[key]
        if problem:
            broken[(problem, link.file, link.line, link.url)].append(link.page)
    diags = []
    for (problem, file, line, url), on in sorted(broken.items()):
        where = "" if file else f" (on {_pages(on)})"
        code, message = problem.split(":", 1)
        hint = (
            ""
            if "(did you mean" in message
            else ("fix the link in the briefing" if file else "a template writes this link")
        )
        diags.append(warning(code, message.format(url=url) + where, file, line, hint))
    return diags


def _problem(
    link: Link, base: tuple[str, str], paths: set[str], pages: dict[str, bytes]
) -> str | None:
    """`code:message` when `link` is broken, else None."""
    url = link.url.strip()
    if not url or url.lower().startswith(_NOT_CHECKED):
        return None
    target = _site_path(url, link.page, *base)
    if target is None:
        return None  # external
    path, fragment = target
    found = _resolve(path, paths)
    if found is None:
        what = "image" if link.kind == "image" else "link"
        code = (
            "missing-asset"
            if link.kind == "image" or "." in path.rsplit("/", 1)[-1]
            else "broken-link"
        )
        guess = _guess(path, paths)
        suffix = f" (did you mean {base[1]}{guess}?)" if guess else ""
        return f"{code}:{what} to {{url}} does not exist{suffix}"
    if fragment and found in pages and not _has_id(pages[found], unquote(fragment)):
        return f"broken-anchor:link to {{url}}: the page has no anchor #{fragment}"
    return None


def _has_id(page: bytes, fragment: str) -> bool:
    value = html.escape(fragment).encode()
    return b' id="' + value + b'"' in page or b' name="' + value + b'"' in page


def _site_path(url: str, page: str, base_url: str, base_path: str) -> tuple[str, str] | None:
    """(output-relative path, fragment) of an internal URL; None for an external one."""
    if url.startswith(base_url):
        url = base_path + url[len(base_url) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return ("\0" + path, parts.fragment)  # outside the site: never found
        path = path[len(base_path) :]
    elif not path:
        path = page  # "#anchor" on the same page
    else:
        folder = page.rpartition("/")[0]
        path = posixpath.normpath(posixpath.join(folder, path)) + (
            "/" if path.endswith("/") else ""
        )
        if path.startswith("../") or path == "..":
            return ("\0" + path, parts.fragment)
    return (path.removeprefix("./"), parts.fragment)


def _resolve(path: str, paths: set[str]) -> str | None:
    if path in paths:
        return path
    for candidate in (path + "index.html", path.rstrip("/") + "/index.html"):
        if (
            path == "" or path.endswith("/") or "." not in path.rsplit("/", 1)[-1]
        ) and candidate.lstrip("/") in paths:
            return candidate.lstrip("/")
    return None


def _guess(path: str, paths: set[str]) -> str | None:
    """The existing URL most like `path`: a sibling whose last segment is a near miss."""
    path = path.lstrip("\0/")
    slash = path.endswith("/")
    parent, _, name = path.rstrip("/").rpartition("/")
    prefix = parent + "/" if parent else ""
    names = set()
    for p in paths:
        url = p.removesuffix("index.html")
        if url.startswith(prefix) and url != prefix:
            rest = url[len(prefix) :]
            if "/" not in rest.rstrip("/") and rest.endswith("/") == slash:
                names.add(rest.rstrip("/"))
    guess = closest(name, sorted(names))
    return prefix + guess + ("/" if slash else "") if guess else None


def _pages(on: list[str]) -> str:
    first = sorted(set(on))
    return first[0] if len(first) == 1 else f"{len(first)} pages, e.g. {first[0]}"


def _sources(site: Site | None) -> dict[str, tuple[str, dict[str, int]]]:
    """Briefing page path -> (source file, {href as in the page: line})."""
    if site is None:
        return {}
    out = {}
    for e in site.briefings:
        bundle = site.bundles.get(e.briefing.slug)
        links = dict(bundle.links) if bundle else {}
        out[f"briefings/{e.briefing.slug}/index.html"] = (e.briefing.source, links)
    return out
