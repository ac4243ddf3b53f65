"""Find registry names in text in one pass (Aho-Corasick), on word boundaries.

Owns: the multi-pattern matcher built from the registry (and the registry's context words,
casefolded, for topics.py). Names and aliases match case-insensitively; all-caps acronyms
(EU, TITR, U.S.) only as written. Overlaps resolve to the longest match, so "Trans-Caspian
route" wins over "Caspian"; on the same span a name wins over a signal.
Must not: decide what a briefing is about (see topics.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from briefgen.localise.stems import stem_index
from briefgen.model import Registry

NAME, SIGNAL = "name", "signal"
# "Trans-Caspian" is one word: a hyphen after these prefixes does not start a new word.
# ("anti-EU", "non-EU" and "pro-Russia" still name the EU and Russia.)
_JOINING_PREFIXES = ("trans", "pan")


class Hit(NamedTuple):  # a tuple: cheap to make, and find() makes many
    start: int
    end: int
    topic: str
    strength: str  # NAME | SIGNAL


@dataclass(frozen=True, slots=True)
class _Pattern:
    text: str
    topic: str
    strength: str
    exact: bool  # acronyms match case-sensitively


class Matcher:
    def __init__(self, registry: Registry, lang: str = "en") -> None:
        self._auto = ahocorasick.Automaton()
        # context words of ambiguous names, by topic id (see topics.py)
        self.context: dict[str, tuple[str, ...]] = {
            t.id: tuple(w.casefold() for w in t.context) for t in registry.topics if t.context
        }
        table: dict[str, list[_Pattern]] = {}
        for topic in registry.topics:
            terms = [(n, NAME) for n in (topic.name, *topic.aliases)]
            terms += [(s, SIGNAL) for s in topic.signals]
            for term, strength in terms:
                if len(term) < 2:
                    continue
                table.setdefault(term.lower(), []).append(
                    _Pattern(term, topic.id, strength, _is_acronym(term))
                )
        # Inflected languages (ru): names also found through word stems (localise/stems.py).
        self._stems = stem_index(
            [
                (p.text, p.topic, p.strength, registry.by_id[p.topic].kind != "theme")
                for ps in table.values()
                for p in ps
            ],
            lang,
        )
        for key, patterns in table.items():
            self._auto.add_word(key, (len(key), tuple(patterns)))
        self.empty = not table
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits in text order; the longest match wins an overlap.

        On the same span a name wins over a signal: "rare earths" is an alias, not the
        plural of the signal "rare earth".
        """
        if self.empty or not text:
            return []
        low = text.lower()
        if len(low) != len(text):  # a few characters change length when lowered
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        # (start, -end, topic, strength): sorted, text order, longest first, "name" < "signal"
        candidates: list[tuple[int, int, str, str]] = []
        for end_index, (length, patterns) in self._auto.iter(low):
            start, end = end_index - length + 1, end_index + 1
            if start:  # the match must start a word (inlined: this loop is hot)
                before = low[start - 1]
                if before.isalnum() or before == "_":
                    continue
                if before == "-" and low.endswith(_JOINING_PREFIXES, 0, start - 1):
                    continue
            after = low[end : end + 1]
            # the match runs on into a word; that is fine if the rest is a plural "s"
            joined = after.isalnum() or after == "_"
            plural = joined and after == "s" and not low[end + 1 : end + 2].isalnum()
            for pattern in patterns:
                if pattern.exact and text[start:end] != pattern.text:
                    continue
                # demonym signals also match their plural ("Kazakhs")
                extra = plural and pattern.strength == SIGNAL
                if joined and not extra:
                    continue
                candidates.append((start, -(end + extra), pattern.topic, pattern.strength))
                break
        if self._stems is not None:
            candidates += self._stems.find(text)
        return _longest(candidates)


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _longest(candidates: list[tuple[int, int, str, str]]) -> list[Hit]:
    if len(candidates) < 2:
        return [Hit(start, -neg_end, topic, kind) for start, neg_end, topic, kind in candidates]
    candidates.sort()
    out: list[Hit] = []
    last_end = -1
    for start, neg_end, topic, strength in candidates:
        if start >= last_end:
            last_end = -neg_end
            out.append(Hit(start, last_end, topic, strength))
    return out
