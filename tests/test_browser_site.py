"""The built example site as a person meets it: headless Chromium (Debian's) against a copy of
the build served by a standard-library HTTP server on localhost.

Covers issue 8: following a topic and a related briefing from the home page, search with
topic aliases, filters and sorting, no console errors and no failed requests, keyboard use,
an axe-core accessibility check in light and dark mode, the print handout (1-2 pages) and
screenshots of the home, briefing, topic, author and series pages at 1280 and 390 px in
test-artifacts/.

Skipped only when /usr/bin/chromium is missing outside CI; in CI (CI=true) it must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO, build_site

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
WAIT_MS = 15_000
ALIAS_ONLY = "investors-forum-trans-caspian"  # tagged Middle Corridor; never says so

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); required when CI=true",
    ),
]


# --- fixtures: one build, one server, one browser for the module ----------------------------


def copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", dest / "content")
    for name in ("briefgen.yaml", "topics.yaml", "series.yaml"):
        shutil.copy2(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("example"))
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code.startswith("search")], [
        d.format() for d in result.diagnostics
    ]
    out = root / "site"
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build made no search index"
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def base(built: Path) -> Iterator[str]:
    server, url = serve(built)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


class Watch:
    """Console errors, uncaught exceptions and failed requests seen by one page."""

    def __init__(self, page: object) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught: {exc}"))  # type: ignore[attr-defined]
        page.on("response", self._response)  # type: ignore[attr-defined]
        page.on("requestfailed", self._failed)  # type: ignore[attr-defined]

    def _console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            self.problems.append(f"console {message.type}: {message.text}")  # type: ignore[attr-defined]

    def _failed(self, request: object) -> None:
        # Leaving a page cancels what it was still loading (the favicon): that is no failure.
        if request.failure != "net::ERR_ABORTED":  # type: ignore[attr-defined]
            self.problems.append(f"failed: {request.url} ({request.failure})")  # type: ignore[attr-defined]

    def _response(self, response: object) -> None:
        if response.status >= 400:  # type: ignore[attr-defined]
            self.problems.append(f"HTTP {response.status}: {response.url}")  # type: ignore[attr-defined]

    def assert_clean(self) -> None:
        assert self.problems == []


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    watch = Watch(page)
    yield page, watch
    context.close()


def internal_links(page: object, base: str) -> set[str]:
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
    )
    return {h.split("#")[0] for h in hrefs if h.startswith(base)}


# --- the journey ------------------------------------------------------------------------------


def test_home_to_topic_to_related_briefing(page, base: str) -> None:
    page, watch = page
    seen: set[str] = set()
    page.goto(base + "/")
    assert page.title() == "Eurasia Desk"
    seen |= internal_links(page, base)

    page.locator(".topic-nav a", has_text="Middle Corridor").click()
    page.wait_for_url(re.compile(r"/topics/middle-corridor/$"))
    assert page.locator("h1").inner_text() == "Middle Corridor"
    graph = page.locator("svg.cograph")
    assert graph.is_visible()
    assert graph.get_attribute("role") == "group"
    assert page.locator("svg.cograph g[role=img]").get_attribute("aria-label")
    assert page.locator("svg.cograph a.cograph-link").count() >= 3
    assert page.locator(".timeline .years li").count() >= 2
    seen |= internal_links(page, base)

    # A node of the graph is a real link to another topic page.
    node = page.locator("svg.cograph a.cograph-link").first
    target = node.get_attribute("href")
    node.click()
    page.wait_for_url(base + target)
    assert page.locator("h1").inner_text() != "Middle Corridor"
    page.go_back()

    page.locator(".listing .card-title a").first.click()
    page.wait_for_url(re.compile(r"/briefings/[^/]+/$"))
    first = page.locator("h1").inner_text()
    seen |= internal_links(page, base)

    related = page.locator(".related a").first
    related_title = related.inner_text()
    related.click()
    page.wait_for_url(re.compile(r"/briefings/[^/]+/$"))
    assert page.locator("h1").inner_text() == related_title != first
    assert page.locator(".neighbours a").count() >= 1  # previous/next within the topic
    seen |= internal_links(page, base)

    broken = [url for url in sorted(seen) if page.request.get(url).status != 200]
    assert broken == []
    watch.assert_clean()


def test_search_finds_aliases_filters_and_sorts(page, base: str) -> None:
    page, watch = page
    source = next((REPO / "content").rglob(f"{ALIAS_ONLY}.md")).read_text(encoding="utf-8")
    assert "middle corridor" not in source.lower()  # else this test proves nothing

    page.goto(base + "/search/")
    page.wait_for_selector(".search-filters:not([disabled])", timeout=WAIT_MS)
    page.fill("#search-q", "Middle Corridor")
    page.press("#search-q", "Enter")
    status = page.locator("#search-status")
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.includes('found')",
        timeout=WAIT_MS,
    )
    total = int(status.inner_text().split()[0])
    assert total >= 10
    assert "q=Middle+Corridor" in page.url

    first = page.locator(".search-result").first
    assert first.locator("h2 a").inner_text()
    assert re.search(r"\d{1,2} \w+ \d{4}", first.locator(".meta").inner_text())  # the date
    assert first.locator(".chips a").count() >= 1  # topics, linked
    assert first.locator(".search-excerpt mark").count() >= 1  # the matching excerpt

    # All results, then: the alias-only briefing is among them.
    while (shown := page.locator(".search-result").count()) < total:
        page.click("#search-more")
        page.wait_for_function(
            f"document.querySelectorAll('.search-result').length > {shown}", timeout=WAIT_MS
        )
        # Keyboard users land on the first new result.
        assert page.evaluate("document.activeElement.closest('.search-result') !== null")
    assert page.locator("#search-more").is_hidden()
    hrefs = page.eval_on_selector_all(".search-result h2 a", "els => els.map(e => e.href)")
    assert any(h.endswith(f"/briefings/{ALIAS_ONLY}/") for h in hrefs), hrefs

    # Filter by year: fewer results, all from that year; the address follows.
    year = page.locator("#search-year option").nth(1).get_attribute("value")
    page.select_option("#search-year", year)
    page.wait_for_function(
        f"!document.querySelector('#search-status').textContent.startsWith('{total} ')",
        timeout=WAIT_MS,
    )
    dates = page.locator(".search-result .meta").all_inner_texts()
    assert dates and all(year in d for d in dates), dates
    assert f"year={year}" in page.url

    # Filters alone (no words) list briefings too, newest first when asked.
    page.goto(base + "/search/?topic=Middle+Corridor&sort=newest")
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.includes('found')",
        timeout=WAIT_MS,
    )
    assert page.locator("#search-topic").input_value() == "Middle Corridor"
    years = [
        int(re.search(r"\d{4}", d).group())
        for d in page.locator(".search-result .meta").all_inner_texts()
    ]
    assert years == sorted(years, reverse=True) and len(years) >= 5
    for chips in page.locator(".search-result .chips").all():
        assert "Middle Corridor" in chips.all_inner_texts()[0]
    watch.assert_clean()


def test_search_page_says_so_when_the_index_is_missing(browser, built: Path, tmp_path) -> None:
    copy = tmp_path / "no-index"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("pagefind"))
    server, url = serve(copy)
    try:
        page = browser.new_page()
        page.goto(url + "/search/?q=corridor")
        page.wait_for_function(
            "document.querySelector('#search-status').textContent.includes('not available')",
            timeout=WAIT_MS,
        )
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_search_works_for_a_site_under_a_sub_path(browser, tmp_path) -> None:
    root = copy_example(tmp_path / "sub")
    served = tmp_path / "www"
    result = build_site(root, base_url="https://example.org/desk/", output_dir=str(served / "desk"))
    assert result.ok, [d.format() for d in result.diagnostics]
    server, url = serve(served)
    try:
        page = browser.new_page()
        watch = Watch(page)
        page.goto(url + "/desk/search/?q=Trans-Caspian")
        page.wait_for_selector(".search-result", timeout=WAIT_MS)
        hrefs = page.eval_on_selector_all(".search-result a", "els => els.map(e => e.href)")
        assert hrefs and all(h.startswith(url + "/desk/") for h in hrefs), hrefs
        page.locator(".search-result h2 a").first.click()
        page.wait_for_url(re.compile(r"/desk/briefings/[^/]+/$"))
        page.close()
        watch.assert_clean()
    finally:
        server.shutdown()
        server.server_close()


# --- keyboard, accessibility, dark mode -------------------------------------------------------


def test_keyboard_skip_link_and_graph_links(page, base: str) -> None:
    page, watch = page
    page.goto(base + "/topics/middle-corridor/")
    page.keyboard.press("Tab")
    page.wait_for_function("document.activeElement.textContent === 'Skip to content'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    in_graph = False
    for _ in range(60):  # Tab on through the page until a node of the graph has focus
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.cograph')"):
            in_graph = True
            break
    assert in_graph, "no node of the co-occurrence graph is reachable with Tab"
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(base + target)
    watch.assert_clean()


A11Y_PAGES = [
    "/",
    "/briefings/middle-corridor-demand-before-capacity/",  # a bundle: map (SVG), callout
    "/briefings/borrell-samarkand/",  # a bundle: chart (PNG, responsive), key-figures box
    "/briefings/samarkand-summit-strategic-partnership/",  # a bundle: PDF download
    "/topics/middle-corridor/",
    "/topics/",
    "/archive/",
    "/authors/",
    "/authors/tomas-lindqvist/",
    "/authors/aigerim-sadykova/",  # issue 19: a profile with portrait and links
    "/series/central-asia-connectivity/",  # issue 19: a series
    "/briefings/caspian-ports-capacity/",  # issue 19: part 4 of 5, author cards
    "/briefings/kazakhstan-oil-export-routes/",  # issue 19: a corrected briefing
    "/corrections/",
    "/about/",
    "/search/?q=corridor",
    "/404.html",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, base: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    watch = Watch(page)
    found = []
    for path in A11Y_PAGES:
        page.goto(base + path)
        if path.startswith("/search/"):
            page.wait_for_selector(".search-result", timeout=WAIT_MS)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                           v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
        )
        found += [f"{path}: {v}" for v in violations]
    context.close()
    assert found == []
    watch.assert_clean()


def test_dark_mode_follows_the_system(browser, base: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(base + "/")
        colours[scheme] = page.evaluate(
            "(s => [s.backgroundColor, s.color])(getComputedStyle(document.body))"
        )
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["dark"][0] == "rgb(20, 24, 28)"


# --- print and screenshots --------------------------------------------------------------------


def longest_briefing() -> str:
    """The slug of the published English example briefing with the most words."""
    texts = {
        p.parent.name if p.stem == "index" else p.stem: p.read_text(encoding="utf-8")
        for p in (REPO / "content").rglob("*.md")
        if not p.name.endswith(".ru.md")
    }
    published = {slug: text for slug, text in texts.items() if "\ndraft: true" not in text}
    return max(published, key=lambda slug: (len(published[slug].split()), slug))


def test_print_view_is_a_one_to_two_page_handout(browser, base: str) -> None:
    slug = longest_briefing()
    page = browser.new_page()
    page.goto(f"{base}/briefings/{slug}/")
    page.emulate_media(media="print")
    navs = page.locator(".site-header nav").all()  # the site menu and the language switcher
    assert len(navs) == 2 and all(nav.is_hidden() for nav in navs)
    assert page.locator(".related").is_hidden()
    assert page.locator(".print-only").is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{slug}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 1 <= pages <= 2, f"{slug} prints on {pages} pages"


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, base: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    shots = {
        "home": "/",
        "briefing": "/briefings/middle-corridor-demand-before-capacity/",  # bundle: SVG map
        "bundle": "/briefings/borrell-samarkand/",  # bundle: PNG chart, callout
        "topic": "/topics/middle-corridor/",
        "author": "/authors/aigerim-sadykova/",  # issue 19
        "series": "/series/central-asia-connectivity/",  # issue 19
    }
    for name, path in shots.items():
        page.goto(base + path)
        if name == "bundle":  # issue 16: the figure is laid out and its image really loads
            img = page.locator(".body figure img").first
            img.scroll_into_view_if_needed()
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=img.element_handle()
            )
            box = img.bounding_box()
            assert box and 0 < box["width"] <= width
            assert page.locator(".callout").count() >= 1
        if name == "author":  # issue 19: the drawn portrait loads, the profile is shown
            portrait = page.locator("img.portrait")
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=portrait.element_handle()
            )
            assert page.locator(".profile-links a").count() >= 2
        if name == "series":
            assert page.locator(".series-parts > li").count() >= 3
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} scrolls sideways at {width} px ({scroll} px wide)"
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    context.close()
    watch.assert_clean()


def test_pages_link_back_to_their_canonical_urls(page, base: str) -> None:
    """Canonical, OpenGraph, Twitter and JSON-LD (NewsArticle with authors, dates, topics)."""
    page, watch = page
    page.goto(base + "/briefings/middle-corridor-demand-before-capacity/")
    head = {
        name: page.locator(f"meta[{attr}='{name}']").get_attribute("content")
        for attr, name in [
            ("property", "og:title"),
            ("property", "og:url"),
            ("property", "og:type"),
            ("name", "twitter:card"),
            ("property", "og:image"),
            ("name", "twitter:image"),
            ("property", "article:published_time"),
        ]
    }
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    expected = "https://example.org/briefings/middle-corridor-demand-before-capacity/"
    assert canonical == head["og:url"] == expected
    # issue 16: the briefing's map is its card image, so the Twitter card is the large one
    assert head["og:type"] == "article" and head["twitter:card"] == "summary_large_image"
    assert head["og:image"] == expected + "corridor-map.svg" == head["twitter:image"]
    ld = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert ld["@type"] in ("NewsArticle", "Article")
    assert ld["author"] and all(a["@type"] == "Person" and a["name"] for a in ld["author"])
    assert ld["datePublished"].startswith("2022-")
    assert {t["name"] for t in ld["about"]} >= {"Middle Corridor", "Kazakhstan"}
    assert urlsplit(urljoin(canonical, ld["mainEntityOfPage"])).path == urlsplit(canonical).path
    watch.assert_clean()
