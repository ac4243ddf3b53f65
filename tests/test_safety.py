"""Issue 13, build side: nothing outside the site is read, written or deleted through a
link; caches are keyed by every input and signed; costs are bounded; output folders are
not inputs; collisions and write-stage problems are diagnostics.

Real symlinks (files and folders, absolute and relative, dangling, loops), real builds
through the CLI in a subprocess where the whole program matters.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, briefing, build_site, make_site, tree

from briefgen import uptodate
from briefgen.cache import CACHE_DIR, DATABASE, KEY_FILE, Cache, encode
from briefgen.uptodate import STAMP
from briefgen.write.manifest import MANIFEST

CONFIG = "title: Safety Desk\nbase_url: https://example.org/\nsearch: false\n"
GOOD = briefing("Good", body="Kazakhstan signed a grain agreement with China today.")
SECRET = "GITHUB_TOKEN=ghp_not_a_real_token_but_secret"


def cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def site(tmp_path: Path, files: dict[str, str] | None = None, config: str = CONFIG) -> Path:
    return make_site(tmp_path / "src", {"content/good.md": GOOD, **(files or {})}, config=config)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file and a folder outside the site, holding a secret."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder" / "inner.txt").write_text(SECRET)
    return outside


def published(root: Path) -> bytes:
    out = root / "site"
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


# --- 1. nothing outside the site is read through a link ---------------------------------------

LINKS = {
    "static-file-absolute": ("static/env.txt", lambda o, r: o / "secret.txt"),
    "static-file-relative": ("static/env.txt", lambda o, r: Path("../../outside/secret.txt")),
    "static-proc-environ": ("static/env.txt", lambda o, r: Path("/proc/self/environ")),
    "static-folder-absolute": ("static/linked", lambda o, r: o / "folder"),
    "static-folder-relative": ("static/deep/linked", lambda o, r: Path("../../../outside/folder")),
    "templates-file": ("templates/base.html", lambda o, r: o / "secret.txt"),
    "templates-partial": ("templates/partials/x.html", lambda o, r: o / "secret.txt"),
    "templates-static": ("templates/static/x.css", lambda o, r: o / "secret.txt"),
    "templates-folder": ("templates/partials", lambda o, r: o / "folder"),
    "static-into-git": ("static/config.txt", lambda o, r: r / ".git" / "config"),
    "static-into-cache": ("static/c", lambda o, r: r / CACHE_DIR),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_a_link_out_of_the_site_is_refused_and_nothing_is_published(tmp_path, secret, case):
    rel, target = LINKS[case]
    root = site(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(SECRET)
    (root / CACHE_DIR).mkdir()
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target(secret, root))
    done = cli(root, "build")
    assert done.returncode == 1, done.stderr
    assert f"{rel}: error: `{rel}` is a symbolic link to " in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "site").exists()
    assert "ghp_" not in done.stderr


def test_a_link_out_of_the_site_keeps_the_previous_site_byte_identical(tmp_path, secret):
    root = site(tmp_path)
    assert cli(root, "build").returncode == 0
    before = tree(root / "site")
    (root / "static").mkdir()
    (root / "static" / "env.txt").symlink_to("/proc/self/environ")
    done = cli(root, "build")
    assert done.returncode == 1
    assert "static/env.txt: error: `static/env.txt` is a symbolic link to outside the site" in (
        done.stderr
    )
    assert tree(root / "site") == before


@pytest.mark.parametrize("where", ["static", "templates"])
def test_link_loops_are_refused(tmp_path, where):
    root = site(tmp_path)
    folder = root / where
    folder.mkdir()
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    (folder / "up").symlink_to(".")
    done = cli(root, "build")
    assert done.returncode == 1
    assert f"{where}/a: error: `{where}/a` is a symbolic link in a loop [symlink-loop]" in (
        done.stderr
    )
    assert f"`{where}/up` is a symbolic link to a folder that contains it (a loop)" in done.stderr
    assert "Traceback" not in done.stderr


def test_links_that_stay_inside_the_site_are_followed(tmp_path):
    root = site(tmp_path, {"shared/logo.svg": "<svg/>", "shared/img/a.txt": "A"})
    (root / "static").mkdir()
    (root / "static" / "logo.svg").symlink_to("../shared/logo.svg")
    (root / "static" / "img").symlink_to(root / "shared" / "img")
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (root / "site" / "static" / "logo.svg").read_text() == "<svg/>"
    assert (root / "site" / "static" / "img" / "a.txt").read_text() == "A"


def test_a_fifo_in_static_is_an_error_not_a_hang(tmp_path):
    root = site(tmp_path)
    (root / "static").mkdir()
    os.mkfifo(root / "static" / "pipe")
    done = cli(root, "build")
    assert done.returncode == 1
    assert "static/pipe: error: `static/pipe` is not a regular file" in done.stderr


def test_a_bundle_file_linked_out_of_the_site_is_refused(tmp_path, secret):
    body = "See [the data](data.txt)."
    root = site(tmp_path, {"content/b.md": briefing("B", body=body)})
    (root / "content" / "data.txt").symlink_to(secret / "secret.txt")
    done = cli(root, "build")
    assert done.returncode == 1
    # named as every content diagnostic is: relative to content/
    assert "data.txt: error: `data.txt` is a symbolic link to outside the site" in done.stderr
    assert not (root / "site").exists()


# --- 2. nothing outside the site is written or deleted through a link -------------------------


def test_a_symlinked_cache_folder_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    (victim / "parse").mkdir(parents=True)  # the old cache's folder names: once rmtree'd
    (victim / "analysis").mkdir()
    (victim / "parse" / "keep.txt").write_text("mine")
    (victim / DATABASE).write_text("not a database, but mine")
    root = site(tmp_path)
    (root / CACHE_DIR).symlink_to(victim)
    before = tree(victim)
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert f"{CACHE_DIR}: warning: `{CACHE_DIR}` is a symbolic link" in done.stderr
    assert tree(victim) == before
    assert sorted(p.name for p in victim.iterdir()) == ["analysis", DATABASE, "parse"]


def test_links_planted_at_temporary_and_database_paths_are_replaced_not_followed(tmp_path):
    root = site(tmp_path)
    assert cli(root, "build").returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    cache = root / CACHE_DIR
    plants = [
        root / "site" / f"{MANIFEST}.tmp-{os.getpid()}",
        cache / f"{DATABASE}-wal",
        cache / f"{DATABASE}-journal",
    ]
    (cache / DATABASE).unlink()
    plants.append(cache / DATABASE)
    for plant in plants:
        plant.symlink_to(victim)
    (root / "content" / "good.md").write_text(GOOD + "\nMore.\n")
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "mine"


def test_the_manifest_and_stamp_temp_files_never_follow_a_link(tmp_path):
    """In-process, so the temporary names (they hold the pid) are known in advance."""
    root = site(tmp_path)
    assert build_site(root).ok
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    pid = os.getpid()
    for staging_sibling in [
        root / CACHE_DIR / f".{STAMP}.{pid}",
        root / "site" / f"{MANIFEST}.tmp-{pid}",
    ]:
        staging_sibling.symlink_to(victim)
    (root / "content" / "good.md").write_text(GOOD + "\nChanged.\n")
    result = build_site(root)
    assert result.ok
    uptodate.record(result.config, "inputs", result.counts, result.diagnostics)
    assert victim.read_text() == "mine"
    assert json.loads((root / CACHE_DIR / STAMP).read_text())["briefings"] == 1


def test_a_symlinked_manifest_or_stamp_is_never_read(tmp_path):
    root = site(tmp_path)
    assert cli(root, "build").returncode == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (root / CACHE_DIR / STAMP).unlink()
    (root / CACHE_DIR / STAMP).symlink_to(fifo)  # reading it would block for ever
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr


# --- 7. deeply nested JSON is a damaged file, not a RecursionError ------------------------------


@pytest.mark.parametrize("which", ["stamp", "manifest"])
def test_deeply_nested_json_in_the_stamp_or_manifest_means_a_rebuild(tmp_path, which):
    root = site(tmp_path)
    assert cli(root, "build").returncode == 0
    before = tree(root / "site")
    deep = "[" * 200_000 + "]" * 200_000
    path = root / CACHE_DIR / STAMP if which == "stamp" else root / "site" / MANIFEST
    path.write_text(deep)
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert "(up to date)" not in done.stderr
    assert tree(root / "site") == before
    assert cli(root, "build").returncode == 0


# --- 8. output folders are not inputs -----------------------------------------------------------


@pytest.mark.parametrize(
    "output", ["static", "static/out", "content", "content/2024/out", "templates", "templates/x"]
)
def test_an_output_folder_inside_an_input_folder_is_refused(tmp_path, output):
    root = site(tmp_path, {"static/a.css": "a{}", "templates/.keep": ""})
    done = cli(root, "build", "--output", output)
    assert done.returncode == 1
    assert "which the build reads" in done.stderr, done.stderr
    assert not (root / output / "index.html").exists()
    assert not (root / output / "static" / "a.css").exists()


def test_an_output_folder_holding_an_input_folder_is_refused(tmp_path):
    root = site(tmp_path, config=CONFIG + "content_dir: out/content\n")
    (root / "content").rename(tmp_path / "moved")
    (root / "out").mkdir()
    (tmp_path / "moved").rename(root / "out" / "content")
    done = cli(root, "build", "--output", "out")
    assert done.returncode == 1
    assert "holds `out/content/`" in done.stderr, done.stderr


# --- 11. the cache is signed with this machine's key ----------------------------------------


def test_a_cache_signed_elsewhere_is_never_unpickled(tmp_path, monkeypatch):
    """A committed or copied cache: its entries are ignored (never unpickled), and the
    build's own results replace them."""
    folder = tmp_path / "cache"
    other = tmp_path / "other-machine"
    monkeypatch.setenv("BRIEFGEN_KEY_DIR", str(other))
    marker = tmp_path / "PWNED"
    Cache(folder).put_many("parse", [("a", encode(_Evil(str(marker))))])
    assert (other / KEY_FILE).stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("BRIEFGEN_KEY_DIR", str(tmp_path / "this-machine"))
    assert Cache(folder).get_many("parse", ["a"]) == {}
    assert not marker.exists()


