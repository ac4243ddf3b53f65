"""The theme-word extraction shared by `briefgen check` and tools/update_catalogues.py."""

from __future__ import annotations

from pathlib import Path

from briefgen.localise.catalog import extract_messages


def test_extract_messages_gives_words_plurals_and_lines_but_not_scaffolds(
    tmp_path: Path,
) -> None:
    (tmp_path / "page.html").write_text(
        "<p>{{ _('Key points') }}</p>\n"
        "<p>{{ ngettext('%(num)d briefing', '%(num)d briefings', n) }}</p>\n",
        encoding="utf-8",
    )
    (tmp_path / "scaffold").mkdir()
    (tmp_path / "scaffold" / "new.html").write_text("{{ _('Not a theme word') }}\n")

    found = list(extract_messages(tmp_path))

    assert found == [
        ("Key points", "Key points", "page.html", 1),
        (
            "%(num)d briefing",
            ("%(num)d briefing", "%(num)d briefings"),
            "page.html",
            2,
        ),
    ]
