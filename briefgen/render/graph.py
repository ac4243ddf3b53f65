"""The co-occurrence graph on topic pages: which topics are covered together with this one.

Owns: choosing the neighbours (the topics that most often share a briefing with the topic),
the edges between them, and a deterministic radial layout, as small frozen records that the
theme draws as inline SVG (partials/graph.html) — no JavaScript is needed to see it.
Must not: render markup or touch the file system. Coordinates are rounded so that equal
input always gives equal values (and so equal pages).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from briefgen.model import Enriched, Registry, Site, Topic

WIDTH, HEIGHT = 480, 350
CX, CY = WIDTH / 2, 172
RX, RY = 165, 118  # the ellipse the neighbours sit on
LINE_HEIGHT = 17  # the theme draws labels at 15 user units
MARGIN = 6
LABEL_CHARS = 16  # wrap labels to lines of about this many characters (two lines at most)
MAX_NEIGHBOUR_EDGES = 8


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    url: str
    kind: str
    count: int  # briefings shared with the centre topic (the centre: all its briefings)
    x: float
    y: float
    r: float
    label: tuple[str, ...]  # lines
    label_y: float  # baseline of the first line; lines are centred on x


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    weight: int  # briefings that carry both topics (among the centre topic's briefings)
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True, slots=True)
class Graph:
    width: int
    height: int
    line_height: int
    centre: Node
    nodes: tuple[Node, ...]  # the neighbours, strongest first
    edges: tuple[Edge, ...]  # centre edges first, then between neighbours
    title: str
    description: str


def topic_sets(
    site: Site, previous: Mapping[str, tuple[Enriched, Registry, frozenset[str]]] | None = None
) -> tuple[dict[str, frozenset[str]], dict[str, tuple[Enriched, Registry, frozenset[str]]]]:
    """slug -> the registry topics of that briefing (computed once per build, shared), and
    the memo: an unchanged briefing keeps its set object, so callers compare sets cheaply."""
    reg = site.registry
    previous = previous or {}
    out: dict[str, frozenset[str]] = {}
    memo: dict[str, tuple[Enriched, Registry, frozenset[str]]] = {}
    for e in site.briefings:
        slug = e.briefing.slug
        hit = previous.get(slug)
        if hit is not None and hit[0] is e and hit[1] is reg:
            found = hit[2]
        else:
            found = frozenset(t.id for t in e.topics if t.id in reg.by_id)
        memo[slug] = (e, reg, found)
        out[slug] = found
    return out, memo


def cooccurrence_graph(
    site: Site,
    topic_id: str,
    limit: int = 8,
    sets: Mapping[str, frozenset[str]] | None = None,
) -> Graph | None:
    """The topic and its `limit` most frequent companions, or None when it has none."""
    reg = site.registry
    if topic_id not in reg.by_id:
        return None
    sets = topic_sets(site)[0] if sets is None else sets
    slugs = site.by_topic.get(topic_id, ())
    counts: Counter[str] = Counter()
    for slug in slugs:
        counts.update(sets[slug])
    del counts[topic_id]
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not best:
        return None
    chosen = frozenset(t for t, _ in best)
    pairs: Counter[tuple[str, str]] = Counter()
    for slug in slugs:
        pairs.update(combinations(sorted(sets[slug] & chosen), 2))
    return _layout(reg.by_id[topic_id], len(slugs), [(reg.by_id[t], n) for t, n in best], pairs)


def _layout(
    centre: Topic,
    total: int,
    neighbours: list[tuple[Topic, int]],
    pairs: Counter[tuple[str, str]],
) -> Graph:
    peak = max(n for _, n in neighbours)
    spots = [(centre, total, CX, CY, 16.0)]
    for i, (topic, n) in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / len(neighbours)
        r = 5 + 9 * math.sqrt(n / peak)
        spots.append((topic, n, CX + RX * math.cos(angle), CY + RY * math.sin(angle), r))
    labels = [_label(topic.name, y, r) for topic, _, _, y, r in spots]
    # Fit the picture to its labels: shift down if one sticks out at the top, grow the height.
    top = min(first - LINE_HEIGHT for _, first in labels)
    bottom = max(first + LINE_HEIGHT * (len(lines) - 1) for lines, first in labels)
    shift = max(0.0, MARGIN - top)
    height = math.ceil(max(HEIGHT, bottom + shift + MARGIN))
    middle, *nodes = [
        Node(
            t.id,
            t.name,
            t.url,
            t.kind,
            n,
            _round(x),
            _round(y + shift),
            _round(r),
            lines,
            _round(first + shift),
        )
        for (t, n, x, y, r), (lines, first) in zip(spots, labels, strict=True)
    ]
    at = {n.id: n for n in [middle, *nodes]}
    links = [(centre.id, t.id, n) for t, n in neighbours]
    between = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NEIGHBOUR_EDGES]
    links += [(a, b, w) for (a, b), w in between]
    heaviest = max(w for _, _, w in links)
    edges = tuple(
        Edge(a, b, w, at[a].x, at[a].y, at[b].x, at[b].y, _round(1 + 4 * w / heaviest))
        for a, b, w in links
    )
    listing = ", ".join(f"{t.name} ({_briefings(n)})" for t, n in neighbours)
    return Graph(
        WIDTH,
        height,
        LINE_HEIGHT,
        middle,
        tuple(nodes),
        edges,
        f"Topics covered together with {centre.name}",
        f"Graph of the topics most often covered together with {centre.name}, "
        f"with the number of briefings they share: {listing}.",
    )


def _label(name: str, y: float, r: float) -> tuple[tuple[str, ...], float]:
    """The label's lines and first baseline: below the circle in the lower half (and for the
    centre), above it in the upper half with the last line just clear of the circle."""
    lines = wrap(name, LABEL_CHARS)
    if y >= CY - 1:
        return lines, y + r + LINE_HEIGHT
    return lines, y - r - 6 - LINE_HEIGHT * (len(lines) - 1)


@lru_cache(maxsize=4096)
def wrap(text: str, width: int, max_lines: int = 3) -> tuple[str, ...]:
    """`text` in the fewest lines (at most `max_lines`) of at most `width` characters, broken
    between words; when no split fits, the one with the shortest longest line."""
    words = text.split()
    best: tuple[tuple[int, int, int], tuple[str, ...]] | None = None
    for count in range(1, min(max_lines, len(words)) + 1):
        for cuts in combinations(range(1, len(words)), count - 1):
            bounds = zip((0, *cuts), (*cuts, len(words)), strict=True)
            lines = tuple(" ".join(words[a:b]) for a, b in bounds)
            longest = max(len(line) for line in lines)
            fits = longest <= width
            key = (0 if fits else 1, count if fits else longest, longest if fits else count)
            if best is None or key < best[0]:
                best = (key, lines)
    return best[1] if best else (text,)


def _briefings(n: int) -> str:
    return f"{n} briefing{'s' * (n != 1)}"


def _round(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
