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
from conftest import build_site, make_site
from test_browser_site import ARGS, ARTIFACTS, CHROMIUM, Watch, serve
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
