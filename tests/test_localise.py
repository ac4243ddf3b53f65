"""Issue 18, part 2: the theme's words, dates, numbers and reading time in each language.

A bilingual site is built for real; its Russian pages are checked against the shipped
Russian catalogue (no English msgid left in the visible text or labels), plural forms of
the reading time, Babel's dates, a site's own `locales/` over the theme's, and
`briefgen check` listing what a catalogue lacks (the English word is shown instead).
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import briefing, build_site, make_site, page

from briefgen.templatedirs import theme_dir

BILINGUAL = """\
title: Test Desk
description: Briefings in English.
base_url: https://example.org/
languages:
  - code: en
  - code: ru
    title: Тестовый отдел
    description: Брифинги на русском.
"""
TOPICS = """\
- id: central-asia
  name: {en: Central Asia, ru: Центральная Азия}
  kind: region
  description: {en: The five republics., ru: Пять республик между Каспием и Китаем.}
- id: kazakhstan
  name: {en: Kazakhstan, ru: Казахстан}
  kind: country
  parent: central-asia
  signals: {en: [Kazakh, Astana], ru: [Астана]}
- id: middle-corridor
  name: {en: Middle Corridor, ru: Средний коридор}
  kind: corridor
  aliases: {en: [Trans-Caspian route, TITR], ru: [Транскаспийский маршрут, ТМТМ]}
- id: caspian-sea
  name: {en: Caspian Sea, ru: Каспийское море}
  kind: region
"""
WORDS = "Казахстан отправляет зерно по Среднему коридору через Каспийское море. "


def ru_briefing(title: str, date: str, words: int, **extra: str) -> str:
    return briefing(title, date, (WORDS * (words // 10 + 1)).strip(), lang="ru", **extra)


FILES = {
    "content/2025/grain.md": briefing(
        "Kazakhstan grain exports",
        "2025-06-16",
        "Kazakhstan ships grain through the Middle Corridor. " * 30,
        slug="kz-grain",
        authors="[Aigerim Sadykova]",
        updated="2025-06-20",
    ),
    "content/2025/grain.ru.md": briefing(
        "Экспорт зерна из Казахстана",
        "2025-06-16",
        WORDS * 30,
        authors="[Айгерим Садыкова]",
        updated="2025-06-20",
        sources="[{title: Минсельхоз, url: 'https://example.org/src'}]",
        series="grain-routes",
        corrections='[{date: 2025-06-21, text: "Уточнён объём."}]',
    ),
    "content/2025/one.md": ru_briefing("Одна минута", "2025-06-10", 100),
    "content/2025/three.md": ru_briefing("Три минуты", "2025-06-11", 3 * 220),
    "content/2025/five.md": ru_briefing("Пять минут", "2025-06-12", 5 * 220),
    # the publishing desk: a profile, a series, a standalone page in both languages
    "authors.yaml": """\
- name: Aigerim Sadykova
  variants: [Айгерим Садыкова]
  role: {en: Trade analyst, ru: Аналитик}
  links: {website: "https://example.org/a"}
""",
    "series.yaml": "- {id: grain-routes, title: {en: Grain routes, ru: Зерновые маршруты}}\n",
    "content/pages/about.md": "---\ntitle: About\n---\nWe write.\n",
    "content/pages/about.ru.md": "---\ntitle: О нас\n---\nМы пишем.\n",
}


class _Text(HTMLParser):
    """Visible text plus the attributes a reader meets (labels, titles, alt text)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "pre"):  # BibTeX keys are a format's, not words
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.parts.append(value)
            if name == "content" and ("name", "description") in attrs and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "pre"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    text = re.sub(r"https?://\S+", " ", " ".join(parser.parts))  # URLs are not words
    return " ".join(text.split())


def english_phrases() -> list[str]:
    """Every msgid of the Russian catalogue whose translation differs, as the literal
    fragments a page would show (placeholders and markup cut out)."""
    path = theme_dir() / "locales/ru/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    out = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            text = re.sub(r"<[^>]+>", " ", msgid)
            out += [f.strip() for f in re.split(r"%\([a-z]+\)s", text) if len(f.strip()) > 3]
    return sorted(set(out))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("ru") / "src", FILES, config=BILINGUAL, topics=TOPICS)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


RU_PAGES = [
    "ru/index.html",
    "ru/briefings/kz-grain/index.html",
    "ru/topics/index.html",
    "ru/archive/index.html",
    "ru/authors/index.html",
    "ru/search/index.html",
    "ru/404.html",
    "ru/authors/aigerim-sadykova/index.html",
    "ru/series/index.html",
    "ru/series/grain-routes/index.html",
    "ru/corrections/index.html",
    "ru/about/index.html",
]


@pytest.mark.parametrize("rel", RU_PAGES)
def test_issue_18_no_english_label_left_on_a_russian_page(site: Path, rel: str) -> None:
    phrases = english_phrases()
    assert len(phrases) > 60  # the catalogue really is the theme's
    text = visible(page(site, rel))
    left = [p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]
    assert left == [], f"English left on {rel}: {left}"


