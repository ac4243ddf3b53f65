"""A PDF of every briefing, made by WeasyPrint from the briefing's own page and the
theme's print stylesheet (title, authors, date, key points, figures, footnotes, sources,
citation and canonical URL), at /briefings/<slug>/<slug>.pdf.

Owns: the PDFs and their store. Each PDF is kept by a digest of everything it is made
from (the page's bytes, the bytes of every file of the site it loads, WeasyPrint's
version), in the build state for the next build in this process and in the persistent
cache across runs, so an unchanged briefing is never laid out again. The metadata dates
are the briefing's own (published; last updated or corrected), so the bytes are stable.
Must not: fetch anything outside the site being built (no network: a URL elsewhere is
left out of the PDF), or run in the dev server (render/pdfplan.py decides).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from briefgen.cache import Cache, encode, key_of
from briefgen.diagnostics import Diagnostic, warning
from briefgen.model import OutputFile, Site
from briefgen.parallel import parallel_map
from briefgen.render.env import isodate
from briefgen.render.pdfplan import INSTALL_HINT

# What WeasyPrint loads: images (src) and stylesheets; not the pages a link points to.
_URL = re.compile(rb'src="([^"]+)"|href="([^"]+\.css)"')
Job = tuple[str, str, bytes, dict[str, str], str]  # (output path, cache key, page, metadata, URL)
Roots = tuple[tuple[str, str], ...]  # (base URL, output folder) per edition


@dataclass
class PdfStore:
    """PDF bytes by content key; `made` counts the ones WeasyPrint had to lay out."""

    cache: Cache = field(default_factory=lambda: Cache(None))
    memory: dict[str, bytes] = field(default_factory=dict)
    made: int = 0


def make_pdfs(
    sites: Sequence[Site], files: tuple[OutputFile, ...] | list[OutputFile], store: PdfStore
) -> tuple[list[OutputFile], list[Diagnostic]]:
    """The PDF of every briefing `pdf_paths` names, from the rendered `files`: one site, or
    every language's edition of a multilingual one (its files under its folder)."""
    if not any(site.desk.pdfs for site in sites):
        return [], []
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # the package without its Pango libraries
        return [], [
            warning(
                "pdf-unavailable",
                f"WeasyPrint cannot start ({exc}): no PDFs were made",
                "briefgen.yaml",
                0,
                INSTALL_HINT,
            )
        ]
    data = {f.path: f.data for f in files}
    version, roots = weasyprint.__version__, _roots(sites)
    found = [
        (site, job)
        for site in sites
        for slug in sorted(site.desk.pdfs)
        if (job := _job(site, slug, data, version, roots)) is not None
    ]
    wanted = [j for _, j in found if j[0] not in data]
    diags = [
        warning(
            "pdf-clash",
            f"`{j[0]}` is a file of the briefing: no PDF is made in its place",
            site.by_slug[j[0].rsplit("/", 2)[1]].briefing.source,
            0,
            "rename the file; that path is where briefgen puts the briefing's PDF",
        )
        for site, j in found
        if j[0] in data
    ]
    missing = [j for j in wanted if j[1] not in store.memory]
    for key, payload in store.cache.get_many("pdf", [j[1] for j in missing]).items():
        if isinstance(payload, bytes):
            store.memory[key] = payload
    todo = [j for j in missing if j[1] not in store.memory]
    # a PDF takes about a second: worth a worker from two on, one at a time
    made = parallel_map(_make_one, range(len(todo)), (roots, todo, data), min_items=2, chunk=1)
    for job, pdf in zip(todo, made, strict=True):
        store.memory[job[1]] = pdf
    store.made += len(todo)
    store.cache.put_many("pdf", [(j[1], encode(store.memory[j[1]])) for j in todo])
    store.memory = {j[1]: store.memory[j[1]] for j in wanted}  # only this build's, kept
    return [OutputFile(j[0], store.memory[j[1]]) for j in wanted], diags


def _roots(sites: Sequence[Site]) -> Roots:
    """(base URL, output folder) of each edition, the longest URL first: a URL belongs to
    the edition whose base it starts with (the default's base holds the shared /static/)."""
    pairs = {
        (s.config.base_url, s.config.edition.folder if s.config.edition else "") for s in sites
    }
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def _job(
    site: Site, slug: str, data: Mapping[str, bytes], version: str, roots: Roots
) -> Job | None:
    folder = site.config.edition.folder if site.config.edition else ""
    page = data.get(f"{folder}briefings/{slug}/index.html")
    if page is None:
        return None
    e = site.by_slug[slug]
    b = e.briefing
    revised = max((d for d in (b.updated, *(c.date for c in b.corrections)) if d), default=b.date)
    meta = {
        "title": b.title,
        "authors": "\n".join(b.authors),
        "created": isodate(b.date),
        "modified": isodate(revised),
        "description": e.summary,
        "keywords": "\n".join(e.topic_ids),
    }
    base = site.config.absolute(f"/briefings/{slug}/")  # the page's URL: links resolve from it
    digest = hashlib.sha256(page)
    for path in sorted(set(_site_paths(roots, base, page))):
        digest.update(path.encode() + b"\0" + hashlib.sha256(data.get(path, b"")).digest())
    key = key_of("pdf", version, digest.hexdigest(), repr(sorted(meta.items())))
    return (f"{folder}briefings/{slug}/{slug}.pdf", key, page, meta, base)


def _site_paths(roots: Roots, base: str, page: bytes) -> list[str]:
    """Output paths of the site's own files a page at `base` loads (stylesheets, images)."""
    out = []
    for src, css in _URL.findall(page):
        url = (src or css).decode("utf-8", "replace").replace("&amp;", "&")
        path = _output_path(roots, urljoin(base, url))
        if path:
            out.append(path)
    return out


def _output_path(roots: Roots, url: str) -> str:
    """The output path an absolute URL of this site names ("" for anything else)."""
    for base, folder in roots:
        if url.startswith(base):
            path = folder + unquote(urlsplit(url[len(base) :]).path)
            return path + "index.html" if path.endswith("/") or path == folder else path
    return ""


def _make_one(context: tuple[Roots, list[Job], Mapping[str, bytes]], index: int) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots, todo, data = context
    _, _, page, meta, base = todo[index]

    class SiteFetcher(URLFetcher):
        """Serves the site being built from memory; refuses everything else."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            found = data.get(_output_path(roots, url))
            if found is None:
                raise ValueError(f"not a file of this site: {url}")
            return URLFetcherResponse(url, found, {"Content-Type": _mime(url)})

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # left-out URLs are expected
    html = weasyprint.HTML(string=page.decode("utf-8"), base_url=base, url_fetcher=SiteFetcher())
    document = html.render()
    m = document.metadata
    m.title, m.description = meta["title"], meta["description"]
    m.authors = meta["authors"].split("\n") if meta["authors"] else []
    m.keywords = meta["keywords"].split("\n") if meta["keywords"] else []
    m.created, m.modified = meta["created"], meta["modified"]
    m.generator = "briefgen"
    return document.write_pdf()


def _mime(url: str) -> str:
    ext = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    return {
        "css": "text/css",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
        "gif": "image/gif",
        "woff2": "font/woff2",
    }.get(ext, "application/octet-stream")
