"""Find registry names in text in one pass (Aho-Corasick), on word boundaries.

Owns: the multi-pattern matcher built from the registry. Names and aliases match
case-insensitively; all-caps acronyms (EU, TITR, U.S.) only as written. Overlaps resolve to
the longest match, so "Trans-Caspian route" wins over "Caspian".
Must not: decide what a briefing is about (see topics.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from briefgen.model import Registry

NAME, SIGNAL = "name", "signal"
# "Trans-Caspian" is one word: a hyphen after these prefixes does not start a new word.
# ("anti-EU", "non-EU" and "pro-Russia" still name the EU and Russia.)
_JOINING_PREFIXES = ("trans", "pan")


@dataclass(frozen=True, slots=True)
class Hit:
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
    def __init__(self, registry: Registry) -> None:
        self._auto = ahocorasick.Automaton()
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
        for key, patterns in table.items():
            self._auto.add_word(key, (len(key), tuple(patterns)))
        self.empty = not table
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits in text order; the longest match wins an overlap."""
        if self.empty or not text:
            return []
        low = text.lower()
        if len(low) != len(text):  # a few characters change length when lowered
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        candidates = []
        for end_index, (length, patterns) in self._auto.iter(low):
            start, end = end_index - length + 1, end_index + 1
            for pattern in patterns:
                if pattern.exact and text[start:end] != pattern.text:
                    continue
                if _bounded(low, start, end, pattern.strength == SIGNAL):
                    end_at = end + 1 if _plural(low, end, pattern.strength) else end
                    candidates.append(Hit(start, end_at, pattern.topic, pattern.strength))
                    break
        return _longest(candidates)


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _bounded(low: str, start: int, end: int, allow_plural: bool) -> bool:
    if start > 0:
        before = low[start - 1]
        if before.isalnum() or before == "_":
            return False
        if before == "-" and low[: start - 1].endswith(_JOINING_PREFIXES):
            return False
    if end < len(low):
        after = low[end]
        if (after.isalnum() or after == "_") and not (allow_plural and _plural(low, end, SIGNAL)):
            return False
    return True


def _plural(low: str, end: int, strength: str) -> bool:
    """Demonym signals also match their plural ("Kazakhs")."""
    return (
        strength == SIGNAL
        and end < len(low)
        and low[end] == "s"
        and (end + 1 == len(low) or not low[end + 1].isalnum())
    )


def _longest(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), h.topic))
    out: list[Hit] = []
    last_end = -1
    for hit in hits:
        if hit.start >= last_end:
            out.append(hit)
            last_end = hit.end
    return out
