"""The persistent build cache: values come back as stored, damage is detected and ignored,
a cache that cannot be used never fails a build, and a build really reuses it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import make_site, tree

from briefgen import cache as cache_module
from briefgen.cache import CACHE_DIR, DATABASE, Cache, encode, key_of
from briefgen.config import load_config
from briefgen.enrich import enricher as enrich_site
from briefgen.load import loader as load_site
from briefgen.pipeline import build

BRIEFINGS = {
    f"content/2024/b{i}.md": f"""
    ---
    title: Briefing {i} on Kazakhstan
    date: 2024-03-{i + 1:02d}
    ---
    Kazakhstan and the EU talk about the Middle Corridor, round {i}.

    Astana wants more cargo through the Caspian ports, says briefing {i}.
    """
    for i in range(4)
}


def stored(folder: Path, values: dict[str, object], kind: str = "parse") -> Cache:
    cache = Cache(folder)
    cache.put_many(kind, [(key, encode(value)) for key, value in values.items()])
    return cache


def rows(folder: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / DATABASE) as db:
        return sorted(db.execute("SELECT kind, key FROM entries"))


def test_values_come_back_by_kind_and_key_and_misses_are_left_out(tmp_path):
    stored(tmp_path, {"a": ("one", [1]), "b": {"two": 2}})
    cache = Cache(tmp_path)
    assert cache.get_many("parse", ["a", "b", "c"]) == {"a": ("one", [1]), "b": {"two": 2}}
    assert cache.get_many("analysis", ["a"]) == {}  # another kind, same key: not the same
    assert (cache.hits, cache.misses) == (2, 2)


def test_storing_again_replaces_the_entry(tmp_path):
    stored(tmp_path, {"a": 1})
    stored(tmp_path, {"a": 2})
    assert Cache(tmp_path).get_many("parse", ["a"]) == {"a": 2}
    assert rows(tmp_path) == [("parse", "a")]


def test_a_damaged_entry_is_ignored_and_the_others_still_served(tmp_path):
    stored(tmp_path, {"a": "first", "b": "second"})
    with sqlite3.connect(tmp_path / DATABASE) as db:
        (payload,) = db.execute("SELECT payload FROM entries WHERE key = 'a'").fetchone()
        flipped = bytes([payload[0], payload[1] ^ 0xFF, *payload[2:]])
        db.execute("UPDATE entries SET payload = ? WHERE key = 'a'", (flipped,))
    cache = Cache(tmp_path)
    assert cache.get_many("parse", ["a", "b"]) == {"b": "second"}
    stored(tmp_path, {"a": "first"})  # rebuilt, as the pipeline does after a miss
    assert Cache(tmp_path).get_many("parse", ["a", "b"]) == {"a": "first", "b": "second"}


def test_an_entry_with_a_right_checksum_that_does_not_unpickle_is_ignored(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("parse", [("a", b"not a pickle"), ("b", encode("fine"))])
    assert Cache(tmp_path).get_many("parse", ["a", "b"]) == {"b": "fine"}


def test_a_file_that_is_not_a_database_is_replaced_without_an_error(tmp_path):
    (tmp_path / DATABASE).write_bytes(b"this is not SQLite, it was truncated or overwritten")
    cache = Cache(tmp_path)
    assert cache.get_many("parse", ["a"]) == {}
    stored(tmp_path, {"a": "fresh"})
    assert Cache(tmp_path).get_many("parse", ["a"]) == {"a": "fresh"}


def test_a_cache_locked_by_another_writer_is_skipped_not_waited_on_for_ever(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "TIMEOUT", 0.1)
    stored(tmp_path, {"a": "old"})
    other = sqlite3.connect(tmp_path / DATABASE, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another briefgen in the middle of a write
    try:
        Cache(tmp_path).put_many("parse", [("b", encode("new"))])  # no exception
        # readers are not blocked by a writer (write-ahead log): they see the last commit
        assert Cache(tmp_path).get_many("parse", ["a", "b"]) == {"a": "old"}
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert Cache(tmp_path).get_many("parse", ["a", "b"]) == {"a": "old"}


def test_no_folder_means_a_cache_that_never_hits_and_writes_nothing(tmp_path):
    cache = Cache(None)
    cache.put_many("parse", [("a", encode(1))])
    assert cache.get_many("parse", ["a"]) == {}
    assert cache.keep("parse", [("a", encode(1))]) == [1]
    assert list(tmp_path.iterdir()) == []


def test_a_python_without_sqlite_builds_uncached(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "sqlite3", None)
    cache = Cache(tmp_path)
    assert cache.keep("parse", [("a", encode(1))]) == [1]
    assert cache.get_many("parse", ["a"]) == {}
    assert list(tmp_path.iterdir()) == []


def test_keep_decodes_in_order_and_stores_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "_STORE_BATCH", 3)
    entries = [(f"k{i}", encode(i * i)) for i in range(7)]
    assert Cache(tmp_path).keep("analysis", iter(entries)) == [i * i for i in range(7)]
    found = Cache(tmp_path).get_many("analysis", [key for key, _ in entries])
    assert found == {f"k{i}": i * i for i in range(7)}


def test_the_folders_of_the_old_one_file_per_entry_cache_are_removed(tmp_path):
    (tmp_path / "parse" / "ab").mkdir(parents=True)
    (tmp_path / "parse" / "ab" / "abcdef").write_bytes(b"BGC1...")
    (tmp_path / "analysis").mkdir()
    (tmp_path / "last-build.json").write_text("{}")
    stored(tmp_path, {"a": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATABASE, "last-build.json"]


def test_keys_depend_on_every_part_and_on_where_parts_split():
    assert key_of("a", "b") == key_of("a", "b")
    assert key_of("a", "b") != key_of("a", "c")
    assert key_of("ab", "c") != key_of("a", "bc")
    assert key_of("a", b"b") == key_of("a", "b")


# --- The cache in a build --------------------------------------------------------------


def count_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Record every briefing actually parsed or analysed (the real functions still run)."""
    done: dict[str, list[str]] = {"parsed": [], "analysed": []}
    parse, analyse = load_site.read_briefing, enrich_site.analyse

    def parsing(rel, *args):
        done["parsed"].append(rel)
        return parse(rel, *args)

    def analysing(briefing, *args):
        done["analysed"].append(briefing.source)
        return analyse(briefing, *args)

    monkeypatch.setattr(load_site, "read_briefing", parsing)
    monkeypatch.setattr(enrich_site, "analyse", analysing)
    return done


