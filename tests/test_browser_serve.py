"""Live reload as a person sees it: headless Chromium (Debian's) against a real DevServer.

Skipped only when /usr/bin/chromium is missing outside CI; in CI (CI=true) it must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefing, make_site

from briefgen.serve import DevServer

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
WAIT_MS = 20_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); required when CI=true",
    ),
]

LONG_BODY = "\n\n".join(
    f"Paragraph {i}: Kazakhstan and the European Union discussed the Middle Corridor."
    for i in range(120)
)


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def served(site_dir: Path) -> Iterator[tuple[DevServer, Path]]:
    root = make_site(
        site_dir,
        {
            "content/2024/alpha.md": briefing("Alpha", "2024-05-01", LONG_BODY),
            "content/2024/beta.md": briefing("Beta", "2024-04-01", "The Caspian Sea."),
            "static/style.css": "body { background: rgb(255, 255, 255); }\n",
        },
    )
    server = DevServer.for_site(root, quiet=0.05, poll_timeout=5.0)
    server.start()
    yield server, root
    server.stop()


def test_pages_reload_restyle_and_show_build_errors(browser, served) -> None:
    server, root = served
    source = root / "content/2024/alpha.md"
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.goto(server.url + "briefings/alpha/")
    other = browser.new_page()
    other.goto(server.url)
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_function("window.scrollY >= 1400")
    page.evaluate("window.__marker = 1")
    other.evaluate("window.__marker = 1")

    # An edit reloads every open tab; the edited page keeps its scroll position.
    source.write_text(briefing("Alpha", "2024-05-01", LONG_BODY + "\n\nEdited in the browser."))
    page.wait_for_function(
        "document.body.innerText.includes('Edited in the browser.')", timeout=WAIT_MS
    )
    other.wait_for_function("window.__marker === undefined", timeout=WAIT_MS)
    page.wait_for_function("window.scrollY >= 1400", timeout=WAIT_MS)
    assert page.evaluate("window.__marker") is None

    # A stylesheet edit restyles in place: no reload.
    page.evaluate("window.__marker = 2")
    (root / "static/style.css").write_text("body { background: rgb(1, 2, 3); }\n")
    page.wait_for_function(
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=WAIT_MS
    )
    assert page.evaluate("window.__marker") == 2
    assert "briefgen=" in page.eval_on_selector('link[rel="stylesheet"]', "l => l.href")

    # A broken file: an overlay names file and line over the last good page.
    good = source.read_text()
    source.write_text(good.replace("date: 2024-05-01", "date: 2024-13-45"))
    where = page.wait_for_selector("#briefgen-overlay .where", timeout=WAIT_MS)
    assert where is not None and where.inner_text() == "content/2024/alpha.md:3"
    assert page.inner_text("#briefgen-overlay .source") == "3 | date: 2024-13-45"
    assert page.evaluate("document.body.innerText.includes('Edited in the browser.')")

    # A page loaded while the error stands shows the overlay at once.
    other.reload()
    other.wait_for_selector("#briefgen-overlay .where", timeout=WAIT_MS)

    # The fix clears it and brings the new text.
    source.write_text(good.replace("Edited in the browser.", "Fixed in the browser."))
    page.wait_for_function(
        "document.body.innerText.includes('Fixed in the browser.')", timeout=WAIT_MS
    )
    page.wait_for_selector("#briefgen-overlay", state="detached", timeout=WAIT_MS)
    other.wait_for_selector("#briefgen-overlay", state="detached", timeout=WAIT_MS)
