"""Extractive summaries and key points, chosen by sentence importance.

Owns: ranking sentences of the body (centrality over the briefing's own sentences, overlap
with the title, position) and picking whole sentences that stand on their own.
Never picks headings, list fragments, captions, footnotes or table cells, nor a sentence
that leans on an earlier one ("This", "He said", "Speaking at the summit, he", "However").
Must not: look at other briefings. Words (stopwords, stems) live in `words.py`, the
dangling-reference rules in `dangling.py`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import add, mul, truediv
from typing import NamedTuple, TypeVar

from briefgen.enrich.dangling import dangles
from briefgen.enrich.sentences import split_sentences
from briefgen.enrich.words import tokens
from briefgen.model import Briefing

T = TypeVar("T")
SUMMARY_WORDS = (18, 60)  # aim for at least the first, never more than the second
MIN_WORDS, MAX_WORDS = 6, 60


class Sentence(NamedTuple):
    text: str
    index: int  # position in the briefing's sentence list
    block: int  # index of the prose paragraph it comes from
    first_in_block: bool
    words: int


@dataclass(frozen=True, slots=True)
class Candidates:
    """The body's sentences as columns: entry i of each describes sentence i.

    Columns rather than one Sentence per sentence: a long briefing has hundreds, and only
    the few chosen ever need to become one.
    """

    texts: list[str]
    blocks: list[int]  # index of the prose paragraph each comes from
    firsts: list[bool]  # whether it opens its paragraph
    words: list[int]

    def sentence(self, i: int) -> Sentence:
        return Sentence(self.texts[i], i, self.blocks[i], self.firsts[i], self.words[i])


def candidates(briefing: Briefing) -> Candidates:
    texts: list[str] = []
    blocks: list[int] = []
    firsts: list[bool] = []
    paragraph = 0
    for block in briefing.doc.blocks:
        if block.kind != "p":
            continue
        found = split_sentences(block.text)
        texts += found
        blocks += repeat(paragraph, len(found))
        firsts += (i == 0 for i in range(len(found)))
        paragraph += 1
    # split_sentences separates words by single spaces: counting the spaces is enough
    return Candidates(texts, blocks, firsts, [t.count(" ") + 1 for t in texts])


def candidate_sentences(briefing: Briefing) -> list[Sentence]:
    found = candidates(briefing)
    return [found.sentence(i) for i in range(len(found.texts))]


def rank(briefing: Briefing, sentences: Candidates) -> list[float]:
    """Importance of each sentence: centrality + title overlap + position prior.

    Centrality is the mean cosine similarity to every other sentence, computed in linear
    time as the dot product with the sum of all unit vectors.
    """
    n = len(sentences.texts)
    vectors = _unit_vectors(list(map(tokens, sentences.texts)), n)
    dots = _dots(vectors, _centroid(vectors))
    title = set(tokens(briefing.title))
    others, title_size = max(n - 1, 1), len(title) or 1
    scores = []
    columns = (vectors.terms, dots, sentences.texts, sentences.words)
    for terms, dot, text, words, block, first in zip(
        *columns, sentences.blocks, sentences.firsts, strict=True
    ):
        self_sim = 1.0 if terms else 0.0
        central = (dot - self_sim) / others
        overlap = len(title.intersection(terms)) / title_size
        position = 1.0 / (1 + block) + (0.3 if first else 0.0)
        scores.append(2.0 * central + 0.8 * overlap + 0.6 * position + _shape(text, words))
    return scores


# The vectors are laid end to end in flat lists so that the per-term arithmetic runs in
# C-level map() calls. That arithmetic (each product and quotient, each sum and its order)
# is exactly that of the plain per-sentence formulas, on purpose: scores are sorted, and a
# reordered or compensated sum could turn a near-tie the other way and change a summary.


@dataclass(frozen=True, slots=True)
class _Vectors:
    terms: list[dict[str, None]]  # each sentence's distinct terms, in order of first use
    flat: list[str]  # all of them, end to end
    values: list[float]  # the tf-idf weight of each, divided by its sentence's norm


def _unit_vectors(words: list[list[str]], n: int) -> _Vectors:
    """Each sentence's tf-idf vector, scaled to length 1 (empty for a sentence without terms)."""
    terms = list(map(dict.fromkeys, words))
    sizes = list(map(len, terms))
    flat = list(chain.from_iterable(terms))
    weights = _weights(words, terms, flat, n)
    norms = map(math.sqrt, _sums(map(mul, weights, weights), sizes))
    return _Vectors(terms, flat, list(map(truediv, weights, _spread(norms, sizes))))


