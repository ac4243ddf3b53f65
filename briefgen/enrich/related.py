"""Related briefings from a weighted inverted index, in near-linear time.

Owns: scoring briefing pairs by shared topics (weighted by rarity: inverse document
frequency) plus keyword overlap, and a total tie-break order (score, newer, slug).
Over-common topics contribute only their nearest neighbours in time and over-common
keywords are pruned, so cost grows linearly with the number of briefings (Hugo's related
content compares every pair that shares a keyword, which is quadratic).
Must not: look at anything but the items it is given.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.model import Related

TOPIC_WINDOW = 25  # neighbours taken from each side of a crowded topic's posting list
KEYWORD_MAX_DF = 25  # keywords in more briefings than this do not propose candidates
KEYWORDS = 10
TEXT_WEIGHT = 0.6


@dataclass(frozen=True, slots=True)
class Item:
    slug: str
    topics: tuple[str, ...]
    words: tuple[str, ...]  # tokens from the title, lead and summary


@dataclass
class Index:
    """What ranking needs, derived from all items; kept in the build state between
    dev-server rebuilds so that an edit re-ranks only the briefings whose inputs it touched.
    Never changed once built: an update makes a new Index (copying what it changes)."""

    items: tuple[Item, ...]
    holders: dict[str, list[int]]  # word -> items whose words contain it, ascending
    keywords: list[dict[str, float]]  # per item: its KEYWORDS best words and their weight
    topic_post: dict[str, list[int]]
    word_post: dict[str, list[int]]  # word -> items with it among their keywords
    results: list[tuple[Related, ...]]
    k: int


def related_all(items: Sequence[Item], k: int) -> list[tuple[Related, ...]]:
    """Top-k related items for each item; `items` must be in site order (newest first)."""
    return related_index(items, k).results


def related_index(items: Sequence[Item], k: int, previous: Index | None = None) -> Index:
    """The index with every item's top-k related items. Given the `previous` index (the
    dev server's last build), only the items an edit can affect are re-ranked; the result
    equals a fresh computation, and `previous` is left as it was."""
    index = _update(previous, items, k) if previous is not None else None
    return index if index is not None else fresh_index(items, k)


def fresh_index(items: Sequence[Item], k: int) -> Index:
    holders: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for w in set(item.words):
            holders[w].append(i)
    n = len(items)
    keywords = [_best(item, holders, n) for item in items]
    topic_post: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for t in item.topics:
            topic_post[t].append(i)
    index = Index(tuple(items), holders, keywords, topic_post, _posts(keywords), [], k)
    index.results = [_rank(index, i) for i in range(n)]
    return index


def _update(last: Index, items: Sequence[Item], k: int) -> Index | None:
    """`last` brought up to date for `items`, or None when only a fresh index will do (a
    briefing added, removed, moved in the order, or retopiced: those shift every window)."""
    old = last.items
    if len(items) != len(old) or k != last.k:
        return None
    changed = [i for i, (a, b) in enumerate(zip(old, items, strict=True)) if a is not b and a != b]
    if any(old[i].slug != items[i].slug or old[i].topics != items[i].topics for i in changed):
        return None
    n = len(items)
    touched: set[str] = set()  # words whose document frequency changed
    holders = dict(last.holders)  # copied on write: `last` stays as it was
    for i in changed:
        before, after = set(old[i].words), set(items[i].words)
        for w in sorted(before ^ after):
            holders[w] = posting = list(holders.get(w, ()))
            if w in before:
                posting.remove(i)
            else:
                bisect.insort(posting, i)
        touched |= before ^ after
    rescore = set(changed).union(*(holders.get(w, ()) for w in touched))
    keywords = list(last.keywords)
    for i in rescore:
        keywords[i] = _best(items[i], holders, n)
    word_post = _posts(keywords)
    # Ranking item i reads its keywords (in order) and the postings of those words.
    moved = {w for i in rescore for w in keywords[i].keys() ^ last.keywords[i].keys()}
    rerank = {i for i in rescore if list(keywords[i].items()) != list(last.keywords[i].items())}
    rerank |= set(changed).union(*(word_post.get(w, ()) for w in moved))
    index = Index(tuple(items), holders, keywords, last.topic_post, word_post, last.results, k)
    results = list(last.results)
    for i in rerank:
        results[i] = _rank(index, i)
    index.results = results
    return index


def _best(item: Item, holders: dict[str, list[int]], n: int) -> dict[str, float]:
    """The item's KEYWORDS words with the highest tf-idf (words of one item only are noise)."""
    tf = Counter(item.words)
    scored = {
        w: c * math.log(1 + n / len(holders[w])) for w, c in tf.items() if len(holders[w]) > 1
    }
    best = heapq.nsmallest(KEYWORDS, scored.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(best)


def _posts(keywords: list[dict[str, float]]) -> dict[str, list[int]]:
    post: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(keywords):
        for w in words:
            post[w].append(i)
    return post


def _rank(index: Index, i: int) -> tuple[Related, ...]:
    n = len(index.items)
    topic_idf = {t: math.log(1 + n / len(index.topic_post[t])) for t in index.items[i].topics}
    word_idf = {w: math.log(1 + n / len(index.word_post[w])) for w in index.keywords[i]}
    return _top(
        i,
        index.items,
        index.keywords,
        index.topic_post,
        topic_idf,
        index.word_post,
        word_idf,
        index.k,
    )


def _top(
    i: int,
    items: Sequence[Item],
    keywords: list[dict[str, float]],
    topic_post: dict[str, list[int]],
    topic_idf: dict[str, float],
    word_post: dict[str, list[int]],
    word_idf: dict[str, float],
    k: int,
) -> tuple[Related, ...]:
    """Accumulate scores straight from the postings (no pairwise comparison)."""
    scores: dict[int, float] = defaultdict(float)
    shared: dict[int, list[str]] = defaultdict(list)
    for t in sorted(items[i].topics):
        post = topic_post[t]
        pos = bisect.bisect_left(post, i)
        weight = topic_idf[t]
        for j in post[max(0, pos - TOPIC_WINDOW) : pos + TOPIC_WINDOW + 1]:
            scores[j] += weight
            shared[j].append(t)
    for w in keywords[i]:
        post = word_post[w]
        if len(post) <= KEYWORD_MAX_DF:
            weight = TEXT_WEIGHT * word_idf[w]
            for j in post:
                scores[j] += weight
    scores.pop(i, None)
    best = heapq.nsmallest(k, ((-round(s, 6), j) for j, s in scores.items()))
    return tuple(Related(items[j].slug, -neg, tuple(shared.get(j, ()))) for neg, j in best)
