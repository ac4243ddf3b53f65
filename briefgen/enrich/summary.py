"""Extractive summaries and key points, chosen by sentence importance.

Owns: ranking sentences of the body (centrality over the briefing's own sentences, overlap
with the title, position) and picking whole sentences that stand on their own.
Never picks headings, list fragments, captions, footnotes or table cells, and never opens
with a dangling reference ("This", "He said") unless its antecedent comes with it.
Must not: look at other briefings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from briefgen.enrich.sentences import split_sentences
from briefgen.model import Briefing

SUMMARY_WORDS = (18, 60)  # aim for at least the first, never more than the second
MIN_WORDS, MAX_WORDS = 6, 60
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DANGLING = re.compile(
    r"^[\"“‘']?(this|that|these|those|it|its|he|she|they|them|their|his|her|such|there|"
    r"but|however|yet|also|meanwhile|instead|still|moreover|furthermore|thus|so|then|"
    r"similarly|likewise)\b",
    re.IGNORECASE,
)
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "said",
        "says",
        "say",
        "per",
        "cent",
        "one",
        "two",
        "three",
        "new",
        "year",
        "years",
        "may",
    ]
)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    index: int  # position in the briefing's sentence list
    block: int  # index of the prose paragraph it comes from
    first_in_block: bool
    words: int


def candidate_sentences(briefing: Briefing) -> list[Sentence]:
    out: list[Sentence] = []
    paragraph = 0
    for block in briefing.doc.blocks:
        if block.kind != "p":
            continue
        for position, text in enumerate(split_sentences(block.text)):
            out.append(Sentence(text, len(out), paragraph, position == 0, len(text.split())))
        paragraph += 1
    return out


def tokens(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS and len(t) > 2]


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def rank(briefing: Briefing, sentences: list[Sentence]) -> list[float]:
    """Importance of each sentence: centrality + title overlap + position prior.

    Centrality is the mean cosine similarity to every other sentence, computed in linear
    time as the dot product with the sum of all unit vectors.
    """
    bags = [Counter(tokens(s.text)) for s in sentences]
    df = Counter(term for bag in bags for term in bag)
    n = len(sentences)
    units = [_unit({t: c * math.log(1 + n / df[t]) for t, c in bag.items()}) for bag in bags]
    centroid: Counter[str] = Counter()
    for unit in units:
        centroid.update(unit)
    title = set(tokens(briefing.title))
    scores = []
    for unit, sentence in zip(units, sentences, strict=True):
        self_sim = 1.0 if unit else 0.0
        central = (sum(v * centroid[k] for k, v in unit.items()) - self_sim) / max(n - 1, 1)
        overlap = len(title & set(unit)) / (len(title) or 1)
        position = 1.0 / (1 + sentence.block) + (0.3 if sentence.first_in_block else 0.0)
        scores.append(2.0 * central + 0.8 * overlap + 0.6 * position + _shape(sentence))
    return scores


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _shape(sentence: Sentence) -> float:
    """Penalties for sentences that read badly out of context."""
    penalty = 0.0
    if sentence.words < MIN_WORDS or sentence.words > MAX_WORDS:
        penalty -= 1.0
    if sentence.text.endswith("?") or sentence.text.endswith(":"):
        penalty -= 0.8
    if sentence.text[:1] in "\"“‘'":
        penalty -= 0.3
    return penalty


def choose(briefing: Briefing, count: int = 3) -> tuple[list[Sentence], list[Sentence]]:
    """(summary sentences, key-point sentences), each in document order."""
    sentences = candidate_sentences(briefing)
    if not sentences:
        return [], []
    scores = rank(briefing, sentences)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    usable = [i for i in order if _stands_alone(sentences[i])]
    summary: list[int] = []
    words = 0
    for i in usable:
        if len(summary) == count or words >= SUMMARY_WORDS[0]:
            break
        if words + sentences[i].words > SUMMARY_WORDS[1] and summary:
            continue
        summary.append(i)
        words += sentences[i].words
    points = [i for i in usable if i not in summary][:count]
    return ([sentences[i] for i in sorted(summary)], [sentences[i] for i in sorted(points)])


def _stands_alone(sentence: Sentence) -> bool:
    return (
        MIN_WORDS <= sentence.words <= MAX_WORDS
        and not _DANGLING.match(sentence.text)
        and not sentence.text.endswith((":", "?"))
    )


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
    auto_summary, auto_points = choose(briefing)
    if not auto_summary:  # nothing stands alone (e.g. only very short sentences): the lead
        auto_summary = _lead(candidate_sentences(briefing))
    summary = briefing.summary or " ".join(s.text for s in auto_summary)
    source = "author" if briefing.summary else "auto"
    points = briefing.key_points or tuple(s.text for s in auto_points)
    return summary, source, tuple(points)
