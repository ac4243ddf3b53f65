"""The synthetic benchmark corpus (benchmarks/generate.py): deterministic, valid, 6-8 KB."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

if str(REPO) not in sys.path:  # `pytest` (not `python -m pytest`) leaves the repo off the path
    sys.path.insert(0, str(REPO))
generate = importlib.import_module("benchmarks.generate")

KINDS = {"region", "country", "organisation", "theme", "corridor", "person"}


def split(path: Path) -> tuple[str, dict, str]:
    """(front matter text, parsed front matter, body) of a generated briefing."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return front, yaml.safe_load(front), body


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("corpus")
    return root, generate.generate_site(root, 200, seed=1)


def test_same_seed_and_count_give_identical_bytes(tmp_path: Path) -> None:
    first = generate.generate_site(tmp_path / "a", 20, seed=1)
    second = generate.generate_site(tmp_path / "b", 20, seed=1)
    assert len(first) == len(second) == 20
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    other = generate.generate_site(tmp_path / "c", 20, seed=2)
    assert snapshot(tmp_path / "c") != snapshot(tmp_path / "a")
    assert [p.name for p in other] != [p.name for p in first]


def test_site_files(site: tuple[Path, list[Path]]) -> None:
    root, paths = site
    config = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    assert config == {"title": "Synthetic Briefings", "base_url": "https://example.org/"}
    assert paths == sorted(paths) and len(paths) == 200
    assert sorted(paths) == sorted((root / "content").rglob("*.md"))


def test_registry_is_consistent(site: tuple[Path, list[Path]]) -> None:
    topics = yaml.safe_load((site[0] / "topics.yaml").read_text(encoding="utf-8"))
    assert len(topics) == 42
    by_id = {t["id"]: t for t in topics}
    assert len(by_id) == 42
    owners: dict[str, str] = {}
    for topic in topics:
        assert set(topic) <= {"id", "name", "kind", "parent", "aliases", "signals", "description"}
        assert topic["kind"] in KINDS and topic["description"].endswith(".")
        for name in (topic["id"], topic["name"], *topic["aliases"]):
            assert owners.setdefault(name.casefold(), topic["id"]) == topic["id"], name
        seen, parent = {topic["id"]}, topic.get("parent")
        while parent:
            assert parent in by_id and parent not in seen, (topic["id"], parent)
            seen.add(parent)
            parent = by_id[parent].get("parent")
    assert {"EU", "European Commission"} <= set(by_id["eu"]["aliases"])
    assert {"TITR", "Trans-Caspian route"} <= set(by_id["middle-corridor"]["aliases"])
    assert {"Moscow", "Kremlin"} <= set(by_id["russia"]["signals"])


def test_front_matter(site: tuple[Path, list[Path]]) -> None:
    root, paths = site
    ids = {t["id"] for t in yaml.safe_load((root / "topics.yaml").read_text(encoding="utf-8"))}
    titles, dates = set(), set()
    for path in paths:
        _, meta, _ = split(path)
        assert isinstance(meta["title"], str) and meta["title"]
        assert 2015 <= meta["date"].year <= 2025 and path.parent.name == str(meta["date"].year)
        assert 1 <= len(meta["topics"]) <= 4 and set(meta["topics"]) <= ids
        assert len(set(meta["topics"])) == len(meta["topics"])
        assert meta["type"] in {"brief", "analysis", "report", "commentary"}
        assert 1 <= len(meta["authors"]) <= 3
        titles.add(meta["title"])
        dates.add(meta["date"])
    assert len(titles) == len(dates) == len(paths)  # unique titles; unique days while possible
    assert len({p.stem for p in paths}) == len(paths)


def test_sizes_are_6_to_8_kb(site: tuple[Path, list[Path]]) -> None:
    sizes = [path.stat().st_size for path in site[1]]
    assert min(sizes) >= 6 * 1024 and max(sizes) <= 8 * 1000


def test_fixed_topic_on_about_30_percent(site: tuple[Path, list[Path]]) -> None:
    tagged = sum(generate.FIXED_TOPIC in split(path)[1]["topics"] for path in site[1])
    assert 0.25 <= tagged / len(site[1]) <= 0.35


def test_bodies_have_the_markdown_features(site: tuple[Path, list[Path]]) -> None:
    tables = notes = 0
    for path in site[1]:
        _, meta, body = split(path)
        assert "\n## " in body and "\n- " in body and "\n> " in body
        assert re.search(r"\[[^\]]+\]\(https://[^)]+\)", body)
        low = body.casefold()
        for topic in (generate.BY_ID[i] for i in meta["topics"]):  # several times each
            names = {generate.bare(n).casefold() for n in (topic.name, *topic.aliases)}
            assert sum(low.count(name) for name in names) >= 3, (path.name, topic.id)
        tables += "\n|---|" in body
        notes += "\n[^1]: " in body
        assert ("[^1]" in body) == ("\n[^1]: " in body)
    assert 0.1 <= tables / 200 <= 0.3 and 0.2 <= notes / 200 <= 0.4


def test_edit_changes_the_body_not_the_front_matter(tmp_path: Path) -> None:
    path = generate.generate_site(tmp_path, 5)[2]
    front, meta, body = split(path)
    generate.edit_briefing(path, 0)
    front_after, meta_after, body_after = split(path)
    assert front_after == front and meta_after == meta
    assert body_after != body
    before, after = body.split("\n\n"), body_after.split("\n\n")
    assert len(before) == len(after)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    generate.edit_briefing(path, 1)
    assert split(path)[0] == front and split(path)[2] != body_after


def test_command_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", str(tmp_path / "s"), "--count", "7"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.fullmatch(r"wrote 7 briefings \([\d.]+ MB\) to \S+ in [\d.]+ s\n", out)
    assert len(list((tmp_path / "s" / "content").rglob("*.md"))) == 7


def test_refuses_to_overwrite_a_real_site(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "mine.md").write_text("---\ntitle: Mine\n---\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate.generate_site(tmp_path, 3)
    assert (tmp_path / "content" / "mine.md").exists()


def test_the_latency_benchmark_places_its_marker_last_or_first_in_the_body():
    latency = importlib.import_module("benchmarks.serve_latency")
    front = "---\ntitle: T\ndate: 2024-01-01\n---\n"
    text = front + "\nFirst paragraph.\n\nLast paragraph.\n"
    end = latency.place(text, "Marker.", "end")
    lead = latency.place(text, "Marker.", "lead")
    assert end == front + "\nFirst paragraph.\n\nLast paragraph.\n\nMarker.\n"
    assert lead == front + "\nMarker.\n\nFirst paragraph.\n\nLast paragraph.\n"
