"""`python -m benchmarks.quality.ideas`: other ways to choose the summary, each by 2-fold CV.

Issue 17's record of what was tried against today's rule (summary.py: the one or two of the
first POOL usable sentences with the best expected F-measure) and did not beat it. Every idea
is scored the way `benchmarks.quality.cv` scores briefgen, on the same folds of the "tune"
split: a story is summarised with the word model fitted on the other half, and an idea's own
knob (or weights) is chosen on the other half too, from that half's own fit. The "check"
split is never read.

For each story the pool's every allowed summary is listed once (singles, pairs, and for one
idea triples, with summary.py's leaning rules and word cap) with its ROUGE-1/L F1 against the
reference (rouge-score's stemmed tokens, the same F1 its scorer gives), so that an idea is
only a different score over the same options. Printed per idea: ROUGE-1/L, the margin over
the best baseline with its paired SE, and the paired difference from today's rule.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import combinations, pairwise

from rouge_score import rouge_scorer, tokenizers

from benchmarks.quality.cv import fold_of
from benchmarks.quality.dev import Story, load_stories
from benchmarks.quality.fit import fit, samples_of, solve
from benchmarks.quality.score import BASELINES, baselines, load_registry_
from briefgen.enrich import summary
from briefgen.enrich.dangling import dangles, leans_on_a_person
from briefgen.enrich.salience import probabilities

_OPENS_QUOTE = re.compile(r"^[\"“‘']")
_QUOTE = re.compile(r"[\"“”]")
_SAID = re.compile(r"\b(?:said|says|told|according to)\b")


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed summary of a story's pool, with what the ideas weigh."""

    sentences: tuple[int, ...]
    places: tuple[int, ...]  # positions in the pool
    probs: tuple[float, ...]  # each distinct content word's probability
    counts: tuple[int, ...]  # how often the summary says each of them
    parts: tuple[float, ...]  # each sentence's own probability mass
    size: int  # content words, repeats too
    words: int
    quotes: int  # sentences with a quotation mark
    opens_quote: bool
    said: int  # sentences with "said", "told", "according to"
    rouge: tuple[float, float]

    @property
    def mass(self) -> float:
        return math.fsum(self.probs)


@dataclass(frozen=True, slots=True)
class Table:
    story: str
    fold: int
    scored: list[Option]  # with the other half's word model: what is scored
    own: list[Option]  # with its own half's word model: what the other half tunes on
    shape: float  # mean words of the first five sentences


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(cur[j], prev[j + 1]))
        prev = cur
    return prev[-1]


def _options(
    story: Story, model: Sequence[float], rouge: Callable[[tuple[int, ...]], tuple[float, float]]
) -> list[Option]:
    """Every allowed single, pair and triple of the pool (summary.py's rules and cap)."""
    found = summary.candidates(story.briefing)
    if not found.texts:
        return []
    prob = probabilities(found.terms, found.texts, story.briefing.title, model)
    readable = [
        i
        for i in range(len(found.texts))
        if summary.MIN_WORDS <= found.words[i] <= summary.MAX_WORDS
        and not found.texts[i].endswith((":", "?"))
    ][: summary.POOL]
    pool = [i for i in readable if found.words[i] <= summary.SUMMARY_WORDS]
    leans = [dangles(found.texts[i]) for i in pool]
    follows = [not d or leans_on_a_person(found.texts[i]) for d, i in zip(leans, pool, strict=True)]
    out = []
    for n in (1, 2, 3):
        for places in combinations(range(len(pool)), n):
            chosen = [pool[p] for p in places]
            if leans[places[0]] or sum(found.words[i] for i in chosen) > summary.SUMMARY_WORDS:
                continue
            if all(
                b == a + 1 or follows[y]
                for (a, b), y in zip(pairwise(chosen), places[1:], strict=True)
            ):
                out.append(_option(chosen, places, found, prob, rouge))
    return out