class _Evil:
    """Unpickling it would create a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_a_copied_cache_is_ignored_by_a_real_build(tmp_path):
    root = site(tmp_path)
    first = cli(root, "build", env={"BRIEFGEN_KEY_DIR": str(tmp_path / "k1")})
    assert first.returncode == 0
    with sqlite3.connect(root / CACHE_DIR / DATABASE) as db:
        db.execute("UPDATE entries SET payload = ?", (encode(_Evil(str(tmp_path / "PWNED"))),))
    (root / CACHE_DIR / STAMP).unlink()
    shutil.rmtree(root / "site")
    again = cli(root, "build", env={"BRIEFGEN_KEY_DIR": str(tmp_path / "k2")})
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / "PWNED").exists()
    assert (root / "site" / "briefings" / "good" / "index.html").is_file()


def test_the_key_lives_in_the_users_cache_folder(tmp_path):
    env = {"BRIEFGEN_KEY_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    root = site(tmp_path)
    assert cli(root, "build", env=env).returncode == 0
    assert (tmp_path / "xdg" / "briefgen" / KEY_FILE).stat().st_size == 32
    assert not any(p.name == KEY_FILE for p in root.rglob("*"))


# --- 4. every setting that changes output is part of every cache key ----------------------

IFRAME = '<iframe src="https://www.youtube.com/embed/x"></iframe>'


def test_removing_an_iframe_host_removes_the_iframe_without_deleting_the_cache(tmp_path):
    body = f"Kazakhstan signed a grain agreement.\n\n{IFRAME}\n"
    root = site(
        tmp_path,
        {"content/v.md": briefing("Video", body=body)},
        config=CONFIG + "iframe_hosts: [www.youtube.com]\n",
    )
    assert cli(root, "build").returncode == 0
    assert "youtube.com/embed" in (root / "site/briefings/v/index.html").read_text()
    (root / "briefgen.yaml").write_text(CONFIG)
    assert cli(root, "build").returncode == 0
    assert "youtube.com/embed" not in (root / "site/briefings/v/index.html").read_text()
    assert (root / CACHE_DIR / DATABASE).is_file()


BASE = CONFIG + "iframe_hosts: [www.youtube.com]\n"
# Each output-affecting key, with a value other than the base config's. Keys that do not
# change output by themselves are listed in NOT_OUTPUT, so a new key must be put in one.
CHANGES = {
    "title": "title: Another Desk\n",
    "description": "description: A new description\n",
    "base_url": "base_url: https://other.example.org/sub/\n",
    "language": "language: de\n",
    "organisation": "organisation: Ministry of Examples\n",
    "copyright": "copyright: Copyright Example 2024\n",
    "per_page": "per_page: 1\n",
    "feed_limit": "feed_limit: 1\n",
    "related_count": "related_count: 1\n",
    "words_per_minute": "words_per_minute: 5\n",
    "iframe_hosts": "iframe_hosts: []\n",
    "drafts": "drafts: true\n",
    "search": "search: true\n",
    "card_image": "card_image: /static/card.png\n",
    "headers": "headers: {X-Frame-Options: DENY}\n",
    "extra": "extra: {tagline: Something else}\n",
    "languages": "languages: [en, ru]\n",
    "menu": "menu: {header: [{title: Archive only, url: /archive/}]}\n",
    "pdf": "pdf: true\n",
}
NOT_OUTPUT = {"root", "content_dir", "output_dir", "topics_file", "publish"}
NOT_OUTPUT |= {"config_files"}  # which files were read: their values are the other keys
NOT_OUTPUT |= {"edition"}  # set per language by the build itself


def test_every_config_key_is_classified():
    from dataclasses import fields

    from briefgen.config import SiteConfig

    assert {f.name for f in fields(SiteConfig)} == set(CHANGES) | NOT_OUTPUT


@pytest.fixture(scope="module")
def keyed_site(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("keys") / "src"
    files = {
        f"content/{n}.md": briefing(
            f"Briefing {n}",
            date=f"2024-05-0{n}",
            body=f"Kazakhstan and Uzbekistan signed deal {n} on the Middle Corridor.\n\n"
            f"More text about Kazakhstan and the EU, part {n}.\n\n{IFRAME}\n",
            authors="[Aigerim Sadykova]",
        )
        for n in range(1, 4)
    }
    files["content/draft.md"] = briefing("A draft", draft="true")
    files["templates/base.html"] = (
        REPO / "templates" / "base.html"
    ).read_text() + "{{ config.extra.tagline }}"
    make_site(root, files, config=BASE + "extra: {tagline: Original}\n")
    assert build_site(root).ok
    return root, tree(root / "site")


@pytest.mark.parametrize("key", sorted(CHANGES))
def test_changing_an_output_key_changes_the_output_with_the_cache_kept(keyed_site, key):
    if key == "pdf":
        pytest.importorskip("weasyprint", reason="the pdf extra makes the PDFs")
    root, clean = keyed_site
    text = BASE + "extra: {tagline: Original}\n"
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith(key + ":")]
    (root / "briefgen.yaml").write_text("".join(lines) + CHANGES[key])
    try:
        result = build_site(root)
        assert result.ok, [d.format() for d in result.diagnostics]
        changed = tree(root / "site")
        # the same change from a clean cache gives the same bytes
        fresh = root.parent / f"fresh-{key}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(CACHE_DIR, "site"))
        assert build_site(fresh).ok
        assert tree(fresh / "site") == changed
    finally:
        (root / "briefgen.yaml").write_text(text)
    assert changed != clean
    assert (root / CACHE_DIR / DATABASE).is_file()


@pytest.mark.parametrize(
    "edit",
    ["templates/base.html", "templates/partials/new.html", "static/site.css", "topics.yaml"],
)
def test_changing_a_template_static_or_registry_file_changes_the_output(tmp_path, edit):
    root = site(tmp_path, {"templates/base.html": (REPO / "templates/base.html").read_text()})
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text("a { color: red }")
    assert cli(root, "build").returncode == 0
    before = tree(root / "site")
    path = root / edit
    path.parent.mkdir(parents=True, exist_ok=True)
    if edit == "templates/partials/new.html":
        path.write_text("PARTIAL-MARKER")
        base = root / "templates/base.html"
        base.write_text(base.read_text() + '{% include "partials/new.html" %}')
        assert cli(root, "build").returncode == 0
        before = tree(root / "site")
        time.sleep(0.01)
        path.write_text("PARTIAL-CHANGED")
    elif edit == "topics.yaml":
        path.write_text(path.read_text().replace("Kazakhstan", "Qazaqstan", 1))
    else:
        path.write_text(path.read_text() + "\n/* edited */\n")
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert tree(root / "site") != before


# --- 7. bounded cost on any input ---------------------------------------------------------------


def test_heading_anchors_are_linear_and_match_the_plugin_ids():
    from mdit_py_plugins.anchors.index import unique_slug

    from briefgen.load.anchors import Slugs

    names = ["a", "a", "a-1", "a", "b", "a-2", "a", "b", "b-1", "a-1", "a-1"]
    mine, theirs, taken = Slugs(["a-3"]), [], {"a-3"}
    for name in names:
        theirs.append(unique_slug(name, taken))
    assert [mine.unique(n) for n in names] == theirs
    started = time.process_time()
    slugs = Slugs()
    for _ in range(40_000):
        slugs.unique("kazakhstan")
    assert time.process_time() - started < 2  # quadratic: 800 million lookups
    assert slugs.unique("kazakhstan") == "kazakhstan-40000"


def test_repeated_headings_get_unique_ids_in_the_page(tmp_path):
    body = "Kazakhstan.\n\n" + "## Kazakhstan\n\nText.\n\n" * 3 + "## Kazakhstan-1 {#x}\n"
    root = site(tmp_path, {"content/h.md": briefing("Headings", body=body)})
    assert build_site(root).ok
    page = (root / "site/briefings/h/index.html").read_text()
    for anchor in ['id="kazakhstan"', 'id="kazakhstan-1"', 'id="kazakhstan-2"']:
        assert anchor in page


MAXRSS = """
import resource, sys
from briefgen.cli import main
code = main(["build"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def test_a_huge_static_file_is_copied_by_streaming(tmp_path):
    big = 96 << 20
    peaks = []
    for n, size in enumerate([0, big]):
        root = site(tmp_path / str(n))
        (root / "static").mkdir()
        with open(root / "static" / "data.bin", "wb") as f:
            f.write(b"\x01" * (1 << 20))
            f.truncate(max(size, 1 << 20))
        done = subprocess.run(
            [sys.executable, "-c", MAXRSS], cwd=root, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        peaks.append(int(done.stderr.strip().splitlines()[-1]) * 1024)
        out = root / "site" / "static" / "data.bin"
        assert out.stat().st_size == max(size, 1 << 20)
    with open(root / "site" / "static" / "data.bin", "rb") as f:
        assert f.read(1 << 20) == b"\x01" * (1 << 20)
    assert peaks[1] - peaks[0] < big // 3, peaks  # read whole, it would cost 96 MB or more


def test_a_large_static_file_is_not_held_in_memory(tmp_path):
    root = site(tmp_path)
    (root / "static").mkdir()
    (root / "static" / "video.mp4").write_bytes(os.urandom(5 << 20))
    result = build_site(root)
    assert result.ok
    (f,) = [f for f in result.rendered.files if f.path == "static/video.mp4"]
    assert f.data == b"" and f.size == 5 << 20
    assert (root / "site/static/video.mp4").read_bytes() == (root / "static/video.mp4").read_bytes()
    (root / "static" / "video.mp4").write_bytes(os.urandom(5 << 20))  # a rebuild copies it anew
    assert build_site(root).ok
    assert (root / "site/static/video.mp4").read_bytes() == (root / "static/video.mp4").read_bytes()


# --- 9. URLs that differ only by case or Unicode normalisation ---------------------------------


def test_static_files_differing_only_by_case_are_an_error_naming_both(tmp_path):
    root = site(tmp_path, {"static/Logo.svg": "<svg/>", "static/logo.svg": "<svg/>"})
    done = cli(root, "build")
    assert done.returncode == 1
    assert (
        "`static/Logo.svg` (from static/Logo.svg) and `static/logo.svg` (from static/logo.svg)"
        in (done.stderr)
    )
    assert "[url-case-clash]" in done.stderr
    assert not (root / "site").exists()


def test_static_files_differing_only_by_normalisation_are_an_error(tmp_path):
    nfc, nfd = "caf\u00e9.txt", "cafe\u0301.txt"
    root = site(tmp_path, {f"static/{nfc}": "a", f"static/{nfd}": "b"})
    result = build_site(root)
    assert [d.code for d in result.diagnostics if d.is_error] == ["url-case-clash"]


def test_aliases_differing_only_by_case_are_an_error_naming_both_briefings(tmp_path):
    root = site(
        tmp_path,
        {
            "content/a.md": briefing("A", aliases="[/2022/Old/]"),
            "content/b.md": briefing("B", aliases="[/2022/old/]"),
        },
    )
    done = cli(root, "build")
    assert done.returncode == 1
    assert "(from a.md (alias /2022/Old/))" in done.stderr
    assert "(from b.md (alias /2022/old/))" in done.stderr


def test_bundle_files_differing_only_by_case_are_an_error(tmp_path):
    body = "![one](Chart.svg)\n\n![two](chart.svg)\n"
    files = {
        "content/p/index.md": briefing("P", body=body),
        "content/p/Chart.svg": "<svg/>",
        "content/p/chart.svg": "<svg></svg>",
    }
    result = build_site(site(tmp_path, files))
    (clash,) = [d for d in result.diagnostics if d.code == "url-case-clash"]
    assert "p/Chart.svg" in clash.message and "p/chart.svg" in clash.message


# --- 10. every write-stage problem is a diagnostic with a file and a fix -----------------------


@pytest.mark.parametrize(
    "alias",
    ["/" + "a" * 300 + "/", "/" + "a/" * 1500, "/" + "/".join(["x" * 90] * 5) + "/"],
    ids=["300-characters", "1500-levels", "long-path"],
)
def test_an_alias_too_long_to_store_is_an_error_at_its_line(tmp_path, alias):
    root = site(tmp_path, {"content/a.md": briefing("A", aliases=f"['{alias}']")})
    done = cli(root, "build")
    assert done.returncode == 1
    assert "a.md:4: error: alias `/" in done.stderr
    assert "is too long" in done.stderr and "hint: keep an alias under" in done.stderr
    assert "Traceback" not in done.stderr and "write-failed" not in done.stderr


@pytest.mark.parametrize("name", ["a\nb.css", "tab\there.txt", "bad\udcff.txt"])
def test_a_static_file_name_with_a_control_character_is_an_error_naming_it(tmp_path, name):
    root = site(tmp_path)
    (root / "static").mkdir()
    (root / "static" / name).write_text("x")
    done = cli(root, "build")
    assert done.returncode == 1
    assert "[bad-file-name]" in done.stderr and "file name is not valid UTF-8" in done.stderr
    assert "static/" in done.stderr and "would be written outside" not in done.stderr
    assert "hint: rename it" in done.stderr


def test_two_spellings_of_one_author_are_a_warning_naming_both(tmp_path):
    root = site(
        tmp_path,
        {
            "content/a.md": briefing("A", authors="[Jöhn Smith]"),
            "content/b.md": briefing("B", authors="[John Smith]"),
        },
    )
    result = build_site(root)
    (warn,) = [d for d in result.diagnostics if d.code == "author-spellings"]  # load/desk.py
    assert "`John Smith` (b.md)" in warn.message and "`Jöhn Smith` (a.md)" in warn.message
    assert "/authors/john-smith/" in warn.message and warn.file and warn.hint


@pytest.mark.parametrize(
    "entry, message",
    [
        ('"Bad Name": x', "is not an HTTP header name"),
        ('"X-A:b": x', "is not an HTTP header name"),
        ("X-List: [a, b]", "must be text"),
        ("X-Map: {a: b}", "must be text"),
        ('X-Empty: ""', "must be one non-empty line"),
        ('X-Break: "a\\nSet-Cookie: x=1"', "must be one non-empty line"),
    ],
)
def test_a_malformed_headers_entry_is_an_error_with_its_line(tmp_path, entry, message):
    config = CONFIG + f"headers:\n  X-Ok: fine\n  {entry}\n"
    root = site(tmp_path, config=config)
    done = cli(root, "build")
    assert done.returncode == 1
    assert "briefgen.yaml:6: error: `headers`: " in done.stderr and message in done.stderr


def test_a_concurrent_second_build_is_told_another_build_is_running(tmp_path):
    from briefgen.write.lock import output_lock

    root = site(tmp_path)
    assert cli(root, "build").returncode == 0
    before = tree(root / "site")
    (root / "content" / "good.md").write_text(GOOD + "\nChanged.\n")
    with output_lock(root, root / "site") as busy:
        assert busy is None
        done = cli(root, "build")
    assert done.returncode == 1
    assert f"another build is running into `{root / 'site'}` (process {os.getpid()})" in (
        done.stderr
    )
    assert "not written by briefgen" not in done.stderr
    assert tree(root / "site") == before
    assert cli(root, "build").returncode == 0  # released
