"""Extractive summaries and key points: the lead, and what a reader's summary would keep.

Owns: choosing whole body sentences for the summary and the key points, and saying why.
Leads are strong because writers put the news first (the inverted pyramid), so the summary
is chosen among the first few usable sentences, not the whole text: the one or two of
them, at most SUMMARY_WORDS words, whose words a reader's summary is most likely to share
(salience.py), measured as the expected F-measure against a summary of EXPECTED_TERMS
content words. That balances coverage against length without a fixed sentence count, and
a word covered twice counts once, so a pair that says the same thing twice loses.
A summary never starts on a sentence that leans on the one before it ("He said", "This",
"Speaking at the summit, he"); such a sentence may follow its own antecedent. Key points
come from the rest of the body: never from the opening paragraph (shown right below the
box), never a sentence that repeats the summary, always standing alone, in text order.
Never picks headings, list items, captions, footnotes or table cells: only paragraphs.
Must not: look at other briefings. Words live in `words.py`, the word model in
`salience.py`, the dangling-reference rules in `dangling.py`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import itemgetter
from typing import NamedTuple

from briefgen.enrich.dangling import dangles, leans_on_a_person
from briefgen.enrich.salience import COEFFICIENTS, probabilities
from briefgen.enrich.sentences import split_sentences, strip_dateline
from briefgen.enrich.words import tokens, tokens_each
from briefgen.model import Briefing

SUMMARY_WORDS = 50  # an extracted summary never has more words than this
POOL = 20  # the summary comes from the first POOL usable sentences
EXPECTED_TERMS = 18  # content words of the summary a reader expects: a dek of ~35 words
KEY_POINTS = 3
SHORTLIST = 12  # key points are weighed among this many likely sentences
REPEATS = 0.6  # a key point with this share of its terms already said repeats it
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
    terms: list[list[str]]  # content words (words.tokens)

    def sentence(self, i: int) -> Sentence:
        return Sentence(self.texts[i], i, self.blocks[i], self.firsts[i], self.words[i])


@dataclass(frozen=True, slots=True)
class Choice:
    """What choose() decided, with what it weighed: for `check --explain`."""

    summary: list[int]  # sentence indices, in text order
    points: list[int]
    score: float  # expected F-measure of the summary
    probability: dict[str, float]  # term -> modelled chance a summary uses it


def candidates(briefing: Briefing) -> Candidates:
    texts: list[str] = []
    blocks: list[int] = []
    firsts: list[bool] = []
    paragraph = 0
    for block in briefing.doc.blocks:
        if block.kind != "p":
            continue
        found = split_sentences(block.text)
        if not texts and found:  # a dateline opens only the very first sentence
            found[0] = strip_dateline(found[0])
        texts += found
        blocks += repeat(paragraph, len(found))
        firsts += (i == 0 for i in range(len(found)))
        paragraph += 1
    # split_sentences separates words by single spaces: counting the spaces is enough
    words = [t.count(" ") + 1 for t in texts]
    return Candidates(texts, blocks, firsts, words, tokens_each(texts))


def candidate_sentences(briefing: Briefing) -> list[Sentence]:
    found = candidates(briefing)
    return [found.sentence(i) for i in range(len(found.texts))]


def _readable(text: str, words: int) -> bool:
    return MIN_WORDS <= words <= MAX_WORDS and not text.endswith((":", "?"))


def _expected_f(terms: set[str], size: int, probability: dict[str, float]) -> float:
    """Expected F-measure of a text with these terms against a summary of EXPECTED_TERMS.

    math.fsum: a set's order changes from one process to the next, an exact sum does not.
    """
    return 2.0 * math.fsum(map(probability.__getitem__, terms)) / (size + EXPECTED_TERMS)


class _Leaning:
    """Which sentences lean on an earlier one, worked out only for those weighed.

    The regex checks are the dear part of weighing a pool, and most pairs are ruled out by
    their probability mass before anyone needs to know.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.known: dict[int, bool] = {}

    def dangles(self, i: int) -> bool:
        if i not in self.known:
            self.known[i] = dangles(self.texts[i])
        return self.known[i]

    def may_follow(self, i: int) -> bool:
        """Whether sentence i may follow any earlier chosen one, not only its predecessor:
        it stands alone, or leans only on a person the summary has named ("he said").
        """
        return not self.dangles(i) or leans_on_a_person(self.texts[i])


class _Pool(NamedTuple):
    """The summary's candidate sentences as columns: entry x of each describes pool[x]."""

    index: list[int]  # sentence indices, in text order
    sets: list[set[str]]  # distinct terms
    sizes: list[int]  # terms (repeats too) + EXPECTED_TERMS: the F-measure's denominator
    mass: list[float]  # twice the terms' probabilities (each distinct term once)
    words: list[int]


