"""Atom feeds, read back with feedparser: titles, links, dates, authors, categories, limits."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import feedparser
import pytest
from conftest import briefing, build_site, make_site


def utc(entry_time) -> dt.datetime:
    return dt.datetime.fromtimestamp(calendar.timegm(entry_time), dt.UTC)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("feeds") / "s",
        {
            "content/a.md": briefing(
                "Kazakhstan & the <EU>",
                date="2024-05-01",
                authors="[Aigerim Sadykova]",
                topics="[kazakhstan, eu]",
                body="Kazakhstan signed a long agreement on grain exports with the EU today.",
            ),
            "content/b.md": briefing(
                "Russia's gas exports",
                date="2024-06-01T10:30:00+02:00",
                updated="2024-07-02T09:00:00Z",
                topics="[russia]",
            ),
            "content/c.md": briefing(
                "Older on Kazakhstan", date="2023-01-15", topics="[kazakhstan]"
            ),
            "content/d.md": briefing("Draft on Kazakhstan", draft="true", topics="[kazakhstan]"),
        },
        config="title: Eurasia Desk\ndescription: Briefings.\nbase_url: https://example.org/\n",
    )
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


def parse(root: Path, rel: str):
    feed = feedparser.parse((root / "site" / rel).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_site_feed(root):
    feed = parse(root, "feed.xml")
    assert feed.feed.title == "Eurasia Desk"
    assert feed.feed.subtitle == "Briefings."
    assert feed.feed.id == "https://example.org/feed.xml"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": "https://example.org/feed.xml", "alternate": "https://example.org/"}
    assert utc(feed.feed.updated_parsed) == dt.datetime(2024, 7, 2, 9, 0, tzinfo=dt.UTC)
    assert [e.title for e in feed.entries] == [
        "Russia's gas exports",
        "Kazakhstan & the <EU>",
        "Older on Kazakhstan",
    ]
    assert [e.link for e in feed.entries] == [
        "https://example.org/briefings/b/",
        "https://example.org/briefings/a/",
        "https://example.org/briefings/c/",
    ]
    assert [e.id for e in feed.entries] == [e.link for e in feed.entries]


def test_entry_dates_are_utc(root):
    b, a, _ = parse(root, "feed.xml").entries
    assert utc(b.published_parsed) == dt.datetime(2024, 6, 1, 8, 30, tzinfo=dt.UTC)
    assert utc(b.updated_parsed) == dt.datetime(2024, 7, 2, 9, 0, tzinfo=dt.UTC)
    assert utc(a.published_parsed) == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert utc(a.updated_parsed) == utc(a.published_parsed)


def test_entry_authors_categories_and_summary(root):
    b, a, _ = parse(root, "feed.xml").entries
    assert a.author == "Aigerim Sadykova"
    assert a.author_detail.href == "https://example.org/authors/aigerim-sadykova/"
    assert b.author == "Eurasia Desk"  # no author: the organisation or the site
    assert [(t.term, t.label) for t in a.tags] == [
        ("kazakhstan", "Kazakhstan"),
        ("eu", "European Union"),
    ]
    assert a.summary == "Kazakhstan signed a long agreement on grain exports with the EU today."


def test_topic_feed(root):
    feed = parse(root, "topics/kazakhstan/feed.xml")
    assert feed.feed.title == "Eurasia Desk: Kazakhstan"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {
        "self": "https://example.org/topics/kazakhstan/feed.xml",
        "alternate": "https://example.org/topics/kazakhstan/",
    }
    assert [e.title for e in feed.entries] == ["Kazakhstan & the <EU>", "Older on Kazakhstan"]
    assert utc(feed.feed.updated_parsed) == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def test_empty_topic_feed_is_valid(root):
    feed = parse(root, "topics/georgia/feed.xml")
    assert feed.entries == []
    assert feed.feed.title == "Eurasia Desk: Georgia"


def test_feed_limit(tmp_path):
    files = {f"content/b{i}.md": briefing(f"B{i}", date=f"2024-02-{i + 1:02d}") for i in range(6)}
    root = make_site(tmp_path / "s", files)
    assert build_site(root, feed_limit=4).ok
    feed = parse(root, "feed.xml")
    assert [e.title for e in feed.entries] == ["B5", "B4", "B3", "B2"]


def test_feed_links_honour_a_sub_path(tmp_path):
    root = make_site(
        tmp_path / "s",
        {"content/a.md": briefing("A", topics="[eu]")},
        config="title: T\nbase_url: https://example.org/desk/\n",
    )
    assert build_site(root).ok
    feed = parse(root, "topics/eu/feed.xml")
    assert feed.feed.id == "https://example.org/desk/topics/eu/feed.xml"
    assert feed.entries[0].link == "https://example.org/desk/briefings/a/"
    assert feed.entries[0].tags[0].scheme == "https://example.org/desk/topics/"
