"""Issue 20: rendered pages persist between runs (briefgen/render/pagecache.py).

A fresh process (an empty BuildState) takes from the cache every page whose inputs are
unchanged and renders only the pages an edit reaches; every kind of input a page's bytes
depend on (its briefing, a template, the config, a `.po` catalogue, a fingerprinted asset)
invalidates it, so the output always equals a clean build with no cache; an entry that is
damaged, unsigned or of another shape is ignored.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
import pytest
from conftest import REPO, briefing, make_site, tree

from briefgen.cache import CACHE_DIR, DATABASE, Cache, encode, key_of
from briefgen.config import load_config
from briefgen.model import Block
from briefgen.options import PUBLISH, serve_options
from briefgen.pipeline import BuildResult, build
from briefgen.render import pagecache
from briefgen.render.pagecache import KIND, page_digests
from briefgen.render.plan import PageSpec
from briefgen.templatedirs import theme_dir

FILES = {
    f"content/2024/b{i}.md": briefing(
        f"Briefing {i} on Kazakhstan",
        f"2024-03-{i + 1:02d}",
        f"Kazakhstan and the EU talk about the Middle Corridor, round {i}.\n\n"
        f"Astana wants more cargo through the Caspian ports, says briefing {i}.",
        topics="[kazakhstan]" if i % 2 else "[eu]",
    )
    for i in range(6)
}
EDITED = "content/2024/b3.md"


def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "src", FILES)


def run(root: Path, *, cache: bool = True, out: Path | None = None) -> BuildResult:
    """A build in this process with an empty state, as a fresh `briefgen build` makes it."""
    overrides = {"output_dir": str(out)} if out is not None else {}
    config, diags = load_config(root, overrides)
    result = build(config, replace(PUBLISH, cache=cache), config_diags=diags)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def clean(root: Path, work: Path) -> dict[str, bytes]:
    """The output of a build with no state and no cache, on a copy of the sources."""
    copy = work / "clean-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "site"))
    run(copy, cache=False)
    return tree(copy / "site")


def changed_pages(before: BuildResult, after: BuildResult) -> set[str]:
    """The pages whose template or values differ between two builds (or that are new)."""
    old = before.rendered.pages
    return {
        path
        for path, (spec, _) in after.rendered.pages.items()
        if path not in old
        or old[path][0].template != spec.template
        or old[path][0].context != spec.context
    }


def edit_title(root: Path) -> None:
    """Reaches the briefing's page and every listing and feed that shows its card."""
    path = root / EDITED
    path.write_text(path.read_text().replace("Briefing 3 on", "Briefing 3, retitled, on"))


def test_issue_20_a_fresh_process_renders_only_the_pages_an_edit_reaches(tmp_path):
    """`briefgen build -v` after one edit: only the pages whose values changed are
    rendered (counted in its output), and the site equals a clean build's, byte for byte."""
    root = site(tmp_path)
    before = run(root)  # fills the cache
    assert before.rendered.rendered == len(before.rendered.pages)
    edit_title(root)
    cmd = [sys.executable, "-m", "briefgen", "build", "-v", "--source", str(root)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = re.search(r"pages: (\d+) rendered, (\d+) reused \((\d+) from the cache", done.stderr)
    assert found, done.stderr
    rendered, reused, cached = map(int, found.groups())
    expected = changed_pages(before, run(root, cache=False, out=tmp_path / "uncached"))
    assert {"briefings/b3/index.html", "index.html", "feed.xml"} <= expected
    assert rendered == len(expected) < len(before.rendered.pages)
    assert reused == cached == len(before.rendered.pages) - rendered
    assert tree(root / "site") == clean(root, tmp_path)


def test_issue_20_a_second_run_with_no_change_renders_nothing(tmp_path):
    root = site(tmp_path)
    first = run(root)
    second = run(root)
    assert second.rendered.rendered == 0
    assert second.rendered.cached == len(first.rendered.pages)
    assert tree(root / "site") == clean(root, tmp_path)


def edit_template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    text = (theme_dir() / "base.html").read_text(encoding="utf-8")
    (root / "templates/base.html").write_text(text.replace("<body", "<!-- edited -->\n<body", 1))


def edit_config(root: Path) -> None:
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("Test Desk", "Another Desk"))


def edit_catalogue(root: Path) -> None:
    path = root / "locales/en/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Skip to content"\nmsgstr "Jump to the briefing"\n',
        encoding="utf-8",
    )