def _option(chosen, places, found, prob, rouge) -> Option:
    counts = Counter(t for i in chosen for t in found.terms[i])
    texts = [found.texts[i] for i in chosen]
    return Option(
        tuple(chosen),
        tuple(places),
        tuple(prob[t] for t in counts),
        tuple(counts.values()),
        tuple(math.fsum(prob[t] for t in set(found.terms[i])) for i in chosen),
        sum(len(found.terms[i]) for i in chosen),
        sum(found.words[i] for i in chosen),
        sum(bool(_QUOTE.search(t)) for t in texts),
        bool(_OPENS_QUOTE.match(texts[0])),
        sum(bool(_SAID.search(t)) for t in texts),
        rouge(tuple(chosen)),
    )


def tables(stories: Sequence[Story]) -> list[Table]:
    """models[f] is fitted without fold f: it scores fold f, and is fold 1-f's own fit."""
    models = {f: fit(*samples_of([s for s in stories if fold_of(s) != f])) for f in (0, 1)}
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    out = []
    for story in stories:
        found = summary.candidates(story.briefing)
        tokens = [tokenizer.tokenize(t) for t in found.texts]
        reference = tokenizer.tokenize(story.reference)
        known: dict[tuple[int, ...], tuple[float, float]] = {}

        def rouge(chosen: tuple[int, ...], tokens=tokens, reference=reference, known=known):
            if chosen not in known:
                made = [t for i in chosen for t in tokens[i]]
                wanted = Counter(reference)
                one = sum(min(c, wanted[t]) for t, c in Counter(made).items())
                both = len(made) + len(reference)
                known[chosen] = (2.0 * one / both, 2.0 * _lcs(made, reference) / both)
            return known[chosen]

        fold = fold_of(story)
        shape = sum(found.words[:5]) / max(min(len(found.words), 5), 1)
        scored, own = _options(story, models[fold], rouge), _options(story, models[1 - fold], rouge)
        out.append(Table(story.name, fold, scored, own, shape))
    return out


# An idea: a score of an option given a knob and the story's table, and the knobs to try.
Score = Callable[[Option, float, Table], float]


def _expected_f(mass: float, o: Option, terms: float = summary.EXPECTED_TERMS) -> float:
    return 2.0 * mass / (o.size + terms)


def _today(o: Option, _k: float = 0.0, _t: Table | None = None) -> float:
    return _expected_f(o.mass, o, summary.EXPECTED_TERMS) if len(o.places) < 3 else -1.0


def _overlap(o: Option, k: float, _t: Table) -> float:
    """MMR-style: words two sentences share count (1 + k) times less (k < 0: more)."""
    if len(o.places) == 3:
        return -1.0
    return _expected_f(o.mass - k * (math.fsum(o.parts) - o.mass), o)


def _repeats(o: Option, q: float, _t: Table) -> float:
    """A word said k times may be matched up to k times: the reference repeats it w.p. q."""
    if len(o.places) == 3:
        return -1.0
    mass = math.fsum(p * (1 - q**c) / (1 - q) for p, c in zip(o.probs, o.counts, strict=True))
    return _expected_f(mass, o)


def _shape(o: Option, a: float, t: Table) -> float:
    """The expected summary's size from the article's own sentences: longer, longer."""
    if len(o.places) == 3:
        return -1.0
    return _expected_f(o.mass, o, summary.EXPECTED_TERMS * (t.shape / 21.6) ** a)


def _sharpen(o: Option, g: float, _t: Table) -> float:
    if len(o.places) == 3:
        return -1.0
    return _expected_f(math.fsum(p**g for p in o.probs), o)


def _triples(o: Option, terms: float, _t: Table) -> float:
    return _expected_f(o.mass, o, terms)


def _rule(keep: Callable[[Option], bool]) -> Score:
    def score(o: Option, _k: float, _t: Table) -> float:
        return _today(o) if keep(o) else -0.5  # others only if nothing is kept

    return score


