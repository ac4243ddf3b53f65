"""The JSON API other tools read: site/api/briefings.json and site/api/topics.json."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, read_json

from briefgen.render.api import api_files, briefings_json

BRIEFING_KEYS = {
    "source",
    "slug",
    "url",
    "title",
    "date",
    "authors",
    "type",
    "topics",
    "summary",
    "summary_source",
    "key_points",
    "related",
    "reading_minutes",
}
TOPIC_KEYS = {"id", "name", "kind", "parent", "aliases", "url", "children", "briefings"}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return api_site(tmp_path_factory.mktemp("api"))


def api_site(folder: Path) -> Path:
    root = make_site(
        folder / "s",
        {
            "content/2024/grain.md": briefing(
                "Kazakhstan raises grain quota",
                date="2024-05-01T12:00:00+06:00",
                authors="[Aigerim Sadykova]",
                topics="[Kazakhstan]",
                type="analysis",
                body="Kazakhstan raised its grain export quota for the season, officials said.",
            ),
            "content/2024/kz-rail.md": briefing(
                "Kazakhstan’s rail plans",
                date="2024-04-01",
                updated="2024-04-03",
                topics="[kazakhstan]",
                summary='"Rail first."',
            ),
            "content/draft.md": briefing("Unpublished", draft="true"),
        },
    )
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


def test_briefings_json_has_the_documented_keys(root):
    rows = read_json(root, "api/briefings.json")["briefings"]
    assert len(rows) == 2
    for row in rows:
        assert set(row) >= BRIEFING_KEYS, BRIEFING_KEYS - set(row)


def test_briefings_json_values(root):
    grain, rail = read_json(root, "api/briefings.json")["briefings"]
    assert {k: grain[k] for k in BRIEFING_KEYS} == {
        "source": "2024/grain.md",
        "slug": "grain",
        "url": "/briefings/grain/",
        "title": "Kazakhstan raises grain quota",
        "date": "2024-05-01T06:00:00Z",
        "authors": ["Aigerim Sadykova"],
        "type": "analysis",
        "topics": ["kazakhstan"],
        "summary": "Kazakhstan raised its grain export quota for the season, officials said.",
        "summary_source": "auto",
        "key_points": [],
        "related": ["kz-rail"],
        "reading_minutes": 1,
    }
    assert grain["updated"] is None
    assert rail["updated"] == "2024-04-03T00:00:00Z"
    assert (rail["summary"], rail["summary_source"]) == ("Rail first.", "author")
    assert rail["related_shared"] == {"grain": ["kazakhstan"]}
    assert rail["draft"] is False


def test_topics_json(root):
    rows = read_json(root, "api/topics.json")["topics"]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    for row in rows:
        assert set(row) >= TOPIC_KEYS, TOPIC_KEYS - set(row)
    by_id = {r["id"]: r for r in rows}
    assert {k: by_id["kazakhstan"][k] for k in TOPIC_KEYS} == {
        "id": "kazakhstan",
        "name": "Kazakhstan",
        "kind": "country",
        "parent": "central-asia",
        "aliases": [],
        "url": "/topics/kazakhstan/",
        "children": [],
        "briefings": ["grain", "kz-rail"],
    }
    assert by_id["central-asia"]["children"] == ["kazakhstan", "uzbekistan"]
    assert by_id["central-asia"]["parent"] is None
    assert by_id["eu"]["aliases"] == ["EU", "European Commission"]
    assert by_id["georgia"]["briefings"] == []


def test_json_is_stable_sorted_utf8(root):
    raw = (root / "site" / "api" / "briefings.json").read_bytes()
    assert "Kazakhstan’s".encode() in raw  # not \u2019
    data = json.loads(raw)
    lines = raw.decode().splitlines()
    assert lines[0] == '{"briefings": [' and lines[-1] == "]}"
    rows = [line.rstrip(",") for line in lines[1:-1]]  # one briefing per line, keys sorted
    expected = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in data["briefings"]]
    assert rows == expected


def test_drafts_appear_in_the_api_only_with_drafts(tmp_path):
    root = api_site(tmp_path)
    rows = read_json(root, "api/briefings.json")["briefings"]
    assert "draft" not in {r["slug"] for r in rows}
    assert build_site(root, drafts=True).ok
    rows = read_json(root, "api/briefings.json")["briefings"]
    assert {r["slug"]: r["draft"] for r in rows}["draft"] is True


def test_empty_site_has_empty_lists(tmp_path):
    root = make_site(tmp_path / "s", {}, topics=None)
    assert build_site(root).ok
    assert read_json(root, "api/briefings.json") == {"briefings": []}
    assert read_json(root, "api/topics.json") == {"topics": []}


def test_briefings_json_reuses_unchanged_lines_and_redoes_changed_ones(root):
    # The dev server rebuilds this file on every edit: it must stay equal to a fresh
    # rendering while reusing what did not change (the very same bytes when nothing did).
    site = build_site(root, write=False).site
    first, _, memo = api_files(site)
    assert first == briefings_json(site)
    assert api_files(site, memo)[0] is first
    equal_copy = replace(site.briefings[0])  # a new object whose line is the same
    assert api_files(replace(site, briefings=(equal_copy, *site.briefings[1:])), memo)[0] is first
    edited = replace(site.briefings[0], summary="A different summary.")
    data = api_files(replace(site, briefings=(edited, *site.briefings[1:])), memo)[0]
    assert data == briefings_json(replace(site, briefings=(edited, *site.briefings[1:])))
    rows = json.loads(data)["briefings"]
    assert rows[0]["summary"] == "A different summary."
    assert rows[1] == json.loads(first)["briefings"][1]
    assert data.count(b"\n") == first.count(b"\n")  # still one briefing per line