def edit_stylesheet(root: Path) -> None:
    path = root / "static/style.css"
    path.parent.mkdir(exist_ok=True)
    text = (theme_dir() / "static/style.css").read_text(encoding="utf-8")
    path.write_text(text + "\n.edited { color: red; }\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "mark"),
    [
        (edit_template, b"<!-- edited -->"),
        (edit_config, b"Another Desk"),
        (edit_catalogue, b"Jump to the briefing"),
        (edit_stylesheet, None),  # a new fingerprint in every page's <link>
    ],
    ids=["template", "config", "catalogue", "fingerprint"],
)
def test_issue_20_every_input_of_a_page_invalidates_its_cached_bytes(tmp_path, edit, mark):
    root = site(tmp_path)
    before = run(root)
    home = (root / "site/index.html").read_bytes()
    edit(root)
    after = run(root)
    assert after.rendered.rendered == len(after.rendered.pages)  # every page's chrome changed
    assert after.rendered.cached == 0
    now = (root / "site/index.html").read_bytes()
    assert now != home and (mark is None or mark in now)
    assert tree(root / "site") == clean(root, tmp_path)
    assert run(root).rendered.rendered == 0  # and the new bytes are cached in turn
    assert before.rendered.key != after.rendered.key


def entries(root: Path) -> list[tuple[str, bytes]]:
    with sqlite3.connect(root / CACHE_DIR / DATABASE) as db:
        return db.execute("SELECT key, checksum FROM entries WHERE kind = ?", [KIND]).fetchall()


def test_issue_20_damaged_unsigned_and_foreign_page_entries_are_ignored(tmp_path):
    root = site(tmp_path)
    total = len(run(root).rendered.pages)
    slots = [key for key, _ in entries(root)]
    assert len(slots) == total
    with sqlite3.connect(root / CACHE_DIR / DATABASE) as db:  # not signed by this machine
        db.execute("UPDATE entries SET checksum = zeroblob(16) WHERE key = ?", [slots[0]])
        db.execute("UPDATE entries SET payload = X'00' WHERE key = ?", [slots[1]])
    cache = Cache(root / CACHE_DIR)
    foreign = [encode("not a page"), encode(("x", "bytes?", ())), encode((b"", b"<p>", ()))]
    cache.put_many(KIND, zip(slots[2:5], foreign, strict=True))  # signed, other shapes
    (root / EDITED).write_text((root / EDITED).read_text())  # nothing changed but the cache
    after = run(root)
    assert after.rendered.rendered == 5
    assert tree(root / "site") == clean(root, tmp_path)


def test_issue_20_an_entry_for_other_inputs_is_never_taken(tmp_path):
    """Right slot, wrong digest: the page is rendered (and the entry replaced)."""
    root = site(tmp_path)
    run(root)
    cache = Cache(root / CACHE_DIR)
    where = "en/"
    slot = key_of("page", where, "index.html")
    cache.put_many(KIND, [(slot, encode(("another digest", b"<p>stale</p>", ())))])
    after = run(root)
    assert after.rendered.rendered == 1
    assert b"stale" not in (root / "site/index.html").read_bytes()


def test_issue_20_without_a_cache_no_page_is_digested_or_stored(tmp_path, monkeypatch):
    root = site(tmp_path)
    monkeypatch.setattr(pagecache._Digester, "values", lambda *a: pytest.fail("digested"))
    result = run(root, cache=False)
    assert result.rendered.rendered == len(result.rendered.pages)
    assert not (root / CACHE_DIR / DATABASE).exists()


def test_page_digests_follow_values_and_types_not_identity():
    spec = PageSpec("a/index.html", "page.html", {"n": 1, "items": ("x", "y")})
    same = PageSpec("a/index.html", "page.html", {"n": 1, "items": ("x", "y")})
    digest = page_digests("theme", "en/", [spec])
    assert digest == page_digests("theme", "en/", [same])
    others = [
        PageSpec("a/index.html", "page.html", {"n": 1.0, "items": ("x", "y")}),
        PageSpec("a/index.html", "page.html", {"n": True, "items": ("x", "y")}),
        PageSpec("a/index.html", "page.html", {"n": 1, "items": ("y", "x")}),
        PageSpec("a/index.html", "other.html", {"n": 1, "items": ("x", "y")}),
        PageSpec("b/index.html", "page.html", {"n": 1, "items": ("x", "y")}),
    ]
    seen = {digest["a/index.html"]}
    for other in others:
        value = page_digests("theme", "en/", [other])[other.path]
        assert value not in seen, other
        seen.add(value)
    assert page_digests("another theme", "en/", [spec]) != digest
    assert page_digests("theme", "ru/ru/", [spec]) != digest
    unpicklable = PageSpec("c.html", "page.html", {"f": lambda: 1})
    assert page_digests("theme", "en/", [unpicklable]) == {}