def _weights(
    words: list[list[str]], terms: list[dict[str, None]], flat: list[str], n: int
) -> list[float]:
    """count * idf of each term of each sentence, laid end to end like `flat`."""
    df = Counter(flat)  # a sentence's terms are distinct, so this counts sentences
    by_df = {k: math.log(1 + n / k) for k in set(df.values())}
    idf = dict(zip(df, map(by_df.__getitem__, df.values()), strict=True))
    weights = list(map(idf.__getitem__, flat))  # count 1: 1 * idf is idf, to the bit
    start = 0
    for sentence, distinct in zip(words, terms, strict=True):
        end = start + len(distinct)
        if len(sentence) != end - start:  # a term repeats: weigh each by its count
            weights[start:end] = map(mul, map(sentence.count, distinct), weights[start:end])
        start = end
    return weights


def _centroid(vectors: _Vectors) -> dict[str, float]:
    """Sum of all unit vectors, added up term by term in sentence order."""
    centroid: dict[str, float] = {}
    # update() takes one pair at a time from the lazy map, so each get() sees the sum so far
    # even when a term comes back in a later sentence.
    pairs = map(add, map(centroid.get, vectors.flat, repeat(0.0)), vectors.values)
    centroid.update(zip(vectors.flat, pairs, strict=True))
    return centroid


def _dots(vectors: _Vectors, centroid: dict[str, float]) -> list[float]:
    """Each sentence's unit vector dotted with the centroid."""
    products = map(mul, vectors.values, map(centroid.__getitem__, vectors.flat))
    return _sums(products, map(len, vectors.terms))


def _sums(values: Iterable[float], sizes: Iterable[int]) -> list[float]:
    """Sums of consecutive runs of `values`, one run per size, each added left to right."""
    it = iter(values)
    return [sum(islice(it, size)) for size in sizes]


def _spread(items: Iterable[T], sizes: Iterable[int]) -> Iterator[T]:
    """Each item repeated `size` times: lines a per-sentence value up with the flat terms."""
    return chain.from_iterable(map(repeat, items, sizes))


def _shape(text: str, words: int) -> float:
    """Penalties for sentences that read badly out of context."""
    penalty = 0.0
    if words < MIN_WORDS or words > MAX_WORDS:
        penalty -= 1.0
    if text.endswith(("?", ":")):
        penalty -= 0.8
    if text[:1] in "\"“‘'":
        penalty -= 0.3
    return penalty


def choose(briefing: Briefing, count: int = 3) -> tuple[list[Sentence], list[Sentence]]:
    """(summary sentences, key-point sentences), each in document order."""
    found = candidates(briefing)
    if not found.texts:
        return [], []
    scores = rank(briefing, found)
    # Best first, ties in document order (sorted() is stable, also with reverse=True).
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    # Checked lazily: usually only the best few sentences are ever looked at.
    usable = (i for i in order if _stands_alone(found.texts[i], found.words[i]))
    seen: list[int] = []  # the usable ones looked at so far, best first
    summary: list[int] = []
    words = 0
    for i in usable:
        seen.append(i)
        if len(summary) == count or words >= SUMMARY_WORDS[0]:
            break
        if words + found.words[i] > SUMMARY_WORDS[1] and summary:
            continue
        summary.append(i)
        words += found.words[i]
    points = islice((i for i in chain(seen, usable) if i not in summary), count)
    return list(map(found.sentence, sorted(summary))), list(map(found.sentence, sorted(points)))


def _stands_alone(text: str, words: int) -> bool:
    return MIN_WORDS <= words <= MAX_WORDS and not text.endswith((":", "?")) and not dangles(text)


def _lead(sentences: list[Sentence]) -> list[Sentence]:
    out: list[Sentence] = []
    for sentence in sentences:
        if out and sum(s.words for s in out) + sentence.words > SUMMARY_WORDS[1]:
            break
        out.append(sentence)
        if len(out) == 2 or sentence.block > 0:
            break
    return out


def summarize(briefing: Briefing) -> tuple[str, str, tuple[str, ...]]:
    """(summary, "author" | "auto", key points). The author's own always win."""
    if briefing.summary and briefing.key_points:  # nothing left to extract
        return briefing.summary, "author", tuple(briefing.key_points)
    auto_summary, auto_points = choose(briefing)
    if not auto_summary:  # nothing stands alone (e.g. only very short sentences): the lead
        auto_summary = _lead(candidate_sentences(briefing))
    summary = briefing.summary or " ".join(s.text for s in auto_summary)
    source = "author" if briefing.summary else "auto"
    points = briefing.key_points or tuple(s.text for s in auto_points)
    return summary, source, tuple(points)
