"""Issue 3: an incremental rebuild (as the dev server does it) equals a clean full build.

Each step edits the example site, rebuilds on top of the previous result in place, then
builds the same sources from scratch (no previous result, no cache) into another folder;
the two output trees must be byte-identical.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, tree

from briefgen.config import load_config
from briefgen.load import loader as load_site
from briefgen.load.loader import load_briefings
from briefgen.load.registry import load_registry
from briefgen.model import OutputFile
from briefgen.options import BuildOptions, serve_options
from briefgen.pipeline import build
from briefgen.write import write_changed

SERVE = serve_options(drafts=True)


def copy_example(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    for name in ("topics.yaml", "briefgen.yaml"):
        shutil.copy(REPO / name, root / name)
    return root


def edit_body(root: Path) -> None:
    path = root / "content/2024/caspian-ports-capacity.md"
    path.write_text(path.read_text() + "\nAktau added a new berth for Kazakhstan's grain.\n")


def edit_title(root: Path) -> None:
    path = root / "content/2022/borrell-samarkand/index.md"  # a bundle (issue 16)
    text = path.read_text().replace("takes the connectivity pitch", "carries the pitch", 1)
    path.write_text(text)


def change_topics(root: Path) -> None:
    path = root / "content/2023/xian-summit-china-central-asia.md"
    text = path.read_text()
    path.write_text(text.replace("topics:", "topics_auto: false\ntopics:", 1))


def delete_one(root: Path) -> None:
    (root / "content/2024/kallas-succeeds-borrell.md").unlink()


def rename_one(root: Path) -> None:
    src = root / "content/2023/middle-corridor-studies-price-tag.md"
    src.rename(root / "content/2023/corridor-studies.md")


def add_one(root: Path) -> None:
    (root / "content/2025/new-note.md").write_text(
        "---\ntitle: A new note on the Middle Corridor\ndate: 2025-07-01\n"
        "topics: [middle-corridor, kazakhstan]\n---\n\n"
        "The Middle Corridor gained a new ferry line from Kazakhstan to Azerbaijan. "
        "Kazakhstan expects cargo on the Middle Corridor to rise again next year.\n"
    )


def edit_same_size_keeping_mtime(root: Path) -> None:
    """A same-size edit whose mtime is then put back (as `cp -p` or a sync tool might):
    only the ctime tells, and the rebuild must still see it."""
    path = root / "content/2024/caspian-ports-capacity.md"
    before = path.stat()
    text = path.read_text()
    assert "Aktau" in text
    path.write_text(text.replace("Aktau", "AKTAU", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def edit_registry(root: Path) -> None:
    path = root / "topics.yaml"
    path.write_text(path.read_text().replace("name: Kazakhstan", "name: Republic of Kazakhstan"))


STEPS: list[Callable[[Path], None]] = [
    edit_body,
    edit_title,
    change_topics,
    delete_one,
    rename_one,
    add_one,
    edit_same_size_keeping_mtime,
    edit_registry,
]


def full_build(root: Path, out: Path) -> dict[str, bytes]:
    config, _ = load_config(root, {"output_dir": str(out)})
    shutil.rmtree(out, ignore_errors=True)
    result = build(config, replace(SERVE, in_place=False, cache=False))
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree(out)


@pytest.mark.slow
def test_issue_3_incremental_rebuilds_equal_a_clean_build(tmp_path):
    root = copy_example(tmp_path)
    live = tmp_path / "live"
    config, _ = load_config(root, {"output_dir": str(live)})
    previous = build(config, SERVE)
    assert previous.ok
    for step in STEPS:
        step(root)
        previous = build(config, SERVE, previous.state)
        assert previous.ok, (step.__name__, [d.format() for d in previous.diagnostics])
        assert previous.rendered.rendered < len(previous.rendered.pages) or step is edit_registry
        assert tree(live) == full_build(root, tmp_path / "clean"), step.__name__


def test_a_rebuild_rereads_only_files_whose_stat_changed(tmp_path, monkeypatch):
    root = copy_example(tmp_path)
    config, _ = load_config(root)
    old = time.time() - 60  # older than the racy window: the stat alone can be trusted
    for path in (root / "content").rglob("*.md"):
        os.utime(path, (old, old))
    registry, _ = load_registry(root / "topics.yaml", "topics.yaml")
    _, _, memo = load_briefings(config, registry)
    edited = root / "content/2024/caspian-ports-capacity.md"
    edited.write_text(edited.read_text() + "\nA new paragraph about Aktau.\n")
    reads: list[str] = []
    real = load_site.read_source

    def counting(path: str) -> bytes:
        reads.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(load_site, "read_source", counting)
    briefings, _, _ = load_briefings(config, registry, memo)
    assert reads == ["caspian-ports-capacity.md"]
    assert any("A new paragraph about Aktau." in b.doc.html for b in briefings)


def test_a_file_touched_just_now_is_reread_even_with_an_equal_stat(tmp_path, monkeypatch):
    root = copy_example(tmp_path)
    config, _ = load_config(root)
    for path in (root / "content").rglob("*.md"):
        os.utime(path)  # modified just now: within the racy window
    registry, _ = load_registry(root / "topics.yaml", "topics.yaml")
    _, _, memo = load_briefings(config, registry)
    reads: list[str] = []
    real = load_site.read_source
    monkeypatch.setattr(load_site, "read_source", lambda path: reads.append(path) or real(path))
    load_briefings(config, registry, memo)
    assert len(reads) == len(list((root / "content").rglob("*.md")))


def test_write_changed_touches_only_pages_that_changed_since_the_last_write(tmp_path):
    out = tmp_path / "out"
    first = [OutputFile(f"p{i}/index.html", f"page {i}".encode()) for i in range(5)]
    stats = write_changed(first, out)
    assert stats.written == 5
    second = [*first[:4], OutputFile("p4/index.html", b"page 4, edited")]
    stats = write_changed(second, out, stats.memo)
    assert (stats.written, stats.unchanged) == (1, 4)
    assert (out / "p4/index.html").read_bytes() == b"page 4, edited"
    escaping = [*second, OutputFile("../outside.html", b"x")]  # a new path is checked again
    refused = write_changed(escaping, out, stats.memo)
    assert refused.problems and not (tmp_path / "outside.html").exists()


def test_rebuilds_do_not_keep_earlier_builds_pages_alive(tmp_path):
    """The dev server runs for hours: what a rebuild replaced must become garbage, so the
    write stage's digest memo may only hold bytes of the build just written."""
    root = copy_example(tmp_path)
    config, _ = load_config(root, {"output_dir": str(tmp_path / "live")})
    previous = build(config, SERVE)
    path = root / "content/2024/caspian-ports-capacity.md"
    original = path.read_text()
    for n in range(3):
        path.write_text(original + f"\nEdit number {n}.\n")
        previous = build(config, SERVE, previous.state)
    current = {id(f.data) for f in previous.rendered.files}
    assert {id(data) for data, _ in previous.state.written.files.values()} <= current


