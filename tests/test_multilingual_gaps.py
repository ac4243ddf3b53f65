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