def test_issue_18_topic_pages_have_localised_names_and_same_urls(site: Path) -> None:
    ru = page(site, "ru/topics/kazakhstan/index.html")
    assert "<h1>Казахстан</h1>" in ru and "Страна" in ru
    assert "Пять республик" in page(site, "ru/topics/central-asia/index.html")
    assert "<h1>Kazakhstan</h1>" in page(site, "topics/kazakhstan/index.html")
    assert ">Казахстан</a>" in page(site, "ru/briefings/kz-grain/index.html")


def test_issue_18_topic_pages_are_translated_too(site: Path) -> None:
    topics = sorted((site / "site/ru/topics").glob("*/index.html"))
    assert topics
    phrases = english_phrases()
    for path in topics:
        text = visible(path.read_text(encoding="utf-8"))
        left = [p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]
        assert left == [], f"English left on {path}: {left}"


def test_issue_18_english_pages_keep_their_words(site: Path) -> None:
    html = page(site, "briefings/kz-grain/index.html")
    assert "Cite this briefing" in html and "min read" in html and "16 June 2025" in html
    assert "Ключевые" not in html and "минут" not in html


def test_issue_18_reading_time_has_russian_plural_forms(site: Path) -> None:
    html = page(site, "ru/index.html")
    cards = dict(
        re.findall(
            r'<a href="[^"]+">([^<]+)</a></h2>\s*<p class="meta">(?:(?!</p>).)*?· (\d+ \w+)</p>',
            html,
            re.S,
        )
    )
    assert cards["Одна минута"] == "1 минута"
    assert cards["Три минуты"] == "3 минуты"
    assert cards["Пять минут"] == "5 минут"


def test_issue_18_dates_are_localised_with_babel(site: Path) -> None:
    html = page(site, "ru/briefings/kz-grain/index.html")
    # CLDR keeps "г." with its year: a narrow no-break space (U+202F) between them
    assert "16 июня 2025\u202fг." in html
    assert "Обновлено <time" in html and "20 июня 2025\u202fг." in html
    assert "2025\u202fг.. " not in html  # the cite text: no second full stop after "г."
    archive = page(site, "ru/archive/index.html")
    assert "июнь 2025\u202fг." in archive and "16 июн." in archive
    assert "June" not in archive


def test_issue_18_a_site_locale_overrides_the_theme(tmp_path: Path) -> None:
    files = {
        **FILES,
        "locales/ru/LC_MESSAGES/messages.po": (
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
            'msgid "Sources"\nmsgstr "Откуда взято"\n'
        ),
    }
    root = make_site(tmp_path / "src", files, config=BILINGUAL, topics=TOPICS)
    assert build_site(root, search=False).ok
    html = page(root, "ru/briefings/kz-grain/index.html")
    assert '<h2 id="sources-h">Откуда взято</h2>' in html
    assert "Как цитировать" in html  # everything else still from the theme's catalogue


def test_issue_18_check_lists_missing_entries_which_fall_back_to_english(tmp_path: Path) -> None:
    root = make_site(tmp_path / "src", FILES, config=BILINGUAL, topics=TOPICS)
    (root / "templates").mkdir()
    theme = theme_dir() / "briefing.html"
    text = theme.read_text(encoding="utf-8").replace(
        "{% block main %}", '{% block main %}<p class="x">{{ _("Listen to this briefing") }}</p>', 1
    )
    (root / "templates/briefing.html").write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "briefgen", "check", "--source", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "templates/briefing.html:" in run.stderr
    assert "`Listen to this briefing` has no `ru` translation" in run.stderr
    assert "[missing-translation]" in run.stderr
    assert run.stderr.count("[missing-translation]") == 1  # the theme's own are complete
    build = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--source", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    assert "missing-translation" not in build.stderr  # check lists them; build stays quiet
    html = page(root, "ru/briefings/kz-grain/index.html")
    assert '<p class="x">Listen to this briefing</p>' in html


def test_issue_18_a_broken_catalogue_is_an_error_with_its_line(tmp_path: Path) -> None:
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Also: %(names)s"\nmsgstr "Ещё: %(nams)s"\n'
    files = {**FILES, "locales/ru/LC_MESSAGES/messages.po": po}
    root = make_site(tmp_path / "src", files, config=BILINGUAL, topics=TOPICS)
    result = build_site(root, search=False)
    problems = [d for d in result.diagnostics if d.code == "locale-invalid"]
    assert problems and problems[0].file == "locales/ru/LC_MESSAGES/messages.po"
    assert problems[0].line == 4 and "Also: %(names)s" in problems[0].message
    assert not result.ok


def test_issue_18_topic_page_shows_counts_in_the_other_languages(site: Path) -> None:
    ru = page(site, "ru/topics/kazakhstan/index.html")
    assert (
        '<p class="elsewhere">На других языках: <a href="/topics/kazakhstan/" hreflang="en"'
        ' lang="en">English</a> (1 брифинг)</p>'
    ) in ru
    en = page(site, "topics/kazakhstan/index.html")
    assert 'In other languages: <a href="/ru/topics/kazakhstan/" hreflang="ru"' in en
    assert "Русский</a> (4 briefings)" in en