def _plus(feature: Callable[[Option], float]) -> Score:
    def score(o: Option, w: float, _t: Table) -> float:
        return _today(o) + w * feature(o) if len(o.places) < 3 else -1.0

    return score


WEIGHTS = tuple(x / 100 for x in range(-10, 11))
IDEAS: dict[str, tuple[Score, tuple[float, ...]]] = {
    "today's rule (summary.py)": (_today, (0.0,)),
    "(e) redundancy weight k (MMR-style)": (_overlap, (-0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0)),
    "(e') repeated words matched again, q": (_repeats, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)),
    "(a) budget from the article's shape, a": (_shape, (-1, -0.5, 0.0, 0.5, 1, 1.5, 2)),
    "(a') triples too, expected terms": (_triples, (15, 18, 21, 24)),
    "word probabilities sharpened, p^g": (_sharpen, (0.7, 0.85, 1.0, 1.2, 1.5, 2.0)),
    "(c) no summary opening on a quote": (_rule(lambda o: not o.opens_quote), (0.0,)),
    "(c) no quotation in the summary": (_rule(lambda o: not o.quotes), (0.0,)),
    "(b) + w x single sentence": (_plus(lambda o: float(len(o.places) == 1)), WEIGHTS),
    "(b) + w x log(1 + last place)": (_plus(lambda o: math.log1p(o.places[-1])), WEIGHTS),
    "(b) + w x starts at the lead": (_plus(lambda o: float(o.sentences[0] == 0)), WEIGHTS),
    "(b) + w x adjacent pair": (
        _plus(lambda o: float(o.sentences[-1] - o.sentences[0] == 1)),
        WEIGHTS,
    ),
    "(b) + w x (words / 40 - 0.9)^2": (_plus(lambda o: (o.words / 40 - 0.9) ** 2), WEIGHTS),
    "(b) + w x quoted sentences": (_plus(lambda o: o.quotes / len(o.places)), WEIGHTS),
    "(b) + w x opens on a quote": (_plus(lambda o: float(o.opens_quote)), WEIGHTS),
    "(b) + w x 'said'/'told' sentences": (_plus(lambda o: o.said / len(o.places)), WEIGHTS),
}


def _best(options: list[Option], score: Callable[[Option], float]) -> Option | None:
    """The first option with the highest score (options come in summary.py's order)."""
    best: tuple[float, Option | None] = (-math.inf, None)
    for o in options:
        value = score(o)
        if value > best[0]:
            best = (value, o)
    return best[1]


def _pick(options: list[Option], score: Score, knob: float, table: Table) -> Option | None:
    return _best(options, lambda o: score(o, knob, table))


def _weighted(o: Option, w: tuple[float, ...]) -> float:
    return math.fsum(a * f(o) for a, f in zip(w, _FEATURES, strict=True))


def _rouge(o: Option | None) -> tuple[float, float]:
    return o.rouge if o else (0.0, 0.0)


def cross_validate(rows: list[Table], score: Score, knobs: Sequence[float]) -> dict:
    """Story -> ROUGE of the idea, its knob chosen on the other half's own fits."""
    out = {}
    for fold in (0, 1):
        train = [t for t in rows if t.fold != fold]

        def total(k: float, train=train) -> float:
            return math.fsum(sum(_rouge(_pick(t.own, score, k, t))) for t in train)

        knob = max(knobs, key=total)  # the first of equals
        for t in (t for t in rows if t.fold == fold):
            out[t.story] = _rouge(_pick(t.scored, score, knob, t))
    return out


_FEATURES: tuple[Callable[[Option], float], ...] = (
    _today,
    lambda o: float(len(o.places) == 1),
    lambda o: math.log1p(o.places[0]),
    lambda o: math.log1p(o.places[-1]),
    lambda o: float(o.sentences[0] == 0),
    lambda o: float(o.sentences[-1] - o.sentences[0] == 1),
    lambda o: o.words / 40,
    lambda o: (o.words / 40 - 0.9) ** 2,
    lambda o: o.quotes / len(o.places),
    lambda o: float(o.opens_quote),
    lambda o: o.said / len(o.places),
)


