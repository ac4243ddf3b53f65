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
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from briefgen.diagnostics import Diagnostic, closest, warning
from briefgen.model import OutputFile, Site

# on bytes: 1,000 briefings are tens of megabytes of HTML; only the matches are decoded
_HTML_URL = re.compile(rb'\s(href|src|srcset)="([^"]*)"')  # what _attributes finds
_ATTRIBUTES = (b"href", b"src", b"srcset")
_SPACE = b" \t\n\r\f\v"  # what \s matches in a bytes pattern
_XML_URL = re.compile(rb'<(?:loc|uri)>([^<]*)</(?:loc|uri)>|\shref="([^"]*)"')
_SKIP = ("pagefind/", "static/")
CODES = frozenset({"broken-link", "broken-anchor", "missing-asset"})
_NOT_CHECKED = ("mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # as in the page, unescaped
    page: str  # output path of the page it is on
    file: str  # where it was written: a briefing's source, or "" (a template)
    line: int
    kind: str  # link | image


def links_in(
    files: Sequence[OutputFile], site: Site | None, only: Collection[str] | None = None
) -> Iterator[Link]:
    """Every URL of every page, feed and sitemap (or of the pages in `only`), with where it
    was written."""
    sources = _sources(site)
    for f in files:
        if f.path.startswith(_SKIP) or not f.path.endswith((".html", ".xml")):
            continue
        if only is not None and f.path not in only:
            continue
        body = sources.get(f.path)
        for kind, raw in _raw_urls(f):
            text = raw.decode("utf-8", "replace")
            file, line = ("", 0)
            if body is not None and text in body[1]:
                file, line = body[0], body[1][text]
            yield Link(html.unescape(text), f.path, file, line, kind)


def _raw_urls(f: OutputFile) -> Iterator[tuple[str, bytes]]:
    """(kind, attribute value as in the file) for every URL of a page, feed or sitemap."""
    if f.path.endswith(".xml"):
        for match in _XML_URL.finditer(f.data):
            yield "link", match.group(1) or match.group(2)
        return
    for attr, value in _attributes(f.data):
        if attr == b"srcset":
            for part in value.split(b","):
                if part.strip():
                    yield "image", part.split()[0]
        else:
            yield ("link" if attr == b"href" else "image"), value


def _attributes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(name, value) of every ` href="…"`, ` src="…"` and ` srcset="…"` in `data`, in order:
    what `_HTML_URL.finditer` finds, found with `bytes.find` (a C loop over the page for
    each name, about three times faster on tens of megabytes of HTML than the regex, which
    tries every whitespace byte). Matches that overlap an earlier one are dropped, as
    finditer would never see them."""
    found: list[tuple[int, int, bytes, bytes]] = []
    for name in _ATTRIBUTES:
        opener = name + b'="'
        at = data.find(opener)
        while at != -1:
            start = at + len(opener)
            if at and data[at - 1] in _SPACE:
                end = data.find(b'"', start)
                if end == -1:
                    break
                found.append((at - 1, end + 1, name, data[start:end]))
                at = data.find(opener, end)
            else:
                at = data.find(opener, start)
    found.sort()
    out, reached = [], 0
    for begin, end, name, value in found:
        if begin >= reached:
            out.append((name, value))
            reached = end
    return out


def check_links(
    files: Sequence[OutputFile], site: Site | None, only: Collection[str] | None = None
) -> list[Diagnostic]:
    """Broken internal links of all pages, or of the pages in `only` (the dev server checks
    only what a rebuild changed: a link is resolved against the whole output either way)."""
    if site is None:
        return []
    config = site.config
    paths = {f.path for f in files}
    pages = {f.path: f.data for f in files if f.path.endswith(".html")}
    base = (config.base_url, config.base_path)
    sources = _sources(site)
    # (raw value, page folder for a relative URL or page for "#x", kind) -> problem: most
    # links are the same navigation links on every page, so most lookups end here
    seen: dict[tuple[bytes, str, str], str | None] = {}
    broken: dict[tuple[str, str, int, str], list[str]] = defaultdict(list)
    for f in files:
        if f.path.startswith(_SKIP) or not f.path.endswith((".html", ".xml")):
            continue
        if only is not None and f.path not in only:
            continue
        folder = f.path.rpartition("/")[0] + "/"
        for kind, raw in _raw_urls(f):
            first = raw[:1]
            where = f.path if first == b"#" else ""
            if not where and first != b"/" and b"://" not in raw:
                where = folder
            key = (raw, where, kind)
            problem = seen.get(key, "?")
            if problem == "?":
                link = Link(html.unescape(raw.decode("utf-8", "replace")), f.path, "", 0, kind)
                problem = seen[key] = _problem(link, base, paths, pages)
            if problem:
                text = raw.decode("utf-8", "replace")
                file, line = "", 0
                body = sources.get(f.path)
                if body is not None and text in body[2]:
                    continue  # load.bundles reported it already (missing file, draft, ...)
                if body is not None and text in body[1]:
                    file, line = body[0], body[1][text]
                broken[(problem, file, line, html.unescape(text))].append(f.path)
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


def still_broken(
    before: Iterable[Diagnostic], changed: Collection[str], site: Site | None
) -> list[Diagnostic]:
    """The last build's link warnings about briefings whose pages did not change."""
    sources = _sources(site)
    edited = {sources[p][0] for p in changed if p in sources}
    return [d for d in before if d.code in CODES and d.file and d.file not in edited]


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
        what = "image" if link.kind == "image" else "link to"
        code = (
            "missing-asset"
            if link.kind == "image" or "." in path.rsplit("/", 1)[-1]
            else "broken-link"
        )
        guess = _guess(path, paths)
        suffix = f" (did you mean {base[1]}{guess}?)" if guess else ""
        return f"{code}:{what} {{url}} does not exist{suffix}"
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


def _sources(site: Site | None) -> dict[str, tuple[str, dict[str, int], frozenset[str]]]:
    """Briefing page path -> (source file, {href as in the page: line}, hrefs reported)."""
    if site is None:
        return {}
    out = {}
    for e in site.briefings:
        bundle = site.bundles.get(e.briefing.slug)
        links = dict(bundle.links) if bundle else {}
        reported = bundle.reported if bundle else frozenset()
        out[f"briefings/{e.briefing.slug}/index.html"] = (e.briefing.source, links, reported)
    return out
