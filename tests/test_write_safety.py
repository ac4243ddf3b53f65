"""The write stage never costs the user anything: nothing outside the output, nothing it did
not write, nothing half-written, and a killed build leaves the previous site whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
from conftest import REPO, briefing, build_site, make_site, tree
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.model import OutputFile
from briefgen.write import (
    MANIFEST,
    check_output,
    clean_leftovers,
    read_manifest,
    safe_path,
    staged,
    write_changed,
    write_site,
)
from briefgen.write.manifest import manifest_text

SITE = [OutputFile("index.html", b"home"), OutputFile("briefings/a/index.html", b"a")]


def leftovers(output: Path) -> list[str]:
    prefix = f".{output.name}."
    return sorted(n for n in os.listdir(output.parent) if n.startswith(prefix))


def dead_pid() -> int:
    """A process id no process can have: above Linux's largest pid_max (2**22), so the test
    cannot race with a new process that reuses the id of one that exited."""
    return (1 << 22) + 1


# --- safe_path -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    ["", "/etc/passwd", "../x", "a/../../b", "a/..", "..", "a\\..\\b", "a\x00b", "a\nb", MANIFEST],
)
def test_safe_path_refuses_paths_that_leave_the_output(tmp_path, rel):
    with pytest.raises(ValueError, match="escapes the output folder"):
        safe_path(tmp_path, rel)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [("a/b/index.html", "a/b/index.html"), ("a//b", "a/b"), ("./a", "a"), ("a/./b", "a/b")],
)
def test_safe_path_keeps_plain_paths(tmp_path, rel, expected):
    assert safe_path(tmp_path, rel) == tmp_path / expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab./\\\x00:~-é"), max_size=20))
def test_safe_path_is_always_inside_the_root(rel):
    root = Path("/srv/out")
    try:
        path = safe_path(root, rel)
    except ValueError:
        return
    parts = PurePosixPath(os.path.normpath(path)).parts
    assert parts[: len(root.parts)] == root.parts and len(parts) > len(root.parts)


# --- check_output ----------------------------------------------------------------------------


def site_root(tmp_path: Path) -> Path:
    return make_site(tmp_path / "src", {"content/a.md": briefing("A")})


@pytest.mark.parametrize(
    "where",
    ["the site", "a parent of the site", "the grandparent", "/", "home", "home via symlink"],
)
def test_check_output_refuses_folders_whose_loss_would_hurt(tmp_path, monkeypatch, where):
    root = site_root(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "home-link").symlink_to(home)
    monkeypatch.setenv("HOME", str(home))
    output = {
        "the site": root,
        "a parent of the site": root.parent,
        "the grandparent": root.parent.parent,
        "/": Path("/"),
        "home": home,
        "home via symlink": tmp_path / "home-link",
    }[where]
    problem = check_output(output, root)
    assert problem is not None and problem.code == "unsafe-output"
    assert "the site, a parent of it, / or your home folder" in problem.message


def test_check_output_refuses_a_file_a_site_and_a_folder_it_did_not_write(tmp_path):
    root = site_root(tmp_path)
    (tmp_path / "file").write_text("x")
    assert "is a file" in check_output(tmp_path / "file", root).message
    other = make_site(tmp_path / "other", {})
    assert "looks like a briefgen site" in check_output(other, root).message
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "thesis.docx").write_bytes(b"precious")
    assert "was not written by briefgen" in check_output(tmp_path / "theirs", root).message


def test_check_output_accepts_new_empty_and_own_folders(tmp_path):
    root = site_root(tmp_path)
    assert check_output(root / "site", root) is None
    (root / "site").mkdir()
    assert check_output(root / "site", root) is None
    write_site(SITE, root / "site")
    assert check_output(root / "site", root) is None


# --- what write_site writes and deletes ------------------------------------------------------


def test_write_site_writes_the_files_and_a_manifest(tmp_path):
    out = tmp_path / "site"
    stats = write_site(SITE, out)
    assert (stats.written, stats.unchanged, stats.problems) == (2, 0, ())
    assert tree(out) == {
        "index.html": b"home",
        "briefings/a/index.html": b"a",
        MANIFEST: (out / MANIFEST).read_bytes(),
    }
    assert set(read_manifest(out)) == {"index.html", "briefings/a/index.html"}
    assert leftovers(out) == []


def test_the_site_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_site(SITE, tmp_path / "site")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o755  # readable by a server
    assert stat.S_IMODE((tmp_path / "site" / "index.html").stat().st_mode) == 0o644


def test_unchanged_files_are_linked_unless_edited_by_hand(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    (out / "index.html").write_bytes(b"edited by hand")  # the manifest now lies
    stats = write_site(SITE, out)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "index.html").read_bytes() == b"home"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([OutputFile("../escape.html", b"x")], "would be written outside the output"),
        ([OutputFile("/etc/evil", b"x")], "would be written outside the output"),
        ([OutputFile("a.html", b"1"), OutputFile("a.html", b"2")], "two files would be written"),
        (
            [OutputFile("feed.xml", b"1"), OutputFile("feed.xml/index.html", b"2")],
            "`feed.xml` would be both a file and a folder",
        ),
    ],
)
def test_an_unsafe_plan_writes_nothing(tmp_path, files, message):
    out = tmp_path / "deep" / "site"
    write_site(SITE, out)
    before = tree(tmp_path)
    for writer in (write_site, write_changed):
        stats = writer(files, out)
        assert [p.code for p in stats.problems] == ["output-conflict"]
        assert message in stats.problems[0].message
        assert tree(tmp_path) == before
        assert leftovers(out) == []


def test_only_files_briefgen_wrote_are_deleted(tmp_path):
    out = tmp_path / "site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("outside")
    write_site([*SITE, OutputFile("old/page.html", b"old")], out)
    (out / "CNAME").write_text("example.org")
    (out / "theirs").mkdir()
    (out / "theirs" / "notes.txt").write_text("notes")
    (out / "empty").mkdir()
    (out / "link.txt").symlink_to(outside / "keep.txt")
    (out / "linked").symlink_to(outside, target_is_directory=True)
    stats = write_site(SITE, out)
    assert stats.problems == () and stats.deleted == 1
    assert not (out / "old").exists()
    assert (out / "CNAME").read_text() == "example.org"
    assert (out / "theirs" / "notes.txt").read_text() == "notes"
    assert (out / "empty").is_dir()
    assert os.readlink(out / "link.txt") == str(outside / "keep.txt")
    assert os.readlink(out / "linked") == str(outside)
    assert tree(outside) == {"keep.txt": b"outside"}


def test_a_file_it_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    (out / "robots.txt").write_text("mine")
    before = tree(out)
    for writer in (write_site, write_changed):
        stats = writer([*SITE, OutputFile("robots.txt", b"generated")], out)
        assert [p.code for p in stats.problems] == ["output-conflict"]
        assert "`robots.txt` in the output was not written by briefgen" in stats.problems[0].message
        assert tree(out) == before


def test_symlinks_in_the_output_are_never_followed(tmp_path):
    out = tmp_path / "site"
    outside = tmp_path / "outside"
    write_site(SITE, out)
    (outside / "a").mkdir(parents=True)
    (outside / "a" / "index.html").write_bytes(b"a")  # same bytes as the generated page
    (out / "briefings" / "a" / "index.html").unlink()
    (out / "briefings" / "a").rmdir()
    (out / "briefings").rmdir()
    (out / "briefings").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    for writer in (write_site, write_changed):
        stats = writer([*SITE[:1], OutputFile("briefings/a/index.html", b"new")], out)
        assert stats.problems, writer.__name__
        assert tree(outside) == before


def test_a_symlinked_output_folder_is_replaced_where_it_really_is(tmp_path):
    real = tmp_path / "www" / "site"
    write_site(SITE, real)
    (tmp_path / "site").symlink_to(real, target_is_directory=True)
    assert write_site([OutputFile("index.html", b"v2")], tmp_path / "site").problems == ()
    assert (tmp_path / "site").is_symlink()
    assert (real / "index.html").read_bytes() == b"v2"


# --- failures while writing ------------------------------------------------------------------


def test_a_failing_write_leaves_the_previous_site_and_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = tree(out)
    calls = []

    def failing(path, data):
        calls.append(path)
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(staged, "create", failing)
    stats = write_site([OutputFile("index.html", b"v2"), *SITE[1:]], out)
    monkeypatch.undo()
    assert calls and [p.code for p in stats.problems] == ["write-failed"]
    assert "No space left on device" in stats.problems[0].message
    assert tree(out) == before
    assert leftovers(out) == []


def test_ctrl_c_while_writing_removes_the_staging_folder(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = tree(out)

    def interrupted(path, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(staged, "create", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site([OutputFile("index.html", b"v2")], out)
    monkeypatch.undo()
    assert tree(out) == before
    assert leftovers(out) == []


def test_leftovers_of_dead_builds_are_removed_and_nothing_else(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    dead, alive = dead_pid(), os.getppid()
    marker = json.dumps({"generator": "briefgen", "files": {}, "staging": True})
    for name in (f".site.staging-{dead}-abc", f".site.old-{dead}", f".site.staging-{alive}-x"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MANIFEST).write_text(marker)
        (tmp_path / name / "index.html").write_text("partial")
    (tmp_path / f".site.staging-{dead}-empty").mkdir()
    marking = tmp_path / f".site.staging-{dead}-marking"  # killed while writing the marker
    marking.mkdir()
    (marking / f"{MANIFEST}.tmp-{dead}").write_text('{"generator": "brief')
    (tmp_path / f".site.staging-{dead}-theirs").mkdir()  # no manifest, not empty: not ours
    (tmp_path / f".site.staging-{dead}-theirs" / "thesis.docx").write_text("precious")
    write_site(SITE, out)
    assert leftovers(out) == sorted([f".site.staging-{alive}-x", f".site.staging-{dead}-theirs"])


def test_a_build_killed_between_the_two_renames_gets_its_site_back(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = tree(out)
    os.replace(out, tmp_path / f".site.old-{dead_pid()}")  # what the fallback swap does first
    clean_leftovers(out)
    assert tree(out) == before and leftovers(out) == []


def test_the_swap_works_without_an_atomic_exchange(tmp_path, monkeypatch):
    import briefgen.write.staged as write

    out = tmp_path / "site"
    write_site(SITE, out)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)  # not Linux, or an old kernel
    assert write_site([OutputFile("index.html", b"v2")], out).problems == ()
    assert set(tree(out)) == {"index.html", MANIFEST} and leftovers(out) == []


def test_builds_leave_nothing_beside_the_output(tmp_path):
    root = make_site(tmp_path / "src", {"content/a.md": briefing("A")})
    for title in ("B", "C"):
        assert build_site(root).ok
        (root / "content" / "a.md").write_text(briefing(title), encoding="utf-8")
    assert [n for n in os.listdir(root) if n.startswith(".site.")] == []


# --- killing a real build ----------------------------------------------------------------


def make_big_site(root: Path, count: int) -> None:
    rng = random.Random(7)
    words = [
        "the",
        "EU",
        "Kazakhstan",
        "corridor",
        "freight",
        "port",
        "Astana",
        "Brussels",
        "signed",
        "talks",
        "route",
    ]
    files = {}
    for i in range(count):
        paragraphs = [" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(4)]
        files[f"content/{2020 + i % 5}/b{i:05d}.md"] = briefing(
            f"Briefing {i}",
            date=f"{2020 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            body="\n\n".join(p.capitalize() for p in paragraphs),
            authors=f"[Author {i % 17}]",
        )
    make_site(root, files, topics=(REPO / "topics.yaml").read_text(encoding="utf-8"))


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for rel, data in sorted(tree(folder).items()):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def whole(folder: Path) -> bool:
    """Every file the manifest lists, with its bytes, and nothing else."""
    manifest = read_manifest(folder)
    files = {k: v for k, v in tree(folder).items() if k != MANIFEST}
    return bool(manifest) and manifest == {
        k: hashlib.sha256(v).hexdigest() for k, v in files.items()
    }


def run_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--source", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches its workers too
    )


def wait_for_staging(process: subprocess.Popen, output: Path) -> bool:
    """Wait until the build starts writing its staging folder; False if it ended first."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(".staging-" in name for name in leftovers(output)):
            return True
        time.sleep(0.002)
    return False


