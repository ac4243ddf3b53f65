"""Issues 3 and 14: an incremental rebuild equals a clean full build in a fresh process.

Each step edits a copy of the example site and rebuilds it in this process on the last
build's state, in place (as the dev server does); then the same sources are built from
nothing in a new Python process (a fresh copy, an empty cache), and the two output trees
must be byte-identical. A stale memo anywhere in this process cannot leak into the clean
side.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import REPO, english_example, tree

from briefgen.cache import CACHE_DIR
from briefgen.config import load_config
from briefgen.load import loader as load_site
from briefgen.load.loader import load_briefings
from briefgen.load.registry import load_registry
from briefgen.model import OutputFile
from briefgen.options import PUBLISH, BuildOptions, serve_options
from briefgen.pipeline import build
from briefgen.templatedirs import theme_dir
from briefgen.write import write_changed

SERVE = serve_options(drafts=True)


def copy_example(tmp_path: Path, *, bilingual: bool = True) -> Path:
    """The example site (English and Russian), or its English edition as a site of its own.
    Without the briefings' PDFs: each clean build here would lay out all of them again
    (about 20 s of CPU); tests/test_pdf.py covers their stability and their cache."""
    root = tmp_path / "src"
    if not bilingual:
        return english_example(root, pdf=False)
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    for name in ("topics.yaml", "briefgen.yaml", "series.yaml"):
        shutil.copy(REPO / name, root / name)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("\npdf: true", "\npdf: false"))
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


def rename_topic(path: Path, topic_id: str, rename: Callable[[str], str]) -> None:
    """Pass a topic's English name through `rename`, in place in the registry's text, whether
    `name:` is a string or a mapping by language (`name: {en: Kazakhstan, ru: Казахстан}`):
    the YAML nodes say where the value is, so the rest of the file stays as written."""
    text = path.read_text(encoding="utf-8")
    for entry in yaml.compose(text).value:
        keys = {k.value: v for k, v in entry.value}
        if keys["id"].value != topic_id:
            continue
        node = keys["name"]
        if isinstance(node, yaml.MappingNode):
            node = next(v for k, v in node.value if k.value == "en")
        start, end = node.start_mark.index, node.end_mark.index
        new = json.dumps(rename(node.value), ensure_ascii=False)  # a quoted YAML scalar
        path.write_text(text[:start] + new + text[end:], encoding="utf-8")
        return
    raise AssertionError(f"no topic `{topic_id}` in {path}")


def edit_registry(root: Path) -> None:
    rename_topic(root / "topics.yaml", "kazakhstan", lambda name: f"Republic of {name}")


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


def clean_build(root: Path, work: Path) -> dict[str, bytes]:
    """`briefgen build` in a fresh process, on a fresh copy of the sources: no state, no
    cache, nothing shared with the build under test but the files."""
    copy = work / "clean-src"
    out = work / "clean-out"
    for folder in (copy, out):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR))
    cmd = [sys.executable, "-m", "briefgen", "build", "--source", str(copy), "--output", str(out)]
    done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tree(out)


class Editor:
    """Seeded random edits of a copy of the example site, one kind at a time; each says
    what it did (the failure message of a step names it)."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root, self.rng, self.n, self.configs = root, random.Random(seed), 0, 0
        text = (root / "topics.yaml").read_text()
        self.topics = sorted(re.findall(r"^- id: (\S+)$", text, re.M))

    def briefings(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))

    def pick(self) -> Path:
        return self.rng.choice(self.briefings())

    def front(self, path: Path, key: str, value: str | None) -> None:
        """Set (or, with None, remove) one front matter key."""
        head, sep, body = path.read_text().partition("\n---\n")
        lines = [x for x in head.splitlines() if not x.startswith(f"{key}:")]
        if value is not None:
            lines.insert(2, f"{key}: {value}")
        path.write_text("\n".join(lines) + sep + body)

    def edit(self, kind: str) -> str:
        """Make one edit of `kind`; what was edited, for the failure message."""
        self.n += 1
        return f"{kind} {getattr(self, kind)(self.pick())}"

    def body(self, path: Path) -> str:
        topic = self.rng.choice(self.topics).replace("-", " ").title()
        path.write_text(path.read_text() + f"\nEdit {self.n}: {topic} came up again.\n")
        return self.rel(path)

    def title(self, path: Path) -> str:
        self.front(path, "title", f'"A retitled briefing, edit {self.n}"')
        return self.rel(path)

    def date(self, path: Path) -> str:
        year, month, day = (self.rng.randint(*r) for r in ((2022, 2025), (1, 12), (1, 28)))
        self.front(path, "date", f"{year}-{month:02}-{day:02}")
        return self.rel(path)

    def topics_(self, path: Path) -> str:
        self.front(path, "topics", "[" + ", ".join(self.rng.sample(self.topics, 3)) + "]")
        return self.rel(path)

    def summary(self, path: Path) -> str:
        self.front(path, "summary", f'"What changed, in one line (edit {self.n})."')
        return self.rel(path)

    def draft(self, path: Path) -> str:
        drafted = "\ndraft: true\n" in path.read_text().partition("\n---\n")[0] + "\n"
        self.front(path, "draft", None if drafted else "true")
        return self.rel(path)

    def delete(self, path: Path) -> str:
        if path.name == "index.md" or len(self.briefings()) <= 12:  # keep bundles, and a site
            return self.body(path)
        path.unlink()
        return self.rel(path)

    def rename(self, path: Path) -> str:
        if path.name == "index.md":
            return self.body(path)
        path.rename(path.with_name(f"renamed-{self.n}.md"))
        return self.rel(path)

    def add(self, path: Path) -> str:
        new = self.root / f"content/2025/added-{self.n}.md"
        topics = ", ".join(self.rng.sample(self.topics, 2))
        new.write_text(
            f"---\ntitle: Added briefing {self.n}\ndate: 2025-0{self.rng.randint(1, 9)}-10\n"
            f"topics: [{topics}]\n---\n\nThe Middle Corridor and Kazakhstan, once more. "
            f"Freight on the Trans-Caspian route rose in month {self.n}.\n\n"
            '<iframe src="https://player.vimeo.com/video/14"></iframe>\n'
        )
        return self.rel(new)

    def registry(self, path: Path) -> str:
        topic = self.rng.choice(self.topics)
        rename_topic(self.root / "topics.yaml", topic, lambda name: f"Renamed {self.n} {name}")
        return f"topics.yaml ({topic})"

    def config(self, path: Path) -> str:
        """The config keys in turn: one that parsing reads, the URL, then others."""
        choices = [
            ("iframe_hosts", self.rng.choice(["[player.vimeo.com]", "[]"])),
            ("base_url", self.rng.choice(["https://x.test/desk/", "https://example.org/"])),
            ("related_count", self.rng.randint(1, 6)),
            ("title", f"Eurasia Desk {self.n}"),
            ("per_page", self.rng.randint(3, 12)),
            ("feed_limit", self.rng.randint(5, 25)),
        ]
        key, value = choices[self.configs % len(choices)]
        self.configs += 1
        path = self.root / "briefgen.yaml"
        lines = [x for x in path.read_text().splitlines() if not x.startswith(f"{key}:")]
        path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n")
        return f"briefgen.yaml ({key}: {value})"

    def template(self, path: Path) -> str:
        path = self.root / "templates/briefing.html"
        path.parent.mkdir(exist_ok=True)
        text = path.read_text() if path.exists() else (theme_dir() / "briefing.html").read_text()
        block = "{% block title %}"  # inside a block: a child template's other text is unused
        path.write_text(text.replace(block, f"{block}Edit {self.n}: ", 1))
        return self.rel(path)

    def static(self, path: Path) -> str:
        path = self.root / self.rng.choice(["static/notes.txt", "static/style.css"])
        path.parent.mkdir(exist_ok=True)
        old = path.read_text() if path.exists() else ""
        path.write_text(f"/* edit {self.n} */\n" + old)
        return self.rel(path)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


