"""A build that changes few files commits them in place: as safe as the staged write for
every failure it can see, and marked for a full rewrite if it is killed midway.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, tree
from test_write_safety import leftovers, make_big_site, whole

from briefgen.model import OutputFile
from briefgen.publish.local import read_built
from briefgen.write import MANIFEST, inplace, read_manifest, staged, write_changed, write_site
from briefgen.write.inplace import PENDING


def pages(changed: dict[str, bytes] | None = None, count: int = 30) -> list[OutputFile]:
    """A site of `count` pages, `changed` (path -> bytes) replacing or adding some."""
    files = {f"briefings/b{i:02d}/index.html": f"page {i}".encode() for i in range(count)}
    files["index.html"] = b"home"
    files.update(changed or {})
    return [OutputFile(path, data) for path, data in sorted(files.items())]


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def test_a_small_change_is_written_in_place_and_the_rest_is_not_touched(tmp_path):
    out = tmp_path / "site"
    write_site(pages(), out)
    folder, before = out.stat().st_ino, inodes(out)
    new = pages({"index.html": b"home v2", "briefings/new/index.html": b"new"})
    stats = write_site(new, out)
    assert (stats.written, stats.deleted, stats.problems) == (2, 0, ())
    assert out.stat().st_ino == folder  # the same folder: nothing was staged or swapped
    after = inodes(out)
    kept = {p for p in before if after.get(p) == before[p]}
    assert kept == set(before) - {"index.html", MANIFEST}
    assert whole(out) and (out / "index.html").read_bytes() == b"home v2"
    assert leftovers(out) == []


def test_in_place_and_staged_writes_leave_the_same_folder(tmp_path):
    edits = [
        pages(),
        pages({"index.html": b"v2"}),
        pages(count=29),
        pages({"briefings/b00/x.css": b"x"}, count=29),
    ]
    for step, files in enumerate(edits):
        write_site(files, tmp_path / "in-place")
        write_site(files, tmp_path / f"fresh-{step}")  # a new folder: always staged
        assert tree(tmp_path / "in-place") == tree(tmp_path / f"fresh-{step}")


def test_deleting_a_page_in_place_removes_the_folder_it_leaves_empty(tmp_path):
    out = tmp_path / "site"
    write_site(pages(), out)
    assert write_site(pages(count=29), out).deleted == 1
    assert not (out / "briefings" / "b29").exists() and whole(out)


def test_a_big_change_is_staged_and_swapped(tmp_path):
    out = tmp_path / "site"
    write_site(pages(), out)
    folder = out.stat().st_ino
    changed = {f"briefings/b{i:02d}/index.html": b"v2" for i in range(10)}
    write_site(pages(changed), out)
    assert out.stat().st_ino != folder and whole(out)


def test_disk_full_while_writing_in_place_leaves_the_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(pages(), out)
    before = tree(out)

    def full(path, data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(inplace, "create", full)
    monkeypatch.setattr(staged, "create", full)
    stats = write_site(pages({"index.html": b"v2", "briefings/new/deep/index.html": b"n"}), out)
    assert [p.code for p in stats.problems] == ["write-failed"]
    assert "previous site was left as it was" in stats.problems[0].hint
    assert tree(out) == before  # the new folders made for the new page are gone too
    assert leftovers(out) == []


def test_when_the_commit_cannot_start_the_staged_write_does_the_job(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(pages(), out)

    def full(path, data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(inplace, "create", full)  # staged.create still works
    assert write_site(pages({"index.html": b"v2"}), out).problems == ()
    assert whole(out) and (out / "index.html").read_bytes() == b"v2" and leftovers(out) == []


def test_a_page_that_becomes_a_folder_is_written_by_staging(tmp_path):
    out = tmp_path / "site"
    files = [*pages(), OutputFile("feed", b"old feed")]
    write_site(files, out)
    new = [*pages(), OutputFile("feed/index.xml", b"new feed")]
    assert write_site(new, out).problems == ()
    assert (out / "feed" / "index.xml").read_bytes() == b"new feed" and whole(out)


def test_a_file_briefgen_did_not_write_is_kept_and_never_replaced(tmp_path):
    out = tmp_path / "site"
    write_site(pages(), out)
    (out / "CNAME").write_text("briefings.example.org")
    (out / "briefings" / "new").mkdir()
    (out / "briefings" / "new" / "index.html").write_text("theirs")
    clash = write_site(pages({"briefings/new/index.html": b"ours"}), out)
    assert [p.code for p in clash.problems] == ["output-conflict"]
    assert (out / "briefings" / "new" / "index.html").read_text() == "theirs"
    assert write_site(pages({"index.html": b"v2"}), out).problems == ()
    assert (out / "CNAME").read_text() == "briefings.example.org"


def test_a_symlinked_folder_inside_the_output_is_never_written_through(tmp_path):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    write_site(pages(), out)
    elsewhere.mkdir()
    (out / "briefings" / "b00" / "index.html").unlink()
    (out / "briefings" / "b00").rmdir()
    (out / "briefings" / "b00").symlink_to(elsewhere, target_is_directory=True)
    stats = write_site(pages({"briefings/b00/index.html": b"v2"}), out)
    assert [p.code for p in stats.problems] == ["output-conflict"]  # staged: the link is theirs
    assert list(elsewhere.iterdir()) == [] and leftovers(out) == []


def killed_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next commit die after its first rename, as a SIGKILL would leave it."""

    def first_then_die(plan):
        os.replace(*plan.renames[0])
        raise SystemExit("killed")

    monkeypatch.setattr(inplace, "_apply", first_then_die)


