"""Issue 18: a Russian briefing page as a reader meets it, in headless Chromium.

A bilingual site (tests/test_localise.py's) is built and served on localhost; the Russian
page of a translated briefing is opened at 1280 and 390 px: Russian throughout (lang,
theme words, Babel's date, reading time), the switcher leads to the English page, nothing
scrolls sideways, no console errors or failed requests; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site
from test_browser_site import ARGS, ARTIFACTS, CHROMIUM, WAIT_MS, Watch, serve
from test_localise import BILINGUAL, FILES, TOPICS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); required when CI=true",
    ),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_site(tmp_path_factory.mktemp("ru") / "src", FILES, config=BILINGUAL, topics=TOPICS)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    server, url = serve(root / "site")
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("width", [1280, 390])
def test_issue_18_russian_briefing_page_screenshot(base: str, width: int) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        watch = Watch(page)
        page.goto(base + "/ru/briefings/kz-grain/")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.locator("h1").inner_text() == "Экспорт зерна из Казахстана"
        assert page.locator("#sources-h").inner_text() == "Источники"
        meta = page.locator(".briefing-header .meta").first.inner_text()
        assert "16 июня 2025" in meta and "минут" in meta
        assert page.locator(".skip").inner_text() == "К содержанию"
        english = page.locator('nav.languages a[hreflang="en"]')
        assert english.get_attribute("href") == "/briefings/kz-grain/"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the Russian page scrolls sideways at {width} px ({scroll} px)"
        target = ARTIFACTS / f"briefing-ru-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        english.click()
        page.wait_for_url(base + "/briefings/kz-grain/")
        assert page.locator("html").get_attribute("lang") == "en"
        context.close()
        browser.close()
    watch.assert_clean()


def ru_piece(title: str, day: int, words: str) -> str:
    body = f"Обзор недели: {words}. Рынки следят за поставками."
    return briefing(title, f"2025-05-{day:02d}", body, lang="ru")


SEARCH_FILES = {
    **FILES,
    "content/s/a.md": ru_piece("Алмазы и медь", 1, "алмазы, медь и хлопок"),
    "content/s/b.md": ru_piece("Медь на юге", 2, "медь и хлопок"),
    "content/s/c.md": ru_piece("Медь на севере", 3, "медь и хлопок"),
    "content/s/d.md": ru_piece("Хлопок весной", 4, "хлопок"),
    "content/s/e.md": ru_piece("Хлопок осенью", 5, "хлопок"),
}


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_site(
        tmp_path_factory.mktemp("ru-search") / "src", SEARCH_FILES, config=BILINGUAL, topics=TOPICS
    )
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (root / "site/ru/pagefind/pagefind.js").is_file()
    server, url = serve(root / "site")
    yield url
    server.shutdown()
    server.server_close()


def status_after(page, words: str) -> str:
    before = page.locator("#search-status").inner_text()
    page.fill("#search-q", words)
    page.press("#search-q", "Enter")
    page.wait_for_function(
        "(before) => { const t = document.querySelector('#search-status').textContent;"
        " return t !== before && !t.startsWith('Загружаем'); }",
        arg=before,
        timeout=WAIT_MS,
    )
    return page.locator("#search-status").inner_text()


def test_issue_18_russian_search_page_speaks_russian(searchable: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page)
        page.goto(searchable + "/ru/search/")
        page.wait_for_selector(".search-filters:not([disabled])", timeout=WAIT_MS)
        status = page.locator("#search-status")
        assert status.inner_text() == "Введите слова или выберите тему, тип, автора или год."
        # a count of 1, 3 and 5: CLDR's one, few and many, picked by Intl.PluralRules
        assert status_after(page, "алмазы") == "По запросу «алмазы» найден 1 брифинг."
        assert status_after(page, "медь") == "По запросу «медь» найдено 3 брифинга."
        assert status_after(page, "хлопок") == "По запросу «хлопок» найдено 5 брифингов."
        assert page.locator(".search-result").count() == 5
        assert status_after(page, "вольфрам") == "По запросу «вольфрам» брифингов не найдено."
        page.goto(searchable + "/search/?q=Kazakhstan")  # English keeps its own words
        page.wait_for_function(
            "document.querySelector('#search-status').textContent.includes('found')",
            timeout=WAIT_MS,
        )
        assert status.inner_text() == "1 briefing found for “Kazakhstan”."
        browser.close()
    watch.assert_clean()


def test_issue_18_russian_search_without_an_index_says_so_in_russian(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(base + "/ru/search/")  # built with search: false, so no /ru/pagefind/
        page.wait_for_function(
            "document.querySelector('#search-status').textContent.includes('индекс')",
            timeout=WAIT_MS,
        )
        text = page.locator("#search-status").inner_text()
        assert text == "Поиск недоступен в этой копии сайта: его индекс не был построен."
        browser.close()
