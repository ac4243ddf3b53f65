"""Link checker over the built example site: no broken internal link and no missing anchor.

Pure Python over the output folder (no browser, no server): every href/src in every HTML page
and every <loc>/<link> in the sitemap and feeds that points inside the site must name a file
that was built, and every #fragment must name an id (or <a name>) in its target page.
Built twice: at the domain root, and under a sub-path (base_url .../desk/), where any link
that forgets the base path breaks.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import REPO, build_site

LINK_ATTRS = {"href", "src", "action", "poster"}
XML_LINK = re.compile(rb"<loc>([^<]+)</loc>|<link[^>]*\shref=\"([^\"]+)\"")


class _Page(HTMLParser):
    """The ids and the outgoing links (attribute values) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRS:
                self.links.append(value)
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]

    handle_startendtag = handle_starttag


def parse_site(out: Path) -> tuple[dict[str, _Page], dict[str, list[str]]]:
    """Pages by output path, and links found in XML files (sitemap, feeds) by path."""
    pages: dict[str, _Page] = {}
    xml: dict[str, list[str]] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            page = _Page()
            page.feed(path.read_text(encoding="utf-8"))
            pages[rel] = page
        elif path.suffix == ".xml":
            found = XML_LINK.finditer(path.read_bytes())
            xml[rel] = [(m.group(1) or m.group(2)).decode() for m in found]
    return pages, xml


def target_file(out: Path, url_path: str) -> str | None:
    """The output file a site-relative URL path is served from, if it exists."""
    rel = unquote(url_path).lstrip("/")
    if not rel or rel.endswith("/"):
        candidates = [rel + "index.html"]
    else:
        candidates = [rel, rel + "/index.html"]  # a static host redirects /x to /x/
    return next((c for c in candidates if (out / c).is_file()), None)


def check_links(out: Path, base_url: str) -> list[str]:
    """Every broken internal link as "page: link (why)"; external links are not followed."""
    base = urlsplit(base_url)
    pages, xml = parse_site(out)
    problems: list[str] = []
    sources = [(rel, page.links) for rel, page in pages.items()] + list(xml.items())
    for rel, links in sources:
        page_url = urljoin(base_url, rel.removesuffix("index.html"))
        for link in links:
            link = link.strip()
            if not link or link.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            url = urlsplit(urljoin(page_url, link))
            if (url.scheme, url.netloc) != (base.scheme, base.netloc):
                continue  # another site
            if not url.path.startswith(base.path):
                problems.append(f"{rel}: {link} (outside the site's base path {base.path})")
                continue
            target = target_file(out, url.path[len(base.path) :])
            fragment = unquote(url.fragment)
            if target is None:
                problems.append(f"{rel}: {link} (no such file)")
            elif target in pages and fragment and fragment not in pages[target].ids:
                problems.append(f"{rel}: {link} (no id `{fragment}` in {target})")
    return sorted(set(problems))


def copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", dest / "content")
    for name in ("briefgen.yaml", "topics.yaml", "series.yaml"):
        shutil.copy2(REPO / name, dest / name)
    return dest


_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def check_hreflang(out: Path, base_url: str) -> tuple[list[str], int]:
    """Problems with the pages' `hreflang` alternates, and how many pages have a translation:
    each alternate is a page of the site in the language it says, and names this page back
    (with this page's language); the page lists itself and an `x-default`."""
    pages = {}
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        canonical = _CANONICAL.search(html)
        lang = re.search(r'<html lang="([^"]+)"', html)
        if canonical and lang:
            pages[canonical.group(1)] = (lang.group(1), dict(_ALTERNATE.findall(html)))
    problems, paired = [], 0
    for url, (lang, alternates) in pages.items():
        if not alternates:
            continue
        if alternates.get(lang) != url or "x-default" not in alternates:
            problems.append(f"{url}: does not list itself ({lang}) and an x-default")
        others = {code: u for code, u in alternates.items() if code not in (lang, "x-default")}
        paired += bool(others)
        for code, other in others.items():
            if not other.startswith(base_url) or other not in pages:
                problems.append(f"{url}: {code} alternate {other} is no page of the site")
            elif pages[other][0] != code or pages[other][1].get(lang) != url:
                problems.append(f"{url}: {code} alternate {other} does not name it back")
    return problems, paired


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/desk/"])
def test_example_site_has_no_broken_internal_links(tmp_path: Path, base_url: str) -> None:
    """Both editions of the bilingual example site (English at the root, Russian under
    /ru/): every internal link and anchor resolves, and hreflang pairs point both ways."""
    root = copy_example(tmp_path / "example")
    result = build_site(root, base_url=base_url, pdf=False)  # PDFs: test_pdf.py
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.diagnostics == (), [d.format() for d in result.diagnostics]
    out = root / "site"
    pages, _ = parse_site(out)
    assert len(pages) > 50
    assert len([p for p in pages if p.startswith("ru/")]) > 50
    assert check_links(out, base_url) == []
    problems, paired = check_hreflang(out, base_url)
    assert problems == []
    translated = {p.name for p in (root / "content").rglob("*.ru.md")}
    assert len(translated) >= 6
    assert paired >= 2 * 4  # at least four briefings, both ways, besides the listing pages


def test_link_checker_finds_missing_pages_and_anchors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "index.html").write_text(
        '<a href="/a/">ok</a> <a href="/a/#here">ok</a> <a href="a/#gone">bad anchor</a>'
        ' <a href="/missing/">bad page</a> <a href="https://elsewhere.example/x">external</a>'
        ' <a href="https://example.org/b/">absolute, bad</a> <a href="#top">self</a>'
        ' <img src="/static/none.png" alt="">',
        encoding="utf-8",
    )
    (out / "a" / "index.html").write_text('<h2 id="here">Here</h2>', encoding="utf-8")
    assert check_links(out, "https://example.org/") == [
        "index.html: #top (no id `top` in index.html)",
        "index.html: /missing/ (no such file)",
        "index.html: /static/none.png (no such file)",
        "index.html: a/#gone (no id `gone` in a/index.html)",
        "index.html: https://example.org/b/ (no such file)",
    ]
