"""The same input gives byte-identical output: across folders, runs and hash seeds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import REPO, briefing, build_site, make_site, tree

from briefgen import cache, parallel
from briefgen.cli import main as cli_main

# Many ties on purpose: same dates, same topics, same wording, so any unordered iteration
# (sets, dict order from hashing) would show up in the output.
BODY = (
    "Kazakhstan and Uzbekistan discussed the Trans-Caspian route with the EU. "
    "Freight volumes on the Middle Corridor grew again this year, officials said.\n\n"
    "Georgia and Russia were mentioned; Tbilisi hosted the talks."
)
PEOPLE = (
    ("alpha", "Jane Doe", "[eu]"),
    ("bravo", "Ann Lee", "[russia, eu]"),
    ("charlie", "Jane Doe", "[georgia]"),
    ("delta", "Bob Roe", "[]"),
    ("echo", "Ann Lee", "[kazakhstan, uzbekistan]"),
)
FILES = {
    f"content/{year}/{name}-{year}.md": briefing(
        f"{name.capitalize()} and the Middle Corridor",
        date=f"{year}-03-01",
        authors=f"[{author}]",
        topics=topics,
        body=BODY,
    )
    for year in (2023, 2024)
    for name, author, topics in PEOPLE
}


def test_two_builds_in_two_folders_are_byte_identical(tmp_path):
    first = make_site(tmp_path / "one", FILES)
    second = make_site(tmp_path / "elsewhere" / "two", FILES)
    assert build_site(first).ok
    assert build_site(second).ok
    a, b = tree(first / "site"), tree(second / "site")
    assert len(a) > 40
    assert sorted(a) == sorted(b)
    different = [path for path in a if a[path] != b[path]]
    assert different == []


def test_rebuilding_in_place_changes_nothing(tmp_path):
    root = make_site(tmp_path / "s", FILES)
    assert build_site(root).ok
    before = tree(root / "site")
    assert build_site(root).ok
    assert tree(root / "site") == before


def test_file_order_on_disk_does_not_matter(tmp_path):
    forward = make_site(tmp_path / "forward", FILES)
    backward = make_site(tmp_path / "backward", dict(reversed(list(FILES.items()))))
    assert build_site(forward).ok and build_site(backward).ok
    assert tree(forward / "site") == tree(backward / "site")


def test_issue_14_two_fresh_processes_with_empty_caches_build_identical_trees(tmp_path):
    """`briefgen build` twice, each in a new process (other hash seeds) on its own fresh
    copy with no cache and no up-to-date stamp: two real builds, the same bytes. The
    example site is included for its bundles, images and search index."""
    source = make_site(tmp_path / "src", FILES)
    # the example's briefings (its profiles and pages are read only at the top: issue 19)
    desk = shutil.ignore_patterns("authors", "pages")
    shutil.copytree(REPO / "content", source / "content/example", ignore=desk)
    outputs = []
    for seed in ("0", "12345"):
        copy = tmp_path / f"copy-{seed}"
        shutil.copytree(source, copy)
        assert not (copy / cache.CACHE_DIR).exists()
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "briefgen", "build", "--source", str(copy), "--output"]
        done = subprocess.run(
            [*cmd, str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert "(up to date)" not in done.stderr
        outputs.append(tree(out))
    assert len(outputs[0]) > 100
    assert sorted(outputs[0]) == sorted(outputs[1])
    assert [p for p in outputs[0] if outputs[0][p] != outputs[1][p]] == []


def test_issue_6_unchanged_rebuild_is_skipped_until_something_changes(tmp_path, capsys):
    """The up-to-date short cut (the command's, not the pipeline's): skipped when nothing
    changed, never after a killed build or a hand edit."""
    root = make_site(tmp_path / "s", {"content/a.md": briefing("Kazakhstan grain", body="Grain.")})

    def skipped() -> bool:
        assert cli_main(["build", "--source", str(root)]) == 0
        return "(up to date)" in capsys.readouterr().err

    assert not skipped()
    assert skipped()
    (root / ".site.staging-1-deadbeef").mkdir()  # what a killed build leaves beside site/
    assert not skipped()
    (root / ".site.staging-1-deadbeef").rmdir()
    (root / "site" / "index.html").write_text("edited by hand")
    assert not skipped()
    assert "edited by hand" not in (root / "site" / "index.html").read_text()
    assert cli_main(["build", "--source", str(root), "--drafts"]) == 0  # other options
    assert "(up to date)" not in capsys.readouterr().err


def test_the_process_pool_builds_the_same_site_and_cache_as_one_process(tmp_path, monkeypatch):
    """Small sites run in-process; force the pool (two forked workers, results stored in
    the cache in batches while later ones are computed) and compare byte for byte."""
    one = make_site(tmp_path / "one", FILES)
    monkeypatch.setenv("BRIEFGEN_WORKERS", "1")
    assert build_site(one).ok
    monkeypatch.setenv("BRIEFGEN_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(cache, "_STORE_BATCH", 3)
    ran: list[int] = []

    class Watched(parallel.ProcessPoolExecutor):  # the real pool; it records that it ran
        def map(self, *args, **kwargs):
            ran.append(len(args[1]))
            return super().map(*args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Watched)
    two = make_site(tmp_path / "two", FILES)
    assert build_site(two).ok
    assert len(ran) >= 2  # parsing and analysis (and rendering) ran in the pool
    assert tree(two / "site") == tree(one / "site")
    assert entries(two) == entries(one)  # the same keys, two per briefing
    assert len(entries(one)) == 2 * len(FILES)
    assert entries(two, "related") == entries(one, "related") != []
    # Compiled templates: marshal's bytes of a code object follow the reference counts of
    # its constants at the time, so only their keys are compared; before forking, the pool
    # compiles every template, one process only those it renders
    compiled = set(entries(one, "template", "key"))
    assert compiled and compiled <= set(entries(two, "template", "key"))
    # one rendered page per output path; their digests name the site's folder (in the
    # config), which differs here, so only the places are compared
    assert entries(two, "page", "key") == entries(one, "page", "key")


def entries(root: Path, kind: str = "", what: str = "kind, key, payload") -> list[tuple]:
    """The cache's entries (of `kind`; without it, each briefing's parse and analysis)."""
    where = "kind = ?" if kind else "kind IN ('parse', 'analysis') AND kind != ?"
    with sqlite3.connect(root / cache.CACHE_DIR / cache.DATABASE) as db:
        return sorted(db.execute(f"SELECT {what} FROM entries WHERE {where}", [kind]))
