"""Issue 18, the engine's gaps: schedules across translations, the publishing desk in each
language's edition, translated search messages and topic reasons.

Each test builds a bilingual fixture site for real (tests/test_multilingual.py's config)
and reads the written tree.
"""

from __future__ import annotations

from pathlib import Path

from conftest import briefing, build_site, make_site, page, tree
from test_multilingual import BILINGUAL, hreflangs

from briefgen.options import BuildOptions

LATER = "2099-01-01T09:00Z"


def slugs(root: Path, folder: str = "") -> set[str]:
    base = root / "site" / folder / "briefings"
    return {p.name for p in base.iterdir() if p.is_dir()} if base.is_dir() else set()


def test_issue_18_translation_of_a_scheduled_original_is_held_with_it(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "s",
        {
            "content/now.md": briefing("Now", "2025-06-01", "Text."),
            "content/soon.md": briefing("Soon", "2025-06-02", "Text.", publish_at=LATER),
            "content/soon.ru.md": briefing("Скоро", "2025-06-02", "Текст."),
        },
        config=BILINGUAL,
    )
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    # the embargo covers the text in every language: no Russian page leaks it
    assert slugs(root) == {"now"}
    assert "soon" not in slugs(root, "ru")
    future = build_site(root, search=False, options=BuildOptions(future=True))
    assert future.ok, [d.format() for d in future.diagnostics]
    ru = page(root, "ru/briefings/soon/index.html")
    assert "held-banner" in ru and "1 января 2099" in ru  # the original's moment holds it
    assert hreflangs(ru)["en"] == "https://example.org/briefings/soon/"


def test_issue_18_translation_of_by_key_to_a_scheduled_original_is_no_error(
    tmp_path: Path,
) -> None:
    root = make_site(
        tmp_path / "s",
        {
            "content/soon.md": briefing("Soon", "2025-06-02", "Text.", embargo=LATER),
            "content/drugoe.md": briefing(
                "Другой", "2025-06-03", "Текст.", lang="ru", translation_of="soon.md"
            ),
        },
        config=BILINGUAL,
    )
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not slugs(root) and not slugs(root, "ru")


def test_issue_18_a_translation_scheduled_on_its_own_waits_alone(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "s",
        {
            "content/x.md": briefing("Public", "2025-06-02", "Text."),
            "content/x.ru.md": briefing("Позже", "2025-06-02", "Текст.", publish_at=LATER),
            "content/gone.md": briefing("Gone", "2025-06-02", "Text.", expires="2025-07-01"),
            "content/gone.ru.md": briefing("Ушло", "2025-06-02", "Текст."),
        },
        config=BILINGUAL,
    )
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert slugs(root) == {"x"} and slugs(root, "ru") == set()
    assert hreflangs(page(root, "briefings/x/index.html")) == {}  # no link to a held page
    files = tree(root / "site")
    assert "ru/briefings/gone/index.html" not in files  # withdrawn in every language


# --- the publishing desk in every language's edition -------------------------------------

DESK = {
    "authors.yaml": """\
- name: Aigerim Sadykova
  slug: aigerim-sadykova
  role: {en: Trade analyst, ru: Аналитик по торговле}
  bio:
    en: Covers *grain* and rail.
    ru: Пишет о *зерне* и железных дорогах.
- name: John Smith
  role: Editor
""",
    "content/authors/john-smith.ru.md": """\
---
name: Джон Смит
role: Редактор
---
Редактирует брифинги о Каспии.
""",
    "series.yaml": """\
- id: grain-routes
  title: {en: Grain routes, ru: Зерновые маршруты}
  description: {en: Where the grain goes., ru: Куда идёт зерно.}
""",
    "content/pages/about.md": "---\ntitle: About us\n---\nWe write briefings.\n",
    "content/pages/about.ru.md": "---\ntitle: О нас\n---\nМы пишем брифинги.\n",
    "content/pages/kontakty.ru.md": "---\ntitle: Контакты\n---\nПишите нам.\n",
    "content/2025/grain.md": briefing(
        "Kazakhstan grain exports",
        "2025-06-16",
        "Kazakhstan ships grain through the Middle Corridor.",
        slug="kz-grain",
        authors="[Aigerim Sadykova, John Smith]",
        series="grain-routes",
        corrections='[{date: 2025-06-18, text: "An earlier version gave the wrong port."}]',
    ),
    "content/2025/grain.ru.md": briefing(
        "Экспорт зерна из Казахстана",
        "2025-06-16",
        "Казахстан отправляет зерно по Среднему коридору.",
        authors="[Айгерим Садыкова, Джон Смит]",
        series="grain-routes",
        corrections='[{date: 2025-06-19, text: "В прежней версии был указан не тот порт."}]',
    ),
}
DESK["authors.yaml"] = DESK["authors.yaml"].replace(
    "  slug: aigerim-sadykova\n", "  slug: aigerim-sadykova\n  variants: [Айгерим Садыкова]\n"
)


def desk_site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "desk", DESK, config=BILINGUAL)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code != "missing-translation"], [
        d.format() for d in result.diagnostics
    ]
    return root


def test_issue_18_author_profiles_in_each_language(tmp_path: Path) -> None:
    root = desk_site(tmp_path)
    ru = page(root, "ru/authors/aigerim-sadykova/index.html")
    assert "Аналитик по торговле" in ru and "<em>зерне</em>" in ru  # bio: a language mapping
    assert "Trade analyst" not in ru and "Экспорт зерна" in ru
    en = page(root, "authors/aigerim-sadykova/index.html")
    assert "Trade analyst" in en and "<em>grain</em>" in en and "Аналитик" not in en
    # a translated profile file: its name and bio; the page pairs with the English one
    john = page(root, "ru/authors/john-smith/index.html")
    assert "Джон Смит" in john and "Редактирует брифинги о Каспии." in john
    assert hreflangs(john)["en"] == "https://example.org/authors/john-smith/"
    assert "Editor" in page(root, "authors/john-smith/index.html")
    byline = page(root, "ru/briefings/kz-grain/index.html")
    assert 'href="/ru/authors/john-smith/"' in byline and "Редактор" in byline