def _pool(found: Candidates, probability: dict[str, float]) -> _Pool:
    """The first POOL readable sentences that fit the budget on their own."""
    readable = (i for i in range(len(found.texts)) if _readable(found.texts[i], found.words[i]))
    index = [i for i in islice(readable, POOL) if found.words[i] <= SUMMARY_WORDS]
    sets = [set(found.terms[i]) for i in index]
    # each an exact sum of a set, then roundings in a fixed order: deterministic
    mass = [2.0 * math.fsum(map(probability.__getitem__, terms)) for terms in sets]
    sizes = [len(found.terms[i]) + EXPECTED_TERMS for i in index]
    return _Pool(index, sets, sizes, mass, [found.words[i] for i in index])


def _summary(found: Candidates, probability: dict[str, float]) -> tuple[list[int], float]:
    """The best one or two of the first POOL readable sentences (first in text order wins).

    Singles first, then pairs, each in text order: the order ties are settled in.
    """
    pool = _pool(found, probability)
    leaning = _Leaning(found.texts)
    best: tuple[float, list[int]] = (-1.0, [])
    for x, i in enumerate(pool.index):
        if pool.mass[x] / pool.sizes[x] > best[0] and not leaning.dangles(i):
            best = (pool.mass[x] / pool.sizes[x], [i])
    best = _best_pair(pool, probability, leaning, best)
    return best[1], max(best[0], 0.0)


def _best_pair(
    pool: _Pool, probability: dict[str, float], leaning: _Leaning, best: tuple[float, list[int]]
) -> tuple[float, list[int]]:
    """The best pair if one beats `best`: every pair in text order (as combinations() gives
    them), most ruled out by their mass alone. A pair's mass is its two parts' less what
    they share. A sentence that leans back follows what it leans on: a person the summary
    has named, or else the sentence right before it.
    """
    index, mass, sizes, words = pool.index, pool.mass, pool.sizes, pool.words
    for x, a in enumerate(index):
        mass_a, size_a, words_a = mass[x], sizes[x] - EXPECTED_TERMS, words[x]
        for y in range(x + 1, len(index)):
            size = size_a + sizes[y]
            total = mass_a + mass[y]
            # no pair weighs more than its parts: skip what cannot beat the best so far
            if total / size <= best[0] or words_a + words[y] > SUMMARY_WORDS:
                continue
            b = index[y]
            if leaning.dangles(a) or (b - 1 != a and not leaning.may_follow(b)):
                continue
            total -= 2.0 * math.fsum(map(probability.__getitem__, pool.sets[x] & pool.sets[y]))
            if total / size > best[0]:
                best = (total / size, [a, b])
    return best


def _points(
    found: Candidates, probability: dict[str, float], said: set[str], skip: set[int], count: int
) -> list[int]:
    """Up to `count` sentences after the opening paragraph that add the most, in text order.

    Greedy, each round the sentence whose new words add the most; a sentence's gain only
    shrinks as words get covered, so candidates are tried best-possible first and a round
    stops at the first whose best possible gain cannot beat the best found.
    """
    # Each sentence's terms' probabilities summed with repeats bound what it can add
    # (a plain sum in list order: the same in every process). The SHORTLIST best by that
    # bound are weighed exactly; a sentence's gain only shrinks as words get covered.
    after = bisect_right(found.blocks, 0)  # the opening paragraph's sentences come first
    prior = [
        (-2.0 * sum(map(probability.__getitem__, terms)) / (len(terms) + EXPECTED_TERMS), i)
        for i, terms in enumerate(islice(found.terms, after, None), after)
        if terms and i not in skip
    ]
    prior.sort()  # most first, ties in text order
    bounds: list[tuple[float, int, set[str]]] = []
    for _, i in prior:
        if len(bounds) == SHORTLIST:
            break
        if not _readable(found.texts[i], found.words[i]):
            continue
        distinct = set(found.terms[i])
        if len(distinct & said) >= REPEATS * len(distinct):
            continue  # says again what the summary says
        bounds.append(
            (-_expected_f(distinct - said, len(found.terms[i]), probability), i, distinct)
        )
    bounds.sort(key=itemgetter(0, 1))
    covered = set(said)
    chosen: list[int] = []
    leaning: set[int] = set()
    while len(chosen) < count:
        best: tuple[float, int] = (0.0, -1)
        for bound, i, distinct in bounds:
            if -bound <= best[0]:
                break
            if i in chosen or i in leaning:
                continue
            if dangles(found.texts[i]):  # checked late: usually only a few are looked at
                leaning.add(i)
                continue
            gain = _expected_f(distinct - covered, len(found.terms[i]), probability)
            if gain > best[0]:
                best = (gain, i)
        if best[1] < 0:
            break
        chosen.append(best[1])
        covered.update(found.terms[best[1]])
    return sorted(chosen)


