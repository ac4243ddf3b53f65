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


def related_all(items: Sequence[Item], k: int) -> list[tuple[Related, ...]]:
    """Top-k related items for each item; `items` must be in site order (newest first)."""
    n = len(items)
    topic_post: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for t in item.topics:
            topic_post[t].append(i)
    topic_idf = {t: math.log(1 + n / len(p)) for t, p in topic_post.items()}
    keywords = _keywords(items)
    word_post: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(keywords):
        for w in words:
            word_post[w].append(i)
    word_idf = {w: math.log(1 + n / len(p)) for w, p in word_post.items()}
    return [
        _top(i, items, keywords, topic_post, topic_idf, word_post, word_idf, k) for i in range(n)
    ]


def _keywords(items: Sequence[Item]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for item in items:
        df.update(set(item.words))
    n = len(items)
    out = []
    for item in items:
        tf = Counter(item.words)
        scored = {w: c * math.log(1 + n / df[w]) for w, c in tf.items() if df[w] > 1}
        best = heapq.nsmallest(KEYWORDS, scored.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(dict(best))
    return out


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