def test_page_digests_do_not_depend_on_which_objects_are_shared():
    """Equal values give equal digests whether or not they are one object: a build that
    took its cards from the cache shares them differently from one that made them (the
    CI failure of the fresh-process test: two topic pages re-rendered for nothing)."""
    card = ("Briefing 1", "https://example.org/b1/", "x" * 40)
    shared = PageSpec("t/index.html", "topic.html", {"a": card, "b": card})
    distinct = PageSpec("t/index.html", "topic.html", {"a": card, "b": (*card[:2], "x" * 40)})
    assert shared.context["b"] is not distinct.context["b"]
    assert page_digests("theme", "en/", [shared]) == page_digests("theme", "en/", [distinct])
    ring: list[object] = []
    ring.append(ring)  # a value that refers to itself cannot be digested without a memo
    assert page_digests("theme", "en/", [PageSpec("r.html", "page.html", {"r": ring})]) == {}


@dataclass
class Loose:
    """A dataclass without slots: its instances may carry more than their fields."""

    a: int


def test_page_digests_see_every_field_of_a_dataclass_and_any_other_attribute():
    a = PageSpec("p.html", "t.html", {"m": Block("p", "Astana", 3)})
    b = PageSpec("p.html", "t.html", {"m": Block("p", "Astana", 4)})
    assert page_digests("k", "", [a]) != page_digests("k", "", [b])
    one, two = Loose(1), Loose(1)
    two.extra = "seen by a template"  # type: ignore[attr-defined]
    c = PageSpec("p.html", "t.html", {"m": one})
    d = PageSpec("p.html", "t.html", {"m": two})
    assert page_digests("k", "", [c]) != page_digests("k", "", [d])


@dataclass(frozen=True, slots=True)
class Wide:
    """A dataclass wide enough to be digested once per call (pagecache.MERKLE_FIELDS)."""

    a: object
    b: int = 0
    c: int = 0
    d: int = 0
    e: int = 0
    f: int = 0


def test_a_wide_dataclass_is_digested_by_its_values_once_per_call():
    """Its digest stands for its fields: a nested change shows, and two pages holding one
    object digest as two pages holding equal copies, in either order within a call."""
    assert len(Wide.__dataclass_fields__) >= pagecache.MERKLE_FIELDS
    one = Wide(Block("p", "Astana", 3))
    same = Wide(Block("p", "Astana", 3))
    other = Wide(Block("p", "Astana", 4))
    pages = [PageSpec(f"{i}.html", "t.html", {"w": w}) for i, w in enumerate((one, one))]
    copies = [PageSpec(f"{i}.html", "t.html", {"w": w}) for i, w in enumerate((one, same))]
    assert page_digests("k", "", pages) == page_digests("k", "", copies)
    changed = [PageSpec("0.html", "t.html", {"w": one}), PageSpec("1.html", "t.html", {"w": other})]
    digests = page_digests("k", "", changed)
    assert digests["0.html"] == page_digests("k", "", pages)["0.html"]
    assert digests["1.html"] != digests["0.html"]
    loose = Wide(Loose(1))
    assert page_digests("k", "", [PageSpec("p.html", "t.html", {"w": loose})])


def copy_bilingual(tmp_path: Path) -> Path:
    """The example site, English and Russian, without its PDFs (tests/test_pdf.py)."""
    root = tmp_path / "src"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    for name in ("topics.yaml", "briefgen.yaml", "series.yaml"):
        shutil.copy(REPO / name, root / name)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("\npdf: true", "\npdf: false"))
    return root


def test_issue_20_a_multilingual_rebuild_renders_only_what_an_edit_reaches(tmp_path):
    """The dev server on the bilingual example (no persistent cache, so only the state can
    explain a reuse): after editing a Russian briefing, the rebuild on the returned state
    renders only the pages whose values changed, all of them under /ru/, and writes what a
    clean build writes."""
    root = copy_bilingual(tmp_path)
    live = tmp_path / "live"
    options = replace(serve_options(drafts=True), cache=False)
    config, _ = load_config(root, {"output_dir": str(live)})
    first = build(config, options)
    assert first.ok and set(first.state.editions) == {"en", "ru"}
    path = root / "content/2024/caspian-ports-capacity.ru.md"
    path.write_text(path.read_text() + "\nВ Актау построили новый причал для зерна.\n")
    again = build(config, options, first.state)
    assert again.ok, [d.format() for d in again.diagnostics]
    expected = changed_pages(first, again)
    assert expected and all(p.startswith("ru/") for p in expected)
    assert again.rendered.rendered == len(expected) < len(again.rendered.pages) // 4
    assert "ru/briefings/caspian-ports-capacity/index.html" in expected
    clean_config, _ = load_config(root, {"output_dir": str(tmp_path / "clean")})
    assert build(clean_config, replace(options, in_place=False)).ok
    assert tree(live) == tree(tmp_path / "clean")


