"""Related briefings: rare shared topics weigh more; a total, stable order; never itself."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, page, read_json

from briefgen.enrich.related import Item

# Distinct made-up words so that wording overlap (the keyword part of the score) stays out of
# the way unless a test wants it.
UNIQUE = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]


def brief(word: str, topics: str, date: str = "2024-05-01", **front: object) -> str:
    body = f"{word.capitalize()}{word} {word}zz {word}yy {word}xx."
    return briefing(
        word.capitalize(),
        date=date,
        body=body,
        topics=topics,
        topics_auto="false",
        slug=word,
        **front,
    )


def related_of(tmp_path: Path, files: dict[str, str], **config: object):
    root = make_site(tmp_path / "s", files)
    result = build_site(root, **config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root, {slug: [r.slug for r in e.related] for slug, e in result.site.by_slug.items()}


def test_shared_rare_topic_ranks_above_shared_common_topic(tmp_path):
    files = {
        "content/me.md": brief("alpha", "[russia, uzbekistan]"),
        "content/rare.md": brief("bravo", "[uzbekistan]", date="2023-01-01"),
        "content/common.md": brief("charlie", "[russia]", date="2024-06-01"),
    }
    # Russia is in many briefings, Uzbekistan in two.
    for i, word in enumerate(UNIQUE[3:9]):
        files[f"content/r{i}.md"] = brief(word, "[russia]", date=f"2022-0{i + 1}-01")
    root, related = related_of(tmp_path, files)
    mine = related["alpha"]
    assert mine.index("bravo") < mine.index("charlie")
    shared = read_json(root, "api/briefings.json")["briefings"]
    row = next(r for r in shared if r["slug"] == "alpha")
    assert row["related_shared"]["bravo"] == ["uzbekistan"]
    assert row["related_shared"]["charlie"] == ["russia"]


def test_more_shared_topics_rank_higher(tmp_path):
    _, related = related_of(
        tmp_path,
        {
            "content/a.md": brief("alpha", "[russia, eu, kazakhstan]"),
            "content/b.md": brief("bravo", "[russia]", date="2024-06-01"),
            "content/c.md": brief("charlie", "[russia, eu, kazakhstan]", date="2020-01-01"),
            "content/d.md": brief("delta", "[russia, eu]", date="2022-01-01"),
        },
    )
    assert related["alpha"] == ["charlie", "delta", "bravo"]


def test_ties_are_broken_by_date_newest_first(tmp_path):
    _, related = related_of(
        tmp_path,
        {
            "content/a.md": brief("alpha", "[eu]"),
            "content/z-old.md": brief("bravo", "[eu]", date="2020-01-01"),
            "content/b-new.md": brief("charlie", "[eu]", date="2023-01-01"),
            "content/m-mid.md": brief("delta", "[eu]", date="2021-01-01"),
        },
    )
    assert related["alpha"] == ["charlie", "delta", "bravo"]


def test_ties_on_the_same_day_are_broken_by_slug(tmp_path):
    _, related = related_of(
        tmp_path,
        {
            "content/0.md": brief("alpha", "[eu]", date="2024-01-01"),
            "content/1.md": brief("delta", "[eu]", date="2023-01-01"),
            "content/2.md": brief("bravo", "[eu]", date="2023-01-01"),
            "content/3.md": brief("charlie", "[eu]", date="2023-01-01"),
        },
    )
    assert related["alpha"] == ["bravo", "charlie", "delta"]


def test_never_lists_itself_and_respects_related_count(tmp_path):
    files = {
        f"content/{w}.md": brief(w, "[eu, russia]", date=f"2024-01-{i + 1:02d}")
        for i, w in enumerate(UNIQUE)
    }
    _, related = related_of(tmp_path, files, related_count=3)
    for slug, slugs in related.items():
        assert slug not in slugs
        assert len(slugs) == 3
        assert len(set(slugs)) == 3
        # everything shares the same topics: newest first, then slug
        others = sorted((w for w in UNIQUE if w != slug), key=lambda w: -UNIQUE.index(w))
        assert slugs == others[:3]


def test_no_shared_topic_and_no_shared_words_means_not_related(tmp_path):
    _, related = related_of(
        tmp_path,
        {"content/a.md": brief("alpha", "[eu]"), "content/b.md": brief("bravo", "[russia]")},
    )
    assert related == {"alpha": [], "bravo": []}


def test_shared_wording_relates_briefings_without_shared_topics(tmp_path):
    body = "Ferry tariffs on the Baku route doubled, ferry operators said on Monday."
    _, related = related_of(
        tmp_path,
        {
            "content/a.md": briefing("Ferry tariffs double", body=body, topics_auto="false"),
            "content/b.md": briefing(
                "Ferry tariffs and Baku ports", body=body, topics_auto="false", date="2024-01-01"
            ),
            "content/c.md": brief("charlie", "[]"),
        },
    )
    assert related["a"] == ["b"]
    assert related["charlie"] == []


def test_related_is_published_with_shared_topics(tmp_path):
    root, _ = related_of(
        tmp_path,
        {
            "content/a.md": brief("alpha", "[middle-corridor, kazakhstan]"),
            "content/b.md": brief("bravo", "[kazakhstan, middle-corridor]", date="2023-01-01"),
        },
    )
    row = read_json(root, "api/briefings.json")["briefings"][0]
    assert (row["slug"], row["related"]) == ("alpha", ["bravo"])
    assert row["related_shared"] == {"bravo": ["kazakhstan", "middle-corridor"]}
    html = page(root, "briefings/alpha/index.html")
    assert '<a href="/briefings/bravo/">Bravo</a>' in html
    assert "shares: Kazakhstan, Middle Corridor" in html


def test_drafts_are_not_related_in_a_normal_build(tmp_path):
    _, related = related_of(
        tmp_path,
        {
            "content/a.md": brief("alpha", "[eu]"),
            "content/b.md": brief("bravo", "[eu]", draft="true"),
        },
    )
    assert related == {"alpha": []}


@pytest.mark.parametrize("seed", range(3))
def test_kept_index_after_edits_equals_a_fresh_computation(seed):
    """The dev server keeps the related index and re-ranks only what an edit touches; after
    any sequence of edits (words in and out, retopicing) the result must equal a fresh one."""
    from briefgen.enrich import related

    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(300)]
    topics = [f"topic{i}" for i in range(10)]

    def words() -> tuple[str, ...]:
        return tuple(rng.choice(vocabulary) for _ in range(rng.randint(0, 30)))

    items = [
        Item(f"b{i}", tuple(sorted(rng.sample(topics, rng.randint(0, 3)))), words())
        for i in range(400)
    ]
    index = related.related_index(items, 5)
    for _ in range(60):
        j = rng.randrange(len(items))
        old = items[j]
        if rng.random() < 0.85:
            items[j] = Item(old.slug, old.topics, old.words[rng.randint(0, 3) :] + words()[:4])
        else:
            items[j] = Item(old.slug, tuple(sorted(rng.sample(topics, 2))), old.words)
        fresh = related.fresh_index(items, 5).results  # computed from scratch, nothing kept
        before = index.results
        index = related.related_index(items, 5, index)
        assert index.results == fresh
        assert before is not index.results or before == fresh  # the old index is untouched
