"""Issue 18, the gaps its closing note left: `check --explain` in every language, the
site's `copyright:` and `organisation:` by language, series words by language on a
one-language site, and a translation's place in its series.

Each test builds a fixture site for real (the CLI in a subprocess where the command is
what is tested) and reads what it printed or wrote.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, make_site
from test_multilingual import BILINGUAL, FILES


def briefgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args, "--source", str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_issue_18_check_explain_finds_briefings_of_every_language(tmp_path: Path) -> None:
    """By file, any language's; `ru/<slug>` (the edition's folder, as in its URL) is the
    Russian one; a bare slug is the default language's, else the one language's that has
    it."""
    root = make_site(tmp_path / "s", FILES, config=BILINGUAL)
    ru = "2025/grain.ru.md: Экспорт зерна из Казахстана [ru]\ntopics:\n"
    for name in ("content/2025/grain.ru.md", "2025/grain.ru.md", "ru/kz-grain"):
        done = briefgen(root, "check", "--explain", name)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(ru), (name, done.stdout)
        assert "summary (auto): Казахстан отправляет зерно" in done.stdout
    done = briefgen(root, "check", "--explain", "kz-grain")
    assert done.stdout.startswith("2025/grain.md: Kazakhstan grain exports [en]\n"), done.stdout
    only = next(
        line for line in briefgen(root, "check", "--explain", "2025/only-ru.md").stdout.split("\n")
    )
    assert only == "2025/only-ru.md: Только по-русски [ru]"
    done = briefgen(root, "check", "--explain", "ru/no-such-slug")
    assert done.returncode == 2 and "no such briefing" in done.stderr