def test_issue_20_the_editions_take_their_pages_from_the_persistent_cache(tmp_path):
    """A fresh process on the bilingual example after a Russian edit: every edition's
    unchanged pages come from the cache, and the site equals a clean build's."""
    root = copy_bilingual(tmp_path)
    before = run(root)
    path = root / "content/2025/kyrgyz-tajik-border-treaty.ru.md"
    path.write_text(path.read_text() + "\nПограничники обеих стран провели встречу.\n")
    after = run(root)
    expected = changed_pages(before, after)
    assert "ru/briefings/kyrgyz-tajik-border-treaty/index.html" in expected
    assert after.rendered.rendered == len(expected)
    assert after.rendered.cached == len(after.rendered.pages) - len(expected)
    assert tree(root / "site") == clean(root, tmp_path)


# --- the related index kept between runs (briefgen/enrich/enricher.py) ----------------------


def related_lists(result: BuildResult) -> dict[str, tuple]:
    return {e.briefing.slug: e.related for e in result.site.briefings}


def test_issue_20_a_fresh_process_brings_the_kept_related_index_up_to_date(tmp_path, monkeypatch):
    """A CLI build after a body edit re-ranks from the index the last run kept (it never
    computes one from scratch), and its related lists equal a build with no cache."""
    from briefgen.enrich import related

    root = site(tmp_path)
    run(root)
    path = root / EDITED
    path.write_text(path.read_text().replace("Caspian ports", "Caspian ports and Baku"))

    def no_fresh(items, k):
        raise AssertionError("the kept index was not used")

    monkeypatch.setattr(related, "fresh_index", no_fresh)
    kept = run(root)
    monkeypatch.undo()
    uncached = run(root, cache=False, out=tmp_path / "uncached")
    assert related_lists(kept) == related_lists(uncached)
    assert any(related_lists(kept).values())
    assert tree(root / "site") == clean(root, tmp_path)


def test_issue_20_a_retopiced_briefing_ranks_everything_afresh_and_right(tmp_path):
    root = site(tmp_path)
    run(root)
    path = root / EDITED
    text = path.read_text()
    assert "topics: [kazakhstan]" in text
    path.write_text(text.replace("topics: [kazakhstan]", "topics: [eu]"))
    kept = run(root)
    assert "eu" in kept.site.by_slug["b3"].topic_ids
    assert related_lists(kept) == related_lists(run(root, cache=False, out=tmp_path / "u"))


def test_issue_20_a_related_entry_of_another_shape_is_ignored(tmp_path):
    root = site(tmp_path)
    first = run(root)
    cache = Cache(root / CACHE_DIR)
    slot = key_of("related-index", first.site.config.language)
    cache.put_many("related", [(slot, encode({"not": "an index"}))])
    assert cache.get_many("related", [slot]) == {slot: {"not": "an index"}}
    path = root / EDITED
    path.write_text(path.read_text().replace("Caspian ports", "Caspian ports and Baku"))
    again = run(root)
    assert related_lists(again) == related_lists(first)


# --- compiled templates kept between runs (briefgen/render/bytecode.py) ---------------------


def test_issue_20_a_fresh_process_loads_compiled_templates_instead_of_compiling(
    tmp_path, monkeypatch
):
    root = site(tmp_path)
    run(root)
    edit_title(root)
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    run(root)
    assert compiled == []
    run(root, cache=False, out=tmp_path / "uncached")  # without a cache: compiled
    assert "briefing.html" in compiled
    monkeypatch.undo()
    assert tree(root / "site") == clean(root, tmp_path)


def test_issue_20_an_edited_template_is_compiled_again(tmp_path):
    root = site(tmp_path)
    run(root)
    theme = theme_dir() / "briefing.html"
    (root / "templates").mkdir()
    override = root / "templates" / "briefing.html"
    override.write_text(theme.read_text().replace("</article>", "<p>edited</p></article>", 1))
    run(root)
    assert b"<p>edited</p>" in (root / "site" / "briefings" / "b3" / "index.html").read_bytes()
    override.write_text(theme.read_text().replace("</article>", "<p>again</p></article>", 1))
    run(root)
    page = (root / "site" / "briefings" / "b3" / "index.html").read_bytes()
    assert b"<p>again</p>" in page and b"<p>edited</p>" not in page
