"""Registry names in inflected text: Snowball stems (PyStemmer) of names and of the text.

Owns: the stem index of one language's registry and finding its names in a text whose
words are inflected (`Казахстана`, `Казахстаном`, `в Центральной Азии`, `Евросоюза`).
enrich/matcher.py adds these hits to its exact ones; English (and any language without
a Snowball stemmer) has none, so it matches exactly as before.
Must not: decide what a briefing is about.

Snowball cuts proper nouns unevenly (`казахстан` -> `казахста`, `казахстаном` ->
`казахстан`; `китай` -> `кита`, `китая` -> `кит`), so a text word matches a name word when
their stems are equal or one is the other plus one letter (at least three letters kept).
Precision on short names: a name word written with a capital matches only a capitalised
text word (`Китая`, never the whale `кита`); all-caps acronyms are left to the exact
matcher; words of fewer than four letters match only as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import Stemmer

# Languages whose topic names are matched through stems (Snowball algorithm names).
STEMMED = {"ru": "russian", "uk": "ukrainian"}
_WORD = re.compile(r"\w+(?:-\w+)*")
MIN_STEM = 3


@dataclass(frozen=True, slots=True)
class _Term:
    stems: tuple[str, ...]
    prefixes: tuple[str, ...]  # what each text word must start with
    capital: tuple[bool, ...]
    topic: str
    strength: str


@dataclass(frozen=True, slots=True)
class StemIndex:
    """A language's registry names by the stem of their first word."""

    stemmer: Stemmer.Stemmer
    by_stem: dict[str, list[_Term]] = field(default_factory=dict)
    by_shorter: dict[str, list[_Term]] = field(default_factory=dict)  # stem minus last letter

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, -end, topic, strength) of every name found through stems."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        if not words:
            return []
        stems = _keys(self.stemmer, [w for _, _, w in words])
        out = []
        for i, stem in enumerate(stems):
            for term in self._candidates(stem):
                n = len(term.stems)
                if i + n > len(words) or not _joined(text, words, i, n):
                    continue
                if all(
                    _same(stems[i + k], term.stems[k])
                    and _lower(words[i + k][2]).startswith(term.prefixes[k])
                    and (not term.capital[k] or words[i + k][2][:1].isupper())
                    for k in range(n)
                ):
                    out.append((words[i][0], -words[i + n - 1][1], term.topic, term.strength))
        return out

    def _candidates(self, stem: str) -> list[_Term]:
        found = list(self.by_stem.get(stem, ()))
        if len(stem) > MIN_STEM:
            found += self.by_stem.get(stem[:-1], ())
        found += self.by_shorter.get(stem, ())
        return found


# Adjective endings change wholly when inflected (центральная -> центральной); a noun's
# last letter only (Грузия -> Грузии, never Грузы).
_ADJECTIVE_ENDINGS = ("ая", "яя", "ий", "ый", "ой", "ое", "ее", "ые", "ие")


def _lower(word: str) -> str:
    return word.lower().replace("ё", "е")  # ё is often written е


def _prefix(word: str) -> str:
    low = _lower(word)
    cut = 2 if low.endswith(_ADJECTIVE_ENDINGS) else 1
    return low[: max(MIN_STEM, len(low) - cut)]


def _keys(stemmer: Stemmer.Stemmer, words: list[str]) -> list[str]:
    """Each word's stem; a stem cut below three letters (`азия` -> `аз`) is the word less
    its last letter instead (`ази`), so short names keep what tells them apart."""
    lowered = [_lower(w) for w in words]
    return [
        s if len(s) >= MIN_STEM else w[: max(MIN_STEM, len(w) - 1)]
        for s, w in zip(stemmer.stemWords(lowered), lowered, strict=True)
    ]


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= MIN_STEM and len(long_) == len(short) + 1 and long_.startswith(short)


def _joined(text: str, words: list[tuple[int, int, str]], i: int, n: int) -> bool:
    """The words of a many-word name follow each other with only spaces between."""
    return all(not text[words[k][1] : words[k + 1][0]].strip() for k in range(i, i + n - 1))


def stem_index(terms: list[tuple[str, str, str, bool]], lang: str) -> StemIndex | None:
    """The index of (term, topic id, strength, is a proper name) tuples, or None for a
    language without a stemmer (its names match exactly, as written). A theme's name
    (`Энергетика`) is a common noun: it matches in lowercase too."""
    algorithm = STEMMED.get(lang.split("-")[0])
    if algorithm is None:
        return None
    index = StemIndex(Stemmer.Stemmer(algorithm))
    for term, topic, strength, proper in terms:
        words = _WORD.findall(term)
        if not words or _is_acronym(term) or any(len(w) < 4 for w in words):
            continue  # the exact matcher has these
        stems = tuple(_keys(index.stemmer, words))
        capital = tuple(proper and w[:1].isupper() for w in words)
        entry = _Term(stems, tuple(_prefix(w) for w in words), capital, topic, strength)
        index.by_stem.setdefault(stems[0], []).append(entry)
        index.by_shorter.setdefault(stems[0][:-1], []).append(entry)
    return index


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