def decide(
    briefing: Briefing, count: int = KEY_POINTS, model: Sequence[float] = COEFFICIENTS
) -> tuple[Candidates, Choice]:
    """The body's sentences, and which make the summary and the key points.

    `model`: the word model's coefficients (salience.py); another set only to measure one
    fitted elsewhere (benchmarks/quality/cv.py).
    """
    found = candidates(briefing)
    if not found.texts:
        return found, Choice([], [], 0.0, {})
    probability = probabilities(found.terms, found.texts, briefing.title, model)
    if briefing.summary:  # the author's summary: key points add to it
        said = set(tokens(briefing.summary))
        return found, Choice([], _points(found, probability, said, set(), count), 0.0, probability)
    summary, score = _summary(found, probability)
    said = {t for i in summary for t in found.terms[i]}
    points = _points(found, probability, said, set(summary), count)
    return found, Choice(summary, points, score, probability)


def choose(
    briefing: Briefing, count: int = KEY_POINTS, model: Sequence[float] = COEFFICIENTS
) -> tuple[list[Sentence], list[Sentence]]:
    """(summary sentences, key-point sentences), each in document order."""
    found, choice = decide(briefing, count, model)
    return list(map(found.sentence, choice.summary)), list(map(found.sentence, choice.points))


def _lead(sentences: list[Sentence]) -> list[Sentence]:
    out: list[Sentence] = []
    for sentence in sentences:
        if out and sum(s.words for s in out) + sentence.words > SUMMARY_WORDS:
            break
        out.append(sentence)
        if len(out) == 2 or sentence.block > 0:
            break
    return out


def summarize(
    briefing: Briefing, model: Sequence[float] = COEFFICIENTS
) -> tuple[str, str, tuple[str, ...]]:
    """(summary, "author" | "auto", key points). The author's own always win."""
    if briefing.summary and briefing.key_points:  # nothing left to extract
        return briefing.summary, "author", tuple(briefing.key_points)
    auto_summary, auto_points = choose(briefing, KEY_POINTS, model)
    if not auto_summary and not briefing.summary:  # nothing stands alone: the lead
        auto_summary = _lead(candidate_sentences(briefing))
    summary = briefing.summary or " ".join(s.text for s in auto_summary)
    source = "author" if briefing.summary else "auto"
    points = briefing.key_points or tuple(s.text for s in auto_points)
    return summary, source, tuple(points)


def explain_choice(briefing: Briefing) -> tuple[list[str], list[str]]:
    """(why the summary, why each key point): lines for `briefgen check --explain`."""
    found, choice = decide(briefing)
    if briefing.summary:
        why = ["written by the author (front matter `summary`)"]
    elif choice.summary:
        parts, words = len(choice.summary), sum(found.words[i] for i in choice.summary)
        why = [
            f"{parts} of the first {POOL} usable sentences, {words} words: the best expected "
            f"overlap ({choice.score:.2f}) with a reader's summary of ~{EXPECTED_TERMS} "
            "content words"
        ]
        why += [_why(found, i, choice.probability) for i in choice.summary]
        why += [
            f"passed over (leans on an earlier sentence): {found.texts[i][:60]}"
            for i in range(min(len(found.texts), choice.summary[-1] + 1))
            if i not in choice.summary and dangles(found.texts[i])
        ]
    else:
        why = ["no sentence stands alone: the opening sentences"]
    said = {t for i in choice.summary for t in found.terms[i]}
    if briefing.summary:
        said = set(tokens(briefing.summary))
    points = []
    for i in choice.points:
        new = [t for t in dict.fromkeys(found.terms[i]) if t not in said]
        said.update(found.terms[i])
        points.append(_why(found, i, choice.probability, new))
    return why, points


def _why(
    found: Candidates, i: int, probability: dict[str, float], terms: list[str] | None = None
) -> str:
    """ "sentence 3 (paragraph 2), 24 words: kazakhstan 0.81, grain 0.64, quota 0.52"."""
    pool = list(dict.fromkeys(found.terms[i] if terms is None else terms))
    top = sorted(pool, key=lambda t: (-probability.get(t, 0.0), t))[:5]
    words = ", ".join(f"{t} {probability.get(t, 0.0):.2f}" for t in top)
    label = "likely summary words" if terms is None else "adds"
    return (
        f"sentence {i + 1} (paragraph {found.blocks[i] + 1}), {found.words[i]} words; "
        f"{label}: {words}"
    )
