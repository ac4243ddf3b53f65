"""Issue 18: multilingual sites (English and Russian side by side).

A bilingual fixture site is built for real and its tree checked: per-language pages, feeds,
API, sitemaps and search indexes; hreflang pairs both ways; the language switcher;
translation pairing and its errors; and a one-language `languages:` that changes nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, one, page, read_json, tree

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

GRAIN_EN = briefing(
    "Kazakhstan grain exports",
    "2025-06-16",
    "Kazakhstan ships grain through the Middle Corridor. Kazakhstan is growing fast.",
    slug="kz-grain",
    authors="[Aigerim Sadykova]",
)
GRAIN_RU = briefing(
    "Экспорт зерна из Казахстана",
    "2025-06-16",
    "Казахстан отправляет зерно по Среднему коридору. Казахстан быстро растёт.",
    authors="[Айгерим Садыкова]",
)
ONLY_RU = briefing("Только по-русски", "2025-06-10", "Короткий текст.", lang="ru")
ONLY_EN = briefing("English only", "2025-06-01", "Uzbekistan and the EU talk water.")

FILES = {
    "content/2025/grain.md": GRAIN_EN,
    "content/2025/grain.ru.md": GRAIN_RU,
    "content/2025/only-ru.md": ONLY_RU,
    "content/2025/english-only.md": ONLY_EN,
}


@pytest.fixture
def bilingual(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "src", FILES, config=BILINGUAL)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher(html: str) -> dict[str, str]:
    nav = html.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]
    return dict(
        (code, url) for url, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)
    )


def test_issue_18_each_language_has_its_own_pages(bilingual: Path) -> None:
    files = tree(bilingual / "site")
    assert "briefings/kz-grain/index.html" in files
    # the translation keeps the original's slug; a Russian-only piece exists only in Russian
    assert "ru/briefings/kz-grain/index.html" in files
    assert "ru/briefings/only-ru/index.html" in files
    assert "briefings/only-ru/index.html" not in files
    assert "ru/briefings/english-only/index.html" not in files
    for rel in ("index.html", "topics/index.html", "archive/index.html", "feed.xml", "404.html"):
        assert rel in files and "ru/" + rel in files
    assert "ru/static/" not in "".join(files)  # one /static/ for both languages
    ru = page(bilingual, "ru/briefings/kz-grain/index.html")
    assert '<html lang="ru">' in ru and "Тестовый отдел" in ru
    assert '<html lang="en">' in page(bilingual, "briefings/kz-grain/index.html")
    assert 'href="/static/style.' in ru and 'href="/ru/topics/' in ru


def test_issue_18_feeds_api_and_sitemaps_per_language(bilingual: Path) -> None:
    ru_feed = page(bilingual, "ru/feed.xml")
    assert 'xml:lang="ru"' in ru_feed and "Экспорт зерна" in ru_feed
    assert "Kazakhstan grain" not in ru_feed
    assert "https://example.org/ru/briefings/only-ru/" in ru_feed
    assert "Экспорт" not in page(bilingual, "feed.xml")
    ru_api = read_json(bilingual, "ru/api/briefings.json")
    assert sorted(b["url"] for b in ru_api["briefings"]) == [
        "/briefings/kz-grain/",
        "/briefings/only-ru/",
    ]
    en_api = read_json(bilingual, "api/briefings.json")
    assert {b["slug"] for b in en_api["briefings"]} == {"kz-grain", "english-only"}
    ru_map = page(bilingual, "ru/sitemap.xml")
    assert "https://example.org/ru/briefings/only-ru/" in ru_map
    assert "https://example.org/briefings/" not in ru_map
    assert "Sitemap: https://example.org/ru/sitemap.xml" in page(bilingual, "robots.txt")


def test_issue_18_hreflang_pairs_both_ways(bilingual: Path) -> None:
    en = hreflangs(page(bilingual, "briefings/kz-grain/index.html"))
    ru = hreflangs(page(bilingual, "ru/briefings/kz-grain/index.html"))
    expected = {
        "en": "https://example.org/briefings/kz-grain/",
        "ru": "https://example.org/ru/briefings/kz-grain/",
        "x-default": "https://example.org/briefings/kz-grain/",
    }
    assert en == ru == expected
    # home pages pair too; an untranslated briefing has no alternates
    assert hreflangs(page(bilingual, "ru/index.html"))["en"] == "https://example.org/"
    assert hreflangs(page(bilingual, "ru/briefings/only-ru/index.html")) == {}
    assert hreflangs(page(bilingual, "briefings/english-only/index.html")) == {}


def test_issue_18_switcher_goes_to_translation_or_home(bilingual: Path) -> None:
    assert switcher(page(bilingual, "briefings/kz-grain/index.html")) == {
        "en": "/briefings/kz-grain/",
        "ru": "/ru/briefings/kz-grain/",
    }
    assert switcher(page(bilingual, "ru/briefings/only-ru/index.html")) == {
        "en": "/",
        "ru": "/ru/briefings/only-ru/",
    }
    assert switcher(page(bilingual, "briefings/english-only/index.html"))["ru"] == "/ru/"
    assert switcher(page(bilingual, "ru/archive/index.html"))["en"] == "/archive/"
    current = page(bilingual, "ru/index.html").split('aria-current="true"')[1]
    assert current.startswith(">Русский<")


def test_issue_18_one_language_builds_exactly_as_without_the_key(tmp_path: Path) -> None:
    plain = make_site(tmp_path / "a", {"content/x.md": ONLY_EN, "content/x.ru.md": ONLY_EN})
    single = make_site(
        tmp_path / "b",
        {"content/x.md": ONLY_EN, "content/x.ru.md": ONLY_EN},
        config="title: Test Desk\nbase_url: https://example.org/\nlanguages: [en]\n",
    )
    for root in (plain, single):
        assert build_site(root, search=False).ok
        shutil.rmtree(root / ".briefgen-cache")
    first, second = tree(plain / "site"), tree(single / "site")
    first.pop(".briefgen-manifest.json")
    second.pop(".briefgen-manifest.json")
    assert first == second
    assert "briefings/x-ru/index.html" in first  # no language suffix without languages:


@pytest.mark.parametrize(
    ("files", "code", "file", "needle"),
    [
        (
            {"content/b.md": briefing("B", translation_of="nowhere.md", lang="ru")},
            "translation-of-nothing",
            "b.md",
            "nowhere.md",
        ),
        (
            {
                "content/a.md": ONLY_EN,
                "content/a.ru.md": GRAIN_RU,
                "content/b.md": briefing("B", lang="ru", translation_of="a.md"),
            },
            "duplicate-translation",
            "b.md",
            "a.ru.md",
        ),
        (
            {"content/a.md": ONLY_EN, "content/c.md": briefing("C", translation_of="a.md")},
            "translation-same-language",
            "c.md",
            "a.md",
        ),
        (
            {"content/d.md": briefing("D", lang="kk")},
            "unknown-language",
            "d.md",
            "kk",
        ),
        (
            {"content/e.ru.md": briefing("E", lang="en")},
            "language-mismatch",
            "e.ru.md",
            ".ru.md",
        ),
        (
            {
                "content/a.md": ONLY_EN,
                "content/a.ru.md": GRAIN_RU,
                "content/f.md": briefing("F", lang="ru", translation_of="a.ru.md"),
            },
            "translation-of-translation",
            "f.md",
            "a.md",
        ),
    ],
)
def test_issue_18_mismatched_pairs_are_errors_naming_the_files(
    tmp_path: Path, files: dict[str, str], code: str, file: str, needle: str
) -> None:
    root = make_site(tmp_path / "src", files, config=BILINGUAL)
    result = build_site(root, search=False)
    assert not result.ok and not (root / "site").exists()
    problem = one(result.diagnostics, code)
    assert problem.file == file and needle in problem.message


def test_issue_18_translation_of_key_pairs_files_with_other_names(tmp_path: Path) -> None:
    files = {
        "content/2025/grain.md": GRAIN_EN,
        "content/2025/zerno.md": briefing(
            "Зерно", "2025-06-16", "Текст.", lang="ru", translation_of="grain.md"
        ),
    }
    root = make_site(tmp_path / "src", files, config=BILINGUAL)
    assert build_site(root, search=False).ok
    assert hreflangs(page(root, "ru/briefings/kz-grain/index.html"))["en"].endswith("/kz-grain/")


def test_issue_18_related_briefings_stay_within_a_language(tmp_path: Path) -> None:
    body = "Kazakhstan and Uzbekistan trade grain. Kazakhstan grows wheat; Uzbekistan buys it."
    files = {
        "content/a.md": briefing("Grain A", "2025-01-01", body),
        "content/b.md": briefing("Grain B", "2025-01-02", body),
        "content/a.ru.md": briefing("Зерно А", "2025-01-01", body),
    }
    root = make_site(tmp_path / "src", files, config=BILINGUAL)
    assert build_site(root, search=False).ok
    ru = read_json(root, "ru/api/briefings.json")["briefings"]
    en = {b["slug"]: b for b in read_json(root, "api/briefings.json")["briefings"]}
    assert ru[0]["related"] == []
    assert en["a"]["related"] == ["b"]


def test_issue_18_a_language_on_its_own_host(tmp_path: Path) -> None:
    config = BILINGUAL.replace(
        "    title: Тестовый отдел",
        "    title: Тестовый отдел\n    base_url: https://ru.example.org",
    )
    root = make_site(tmp_path / "src", FILES, config=config)
    assert build_site(root, search=False).ok
    ru = page(root, "ru/briefings/kz-grain/index.html")
    assert '<link rel="canonical" href="https://ru.example.org/briefings/kz-grain/">' in ru
    assert 'href="/static/style.' in ru and (root / "site/ru/robots.txt").is_file()
    assert any(p.startswith("ru/static/style.") for p in tree(root / "site"))
    assert switcher(ru)["en"] == "https://example.org/briefings/kz-grain/"


def test_issue_18_bad_languages_config_is_reported(tmp_path: Path) -> None:
    config = "title: T\nbase_url: https://example.org/\nlanguages: [en, 'r u']\n"
    root = make_site(tmp_path / "src", {"content/a.md": ONLY_EN}, config=config)
    result = build_site(root, search=False)
    problem = one(result.diagnostics, "config-value")
    assert problem.file == "briefgen.yaml" and problem.line == 3


@pytest.mark.slow
def test_issue_18_search_index_per_language(tmp_path: Path) -> None:
    root = make_site(tmp_path / "src", FILES, config=BILINGUAL)
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    files = tree(root / "site")
    assert "pagefind/wasm.en.pagefind" in files and "ru/pagefind/wasm.ru.pagefind" in files
    assert not any(p.startswith("pagefind/") and ".ru" in p for p in files)
    entry = json.loads(files["ru/pagefind/pagefind-entry.json"])
    assert list(entry["languages"]) == ["ru"] and entry["languages"]["ru"]["page_count"] == 2
    assert 'data-pagefind="/ru/pagefind/pagefind.js"' in page(root, "ru/search/index.html")


MENU = """\
menu:
  header:
    - {title: {en: About, ru: О нас}, url: /about/}
    - {title: Topics, url: /topics/}
  footer:
    - {title: {en: Methodology, ru: Методология}, url: /methodology/}