def test_issue_18_series_pages_and_feeds_in_each_language(tmp_path: Path) -> None:
    root = desk_site(tmp_path)
    ru = page(root, "ru/series/grain-routes/index.html")
    assert "Зерновые маршруты" in ru and "Куда идёт зерно." in ru
    assert 'href="/ru/briefings/kz-grain/"' in ru and "Экспорт зерна" in ru
    assert "Grain routes" in page(root, "series/grain-routes/index.html")
    assert "Зерновые маршруты" in page(root, "ru/series/index.html")
    assert "Экспорт зерна" in page(root, "ru/series/grain-routes/feed.xml")
    assert "Зерновые маршруты" in page(root, "ru/briefings/kz-grain/index.html")


def test_issue_18_standalone_pages_are_translated_like_hugo(tmp_path: Path) -> None:
    root = desk_site(tmp_path)
    files = tree(root / "site")
    about = page(root, "ru/about/index.html")
    assert "О нас" in about and "Мы пишем брифинги." in about
    assert hreflangs(about)["en"] == "https://example.org/about/"
    assert hreflangs(page(root, "about/index.html"))["ru"] == "https://example.org/ru/about/"
    assert "ru/kontakty/index.html" in files and "kontakty/index.html" not in files
    assert "about.ru/index.html" not in files and "ru/about.ru/index.html" not in files


def test_issue_18_corrections_per_language(tmp_path: Path) -> None:
    root = desk_site(tmp_path)
    ru = page(root, "ru/corrections/index.html")
    assert "В прежней версии был указан не тот порт." in ru and "wrong port" not in ru
    en = page(root, "corrections/index.html")
    assert "wrong port" in en and "В прежней" not in en
    assert 'href="/ru/briefings/kz-grain/#corrections"' in ru


def test_issue_18_shipped_catalogues_hold_every_theme_word(tmp_path: Path) -> None:
    """Every msgid the theme's templates use is in both shipped catalogues: English with an
    empty msgstr (the source language), Russian translated (`briefgen check` would list a
    missing one as `missing-translation`; tools/update_catalogues.py adds new ones)."""
    from babel.messages.pofile import read_po

    from briefgen.config import load_config
    from briefgen.localise.catalog import template_messages
    from briefgen.templatedirs import theme_dir

    config, _ = load_config(make_site(tmp_path / "s", {}, config=BILINGUAL), {})
    wanted = set(template_messages(config))
    assert {"Series", "Links for %(name)s", "Briefings by %(name)s"} <= wanted
    for lang in ("en", "ru"):
        path = theme_dir() / f"locales/{lang}/LC_MESSAGES/messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        have = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string for m in catalog if m.id}
        assert wanted <= set(have), sorted(wanted - set(have))
        strings = [
            s for w in wanted for s in (have[w] if isinstance(have[w], tuple) else [have[w]])
        ]
        assert all(strings) if lang == "ru" else not any(strings)


# --- topic reasons and borrowed descriptions ---------------------------------------------

REGIONS = """\
- id: central-asia
  name: {en: Central Asia, ru: Центральная Азия}
  kind: region
  description: The five republics between the Caspian and China.
- id: kazakhstan
  name: {en: Kazakhstan, ru: Казахстан}
  kind: country
  parent: central-asia
  description: {en: The largest of the five., ru: Крупнейшая из пяти.}
- id: uzbekistan
  name: {en: Uzbekistan, ru: Узбекистан}
  kind: country
  parent: central-asia
"""


def regions_site(tmp_path: Path) -> Path:
    files = {
        "content/x.md": briefing(
            "Kazakhstan and Uzbekistan share water",
            "2025-06-01",
            "Kazakhstan and Uzbekistan signed a water deal.\n\nKazakhstan and Uzbekistan "
            "will meet again.",
        ),
        "content/x.ru.md": briefing(
            "Казахстан и Узбекистан делят воду",
            "2025-06-01",
            "Казахстан и Узбекистан подписали соглашение о воде.\n\nКазахстан и Узбекистан "
            "встретятся снова.",
        ),
    }
    root = make_site(tmp_path / "r", files, config=BILINGUAL, topics=REGIONS)
    result = build_site(root, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


def test_issue_18_topic_reasons_name_topics_in_the_page_language(tmp_path: Path) -> None:
    root = regions_site(tmp_path)
    ru = page(root, "ru/briefings/x/index.html")
    assert "охватывает: Казахстан, Узбекистан" in ru
    assert "kazakhstan" not in ru.split('class="why"', 1)[1].split("</ul>", 1)[0]
    assert "covers kazakhstan, uzbekistan" in page(root, "briefings/x/index.html")


def test_issue_18_a_borrowed_topic_description_says_its_language(tmp_path: Path) -> None:
    root = regions_site(tmp_path)
    ru = page(root, "ru/topics/central-asia/index.html")
    assert '<div class="description" lang="en"><p>The five republics' in ru
    own = page(root, "ru/topics/kazakhstan/index.html")
    assert '<div class="description"><p>Крупнейшая из пяти.' in own
    en = page(root, "topics/central-asia/index.html")
    assert '<div class="description"><p>The five republics' in en