def reranker(rows: list[Table], ridge: float, shortlist: int) -> dict:
    """(b) a learned score: ridge regression of an option's mean ROUGE-1/L (centred per story)
    on _FEATURES (standardised), over the `shortlist` options best by today's rule, fitted
    on the other half's own options.
    """
    out = {}
    for fold in (0, 1):
        xs, ys = [], []
        for t in (t for t in rows if t.fold != fold):
            top = _top(t.own, shortlist)
            if len(top) > 1:
                x = [[f(o) for f in _FEATURES] for o in top]
                y = [sum(o.rouge) / 2 for o in top]
                means = [math.fsum(c) / len(top) for c in zip(*x, strict=True)]
                xs += [[v - m for v, m in zip(r, means, strict=True)] for r in x]
                ys += [v - math.fsum(y) / len(y) for v in y]
        spread = [
            math.sqrt(math.fsum(v * v for v in c) / len(xs)) or 1.0 for c in zip(*xs, strict=True)
        ]
        xs = [[v / s for v, s in zip(r, spread, strict=True)] for r in xs]
        k = len(_FEATURES)
        gram = [
            [math.fsum(r[i] * r[j] for r in xs) + ridge * len(xs) * (i == j) for j in range(k)]
            for i in range(k)
        ]
        w = solve(
            gram, [math.fsum(r[i] * y for r, y in zip(xs, ys, strict=True)) for i in range(k)]
        )
        w = [a / s for a, s in zip(w, spread, strict=True)]
        for t in (t for t in rows if t.fold == fold):
            top = _top(t.scored, shortlist)
            out[t.story] = _rouge(_best(top, partial(_weighted, w=tuple(w))))
    return out


def _top(options: list[Option], n: int) -> list[Option]:
    order = sorted(range(len(options)), key=lambda i: (-_today(options[i]), i))
    return [options[i] for i in sorted(order[:n])]


def _line(name: str, per: dict, base: dict, today: dict) -> str:
    n = len(per)
    cells = []
    for m in (0, 1):
        means = {b: math.fsum(base[s][b][m] for s in per) / n for b in BASELINES}
        best = max(BASELINES, key=means.__getitem__)
        gap, se = _paired([per[s][m] - base[s][best][m] for s in per])
        diff, dse = _paired([per[s][m] - today[s][m] for s in per])
        mean = math.fsum(per[s][m] for s in per) / n
        cells.append(f"{mean:.4f} {gap:+.4f}±{se:.4f} ({diff:+.4f}±{dse:.4f})")
    return f"  {name:<40} R1 {cells[0]}   RL {cells[1]}"


def _paired(diffs: list[float]) -> tuple[float, float]:
    n = len(diffs)
    mean = math.fsum(diffs) / n
    return mean, math.sqrt(math.fsum((d - mean) ** 2 for d in diffs) / (n - 1) / n)


def report(stories: Sequence[Story]) -> str:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    base = {
        s.name: {
            b: tuple(v.fmeasure for v in scorer.score(s.reference, text).values())
            for b, text in baselines(s.briefing).items()
        }
        for s in stories
    }
    rows = tables(stories)
    today = cross_validate(rows, _today, (0.0,))
    lines = [
        f"2-fold CV inside the tune split, {len(rows)} stories: mean F1, margin over the best "
        "baseline ± paired SE, (difference from today's rule ± paired SE)"
    ]
    for name, (score, knobs) in IDEAS.items():
        lines.append(_line(name, cross_validate(rows, score, knobs), base, today))
    for shortlist in (3, 5, 10, 1000):
        for ridge in (0.01, 0.1):
            name = f"(b) ridge reranker, top {shortlist}, l2 {ridge}"
            lines.append(_line(name, reranker(rows, ridge, shortlist), base, today))
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(load_stories(load_registry_(), splits=["tune"])))