KINDS = ["body", "title", "date", "topics_", "summary", "draft", "delete", "rename", "add"]
KINDS += ["registry", "config", "template", "static"]
EDITS = 34


@pytest.mark.slow  # about a minute: one `briefgen build` process per edit
def test_issue_14_incremental_rebuilds_equal_a_clean_build_in_a_fresh_process(tmp_path):
    """Every kind of edit at least once (then seeded random ones), each followed by an
    in-process rebuild that reuses the last build's state (as the dev server does), written
    in place; after each, the output must equal, byte for byte, that of `briefgen build`
    run in a new process on a fresh copy with an empty cache."""
    root = copy_example(tmp_path)
    live = tmp_path / "live"
    editor = Editor(root, seed=14)
    kinds = KINDS + [editor.rng.choice(KINDS) for _ in range(EDITS - len(KINDS))]
    options = replace(PUBLISH, in_place=True)
    config, _ = load_config(root, {"output_dir": str(live)})
    result = build(config, options)
    assert result.ok, [d.format() for d in result.diagnostics]
    done = []
    for kind in kinds:
        done.append(editor.edit(kind))
        config, _ = load_config(root, {"output_dir": str(live)})  # as after a config edit
        result = build(config, options, result.state)
        assert result.ok, (done[-1], [d.format() for d in result.diagnostics])
        clean = clean_build(root, tmp_path)
        ours = tree(live)
        wrong = sorted(p for p in ours.keys() | clean.keys() if ours.get(p) != clean.get(p))
        assert wrong == [], f"after {len(done)} edits ({', '.join(done)}): {wrong[:10]}"