# (when, seconds): a delay after start, as a fraction of a warm build; or a delay after the
# staging folder appears, to land inside the write stage.
KILLS = [("start", f) for f in (0.1, 0.3, 0.5, 0.7)] + [
    ("staging", s) for s in (0.0, 0.02, 0.1, 0.25, 0.5)
]


def retitle(root: Path, title: str) -> None:
    """Change the site's title: every page changes, so the build is staged and swapped."""
    config = f"title: {title}\nbase_url: https://example.org/\n"
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")


@pytest.mark.slow
def test_killing_a_build_at_any_moment_leaves_a_whole_site(tmp_path):
    root = tmp_path / "big"
    make_big_site(root, 2000)
    assert run_build(root).wait(timeout=300) == 0
    page = root / "content" / "2020" / "b00000.md"
    page.write_text(briefing("Warm-up edit"), encoding="utf-8")
    retitle(root, "Warm-up")
    started = time.perf_counter()
    assert run_build(root).wait(timeout=300) == 0
    seconds = time.perf_counter() - started  # a warm build: what the kills cut into
    assert whole(root / "site")

    outcomes = []
    for step, (when, delay) in enumerate(KILLS):
        before = tree_hash(root / "site")
        page.write_text(briefing(f"Edit {step}"), encoding="utf-8")
        retitle(root, f"Desk {step}")
        process = run_build(root)
        if when == "start":
            time.sleep(seconds * delay)
        elif wait_for_staging(process, root / "site"):
            time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        after = tree_hash(root / "site")
        assert whole(root / "site"), f"killed {delay} after {when}"
        outcomes.append((when, delay, after == before, leftovers(root / "site")))
        assert killed or after != before  # a build that finished wrote its new site
    # kills before the swap keep the previous site byte for byte, and some left a staging
    # folder behind: the write stage itself was interrupted
    assert any(same for _, _, same, _ in outcomes), outcomes
    assert any(same and left for _, _, same, left in outcomes), outcomes

    assert build_site(root).ok  # the next build cleans up after the killed ones
    assert [n for n in os.listdir(root) if n.startswith(".site.")] == []
    assert whole(root / "site")


@pytest.mark.parametrize("staging", [False, True])
def test_the_manifest_text_is_what_json_writes_and_follows_changed_digests(staging):
    # The manifest's lines are reused between dev-server writes: the text must still be
    # exactly the JSON of the current files, including after a digest or path changes.
    def expected(files: dict[str, str]) -> str:
        data: dict[str, object] = {"generator": "briefgen", "files": dict(sorted(files.items()))}
        if staging:
            data["staging"] = True
        return json.dumps(data, indent=0) + "\n"

    files = {"b/index.html": "1" * 64, 'a/ü "q".html': "2" * 64, "c\\d.xml": "3" * 64}
    for step in ({}, files, {**files, "b/index.html": "4" * 64}, {"new.html": "5" * 64}):
        assert manifest_text(step, staging=staging) == expected(step)