def test_write_changed_removes_folders_its_deletions_leave_empty(tmp_path):
    out = tmp_path / "out"
    pages = [OutputFile("briefings/a/index.html", b"a"), OutputFile("briefings/b/index.html", b"b")]
    stats = write_changed(pages, out)
    (out / "briefings/b/notes.txt").write_text("mine")  # not briefgen's: keeps its folder
    write_changed([], out, stats.memo)
    assert not (out / "briefings/a").exists()
    assert (out / "briefings/b/notes.txt").read_text() == "mine"
    assert not (out / "briefings/b/index.html").exists()


def test_page_memos_move_to_the_latest_build_s_equal_objects(tmp_path):
    """A build that starts afresh (a server restarted from the cache, a config edit) makes
    equal copies of every briefing. The memos must then hold the copies, or every later
    rebuild compares each page's inputs field by field instead of by identity."""
    config, _ = load_config(copy_example(tmp_path))
    first = build(config, BuildOptions(write=False, cache=False))
    # the first build's state, handed to a build that re-parses everything (a new registry
    # object: the dev server after a config edit or a restart)
    restarted = replace(first.state, registry=None, enrich=None)
    result = build(config, BuildOptions(write=False, cache=False), restarted)
    second = result.site
    assert second.briefings == first.site.briefings
    assert all(a is not b for a, b in zip(first.site.briefings, second.briefings, strict=True))
    memo = result.state.render.plan.specs
    assert set(memo) == set(second.by_slug)
    assert all(inputs[0] is second.by_slug[slug] for slug, (inputs, _) in memo.items())