@pytest.mark.slow
@pytest.mark.parametrize("bilingual", [True, False], ids=["en-ru", "en"])
def test_issue_3_dev_server_rebuilds_equal_a_clean_build(tmp_path, bilingual):
    """The dev server's own options (no fingerprints, no search index, drafts shown, in
    place): each scripted edit rebuilt on the last state equals a build from nothing in a
    fresh process, and the rebuild renders only some pages."""
    root = copy_example(tmp_path, bilingual=bilingual)
    live = tmp_path / "live"
    config, _ = load_config(root, {"output_dir": str(live)})
    previous = build(config, SERVE)
    assert previous.ok
    for step in STEPS:
        step(root)
        previous = build(config, SERVE, previous.state)
        assert previous.ok, (step.__name__, [d.format() for d in previous.diagnostics])
        # each edition of a multilingual site reuses its own memos (issue 20)
        rendered = previous.rendered
        assert rendered.rendered < len(rendered.pages) or step is edit_registry
        assert tree(live) == clean_serve_build(root, tmp_path / "clean"), step.__name__
        if step is edit_registry:  # the rename shows on the topic's page
            page = (live / "topics/kazakhstan/index.html").read_text(encoding="utf-8")
            assert "<h1>Republic of Kazakhstan" in page, page[:2000]


CLEAN_SERVE = """
import sys
from dataclasses import replace
from pathlib import Path
from briefgen.cache import CACHE_DIR
from briefgen.config import load_config
from briefgen.options import serve_options
from briefgen.pipeline import build
from briefgen.templatedirs import theme_dir
config, _ = load_config(Path(sys.argv[1]), {"output_dir": sys.argv[2]})
options = replace(serve_options(drafts=True), in_place=False, cache=False)
sys.exit(0 if build(config, options).ok else 1)
"""


def clean_serve_build(root: Path, out: Path) -> dict[str, bytes]:
    """What the dev server's options build from nothing, in a fresh process, uncached."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", CLEAN_SERVE, str(root), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tree(out)


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
    desk = ("authors", "pages")  # issue 19: profiles and pages, not briefings
    sources = [p for p in (root / "content").rglob("*.md") if p.parts[-2] not in desk]
    assert len(reads) == len(sources)


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
    config, _ = load_config(copy_example(tmp_path, bilingual=False))  # one language: memos
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