"""


def test_issue_18_menu_titles_by_language(tmp_path: Path) -> None:
    """A menu title given by language shows in each edition; a plain title in all of them."""
    root = make_site(tmp_path / "src", FILES, config=BILINGUAL + MENU)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    en = page(root, "briefings/kz-grain/index.html")
    ru = page(root, "ru/briefings/kz-grain/index.html")
    assert ">About</a>" in en and ">Methodology</a>" in en and "О нас" not in en
    assert ">О нас</a>" in ru and ">Методология</a>" in ru and ">About</a>" not in ru
    assert ">Topics</a>" in ru  # no Russian given: the one title everywhere
    assert 'href="/ru/about/"' in ru


def test_issue_18_menu_title_by_language_on_a_one_language_site(tmp_path: Path) -> None:
    config = "title: Test Desk\nbase_url: https://example.org/\nlanguage: ru\n" + MENU
    root = make_site(tmp_path / "src", {"content/x.md": ONLY_EN}, config=config)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert ">О нас</a>" in page(root, "index.html")


def test_issue_18_menu_title_mapping_with_a_bad_key_is_an_error(tmp_path: Path) -> None:
    config = BILINGUAL + "menu:\n  header:\n    - {title: {English: About}, url: /about/}\n"
    root = make_site(tmp_path / "src", FILES, config=config)
    result = build_site(root, search=False)
    assert not result.ok
    assert any("needs a `title`" in d.message for d in result.diagnostics)