def test_a_commit_killed_midway_is_journaled_refused_by_publish_and_rewritten(
    tmp_path, monkeypatch
):
    out = tmp_path / "site"
    write_site(pages(), out)
    new = pages({"index.html": b"v2", "briefings/b05/index.html": b"v2"})
    killed_midway(monkeypatch)
    with pytest.raises(SystemExit):
        write_site(new, out)
    monkeypatch.undo()
    manifest = read_manifest(out)
    assert sorted(p for p, d in manifest.items() if d == PENDING) == [
        "briefings/b05/index.html",
        "index.html",
    ]
    built, problems = read_built(out)
    assert built is None and any("rebuild the site" in p for p in problems)
    assert write_site(new, out).problems == ()  # staged: the whole site again
    assert whole(out) and leftovers(out) == []
    write_site(new, tmp_path / "fresh")
    assert tree(out) == tree(tmp_path / "fresh")


def test_ctrl_c_during_the_renames_takes_effect_when_the_commit_is_whole(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(pages(), out)
    real = inplace._apply

    def interrupted(plan):
        os.kill(os.getpid(), signal.SIGINT)  # held until the commit is whole
        real(plan)

    monkeypatch.setattr(inplace, "_apply", interrupted)
    # another thread, as a progress bar has: the kernel may hand the signal to it
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    with pytest.raises(KeyboardInterrupt):
        write_site(pages({"index.html": b"v2", "briefings/b07/index.html": b"v2"}), out)
    done.set()
    assert whole(out) and (out / "index.html").read_bytes() == b"v2"
    assert PENDING not in read_manifest(out).values()


def test_the_dev_server_reports_a_failed_rename_as_a_partly_updated_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    first = write_changed(pages(), out)

    real = os.replace

    def failing(temp, target):
        if Path(target).name == MANIFEST:
            return real(temp, target)
        raise OSError(13, "Permission denied", str(target))

    monkeypatch.setattr(os, "replace", failing)
    stats = write_changed(pages({"index.html": b"v2"}), out, first.memo)
    monkeypatch.undo()
    assert [p.code for p in stats.problems] == ["write-failed"]
    assert "partly updated" in stats.problems[0].hint
    assert leftovers(out) == []
    assert write_site(pages({"index.html": b"v2"}), out).problems == ()
    assert whole(out) and (out / "index.html").read_bytes() == b"v2"


def run_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--source", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.slow
def test_a_one_file_build_killed_at_any_moment_leaves_a_site_the_next_build_completes(
    tmp_path,
):
    root = tmp_path / "big"
    make_big_site(root, 400)
    assert run_build(root).wait(timeout=300) == 0
    page = root / "content" / "2020" / "b00000.md"
    page.write_text(briefing("Warm-up edit"), encoding="utf-8")
    started = time.perf_counter()
    assert run_build(root).wait(timeout=300) == 0
    seconds = time.perf_counter() - started
    assert whole(root / "site")
    for step, fraction in enumerate((0.2, 0.5, 0.8, 0.9, 0.95, 1.0)):
        page.write_text(briefing(f"Edit {step}"), encoding="utf-8")
        process = run_build(root)
        time.sleep(seconds * fraction)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        manifest = read_manifest(root / "site")
        # whole (the old site or the new one; a staging folder beside it at most), or
        # journaled: never anything unmarked
        assert whole(root / "site") or PENDING in manifest.values(), fraction
    assert build_site(root).ok
    assert whole(root / "site") and leftovers(root / "site") == []
    clean = make_site(tmp_path / "clean", {})
    for source in (root / "content").rglob("*.md"):
        target = clean / "content" / source.relative_to(root / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    (clean / "topics.yaml").write_bytes((root / "topics.yaml").read_bytes())
    assert build_site(clean).ok
    assert tree(root / "site") == tree(clean / "site")
    assert MANIFEST in tree(root / "site")
