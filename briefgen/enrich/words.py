"""Content words of a text, as the summariser and the related index compare them.

Owns: tokenising (ASCII letters and digits, lower-cased), the stopword list and a light
plural stemmer. Must not: know about sentences or briefings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
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


def tokens(text: str) -> list[str]:
    """Stemmed content words of `text`, in order (stopwords and words under 3 letters dropped).

    The words are those `_TOKEN` finds in the lower-cased text. Without an apostrophe
    they are exactly the runs of ASCII letters and digits, which a byte translation and a
    split find several times faster than the regex.
    """
    raw = text.lower().encode("ascii", "replace")  # other characters never match _TOKEN
    words = _TOKEN_BYTES.findall(raw) if b"'" in raw else raw.translate(_WORD_BYTES).split()
    return list(filter(None, map(_KEPT.__getitem__, words)))


def tokens_each(texts: Sequence[str]) -> list[list[str]]:
    """`[tokens(t) for t in texts]`, with the lower-casing, encoding and byte translation
    done once for all of them (a briefing has hundreds of short sentences).
    """
    raw = "\n".join(texts).lower().encode("ascii", "replace")
    lines = raw.translate(_LINE_BYTES).split(b"\n")
    if len(lines) != len(texts):  # a text with a line break of its own: one at a time
        return [tokens(t) for t in texts]
    kept = _KEPT.__getitem__
    return [
        list(filter(None, map(kept, _TOKEN_BYTES.findall(line) if b"'" in line else line.split())))
        for line in lines
    ]


_TOKEN_BYTES = re.compile(_TOKEN.pattern.encode())
# Every byte that cannot be part of a word (all but a-z, 0-9 and the apostrophe) -> space.
_WORD_BYTES = bytes(
    b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32 for b in range(256)
)
_LINE_BYTES = bytes(b if b == 10 else c for b, c in enumerate(_WORD_BYTES))  # keeps "\n"


class _Kept(dict[bytes, str]):
    """Word -> its stem, or "" for a word `tokens` drops; filled on first sight.

    One dict lookup per word instead of a stopword check, a length check and a stem call.
    Cleared when it grows past its bound so a long-running server cannot grow it forever.
    """

    def __missing__(self, raw: bytes) -> str:
        if len(self) >= 1 << 17:
            self.clear()
        word = raw.decode()
        kept = "" if word in STOPWORDS or len(word) <= 2 else _stem(word)
        self[raw] = kept
        return kept


_KEPT = _Kept()


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word
