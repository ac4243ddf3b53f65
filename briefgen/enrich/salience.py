"""How likely each content word of a briefing is to belong in a summary of it.

Owns: the word model the summariser maximises. A reader's summary of a text reuses the
words the writer put first and came back to (the inverted pyramid), above all names. So a
word's chance is a logistic function of where it first appears, in how many sentences it
appears, whether it is written as a name, whether the title has it, and how long the text is.
The coefficients were fitted on the "tune" half of the eval-dev news stories only
(`python -m benchmarks.quality.fit`); the other half checks them.
Must not: choose sentences (summary.py) or read other briefings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, repeat
from operator import add, mul, truediv

from briefgen.enrich.words import tokens

# intercept, log(1 + first sentence), log(sentences with it), in the title, a name, log(n)
COEFFICIENTS = (0.207, -0.620, 1.317, -0.130, 0.264, -0.642)
# A capitalised word after a space, in sentences joined by newlines: a capitalised word
# that is not its sentence's first, which is how names are written.
_NAME = re.compile(r" [A-Z][\w'’-]+")


def features(
    sentence_terms: Sequence[Sequence[str]], texts: Sequence[str], title: str
) -> dict[str, tuple[float, ...]]:
    """Each term's feature vector (see COEFFICIENTS), in order of first use."""
    first, count, names, in_title, size = _counts(sentence_terms, texts, title)
    first = dict(sorted(first.items(), key=lambda item: (item[1], item[0])))
    return {
        term: (
            1.0,
            math.log1p(index),
            math.log(count[term]),
            float(term in in_title),
            float(term in names),
            size,
        )
        for term, index in first.items()
    }


def _counts(
    sentence_terms: Sequence[Sequence[str]], texts: Sequence[str], title: str
) -> tuple[dict[str, int], Counter[str], set[str], set[str], float]:
    """First sentence and number of sentences of each term; names; title terms; log(n)."""
    # a set per sentence: its terms counted once (the count is the same in any order)
    count = Counter(chain.from_iterable(map(set, sentence_terms)))
    first: dict[str, int] = {}
    for index in range(len(sentence_terms) - 1, -1, -1):  # from the end: the first one stays
        first.update(zip(sentence_terms[index], repeat(index)))
    names = set(tokens(" ".join(_NAME.findall("\n".join(texts)))))
    return first, count, names, set(tokens(title)), math.log(max(len(texts), 1))


def probabilities(
    sentence_terms: Sequence[Sequence[str]],
    texts: Sequence[str],
    title: str,
    coefficients: Sequence[float] = COEFFICIENTS,
) -> dict[str, float]:
    """Term -> the modelled chance that a summary of the text uses it.

    The logistic function of features() dotted with the coefficients, in the form
    1 / (1 + e^-z) with e^-z a product of one factor per feature, so that each factor is
    made once per sentence position or count and the per-term work runs in C-level map()
    calls rather than a Python loop over hundreds of terms.
    """
    first, count, names, in_title, size = _counts(sentence_terms, texts, title)
    b0, b_first, b_count, b_title, b_name, b_size = coefficients
    base = math.exp(-(b0 + b_size * size))
    by_first = [base * math.exp(-b_first * math.log1p(i)) for i in range(len(sentence_terms))]
    by_count = [0.0] + [math.exp(-b_count * math.log(c)) for c in range(1, len(by_first) + 1)]
    flags = {
        t: math.exp(-(b_title * (t in in_title) + b_name * (t in names))) for t in names | in_title
    }
    odds = map(
        mul,
        map(
            mul,
            map(by_first.__getitem__, first.values()),
            map(by_count.__getitem__, map(count.get, first)),
        ),
        map(flags.get, first, repeat(1.0)),
    )
    return dict(zip(first, map(truediv, repeat(1.0), map(add, repeat(1.0), odds)), strict=True))