def cold_build(root: Path):
    """A build in a new process's shoes: no previous result, no up-to-date short cut."""
    (root / CACHE_DIR / "last-build.json").unlink(missing_ok=True)
    config, _ = load_config(root)
    result = build(config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree(root / "site")


def test_a_second_build_parses_and_analyses_nothing_and_writes_the_same_site(tmp_path, monkeypatch):
    root = make_site(tmp_path / "s", BRIEFINGS)
    first = cold_build(root)
    done = count_work(monkeypatch)
    assert cold_build(root) == first
    assert done == {"parsed": [], "analysed": []}


def test_a_build_redoes_only_the_damaged_and_the_changed_briefings(tmp_path, monkeypatch):
    root = make_site(tmp_path / "s", BRIEFINGS)
    cold_build(root)
    with sqlite3.connect(root / CACHE_DIR / DATABASE) as db:
        db.execute("UPDATE entries SET checksum = zeroblob(16) WHERE kind = 'parse'")
    edited = root / "content/2024/b2.md"
    edited.write_text(edited.read_text() + "\nAktau port doubles its capacity.\n")
    done = count_work(monkeypatch)
    site = cold_build(root)
    every = sorted(path.removeprefix("content/") for path in BRIEFINGS)
    assert sorted(done["parsed"]) == every  # every parse entry was damaged
    assert done["analysed"] == ["2024/b2.md"]  # analyses were fine but for the edit
    assert b"Aktau port doubles its capacity." in site["briefings/b2/index.html"]


def test_an_unusable_cache_file_does_not_fail_the_build(tmp_path):
    root = make_site(tmp_path / "s", BRIEFINGS)
    first = cold_build(root)
    (root / CACHE_DIR / DATABASE).write_bytes(b"\0" * 100)
    assert cold_build(root) == first
    assert rows(root / CACHE_DIR)  # replaced by a working cache
