"""Sentence splitting that survives abbreviations, initials, quotes and numbers.

Owns: cutting prose into whole sentences. Must not: rank or choose sentences.
"""

from __future__ import annotations

import re

# Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "amb",
        "hon",
        "rev",
        "fr",
        "no",
        "nos",
        "vol",
        "vols",
        "art",
        "p",
        "pp",
        "para",
        "ch",
        "fig",
        "figs",
        "ed",
        "eds",
        "est",
        "approx",
        "dept",
        "univ",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "vs",
        "etc",
        "cf",
        "al",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "u.s.s.r",
        "a.m",
        "p.m",
        # Russian (issue 18): т. е., т. д., г. (год, город), млн, млрд, тыс., руб., ст., им.
        "т.е",
        "т.д",
        "т.п",
        "т.к",
        "т.н",
        "гг",
        "млн",
        "млрд",
        "трлн",
        "тыс",
        "руб",
        "долл",
        "ст",
        "им",
        "ул",
        "пр",
        "др",
        "см",
        "проф",
        "акад",
    ]
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace,
# then something that can open a sentence.
_AFTER_END = r"""(["'”’»)\]]*)(\s+)(?=["'“‘«„(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])"""  # + Cyrillic capitals
# Patterns that open with a fixed character, or a set of them, rather than with a repeat
# let the regex engine jump from one candidate to the next instead of trying a match at
# every character: `[.!?…][.!?…]*` matches what `[.!?…]+` does, ~2x faster. In text
# without "!", "?" or "…" (most prose) the full-stop-only pattern finds the same
# boundaries several times faster still.
_BOUNDARY = re.compile("([.!?…][.!?…]*)" + _AFTER_END)
_FULL_STOP = re.compile(r"(\.\.*)" + _AFTER_END)
_LAST_WORD = re.compile(r"([\w.]+)$")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def split_sentences(text: str) -> list[str]:
    """Split a block of prose into sentences; text without boundaries is one sentence.

    Whitespace is normalised first, so each sentence's words are separated by single spaces.
    """
    text = normalise_space(text)
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    plain = "!" not in text and "?" not in text and "…" not in text
    for match in (_FULL_STOP if plain else _BOUNDARY).finditer(text):
        if match.group(1) == "." and _is_abbreviation(_last_word(text, start, match.start())):
            continue
        end = match.end(2)
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def normalise_space(text: str) -> str:
    """`" ".join(text.split())`, without the split and join when there is nothing to change.

    Prose blocks mostly come normalised already. Every whitespace character but the plain
    space is unprintable, so printable text with no doubled, leading or trailing space is
    already in normal form.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _last_word(text: str, start: int, end: int) -> str:
    """The word just before a full stop (without scanning the whole sentence)."""
    space = text.rfind(" ", start, end)
    begin = space + 1 if space >= 0 else start
    word = text[begin:end]
    if word.replace(".", "").isalnum():  # the usual case: all of it matches _LAST_WORD
        return word
    match = _LAST_WORD.search(text, begin, end)
    return match.group(1) if match else ""


def _is_abbreviation(before: str) -> bool:
    if not before:
        return False
    word = before.lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # Initials ("J. Borrell") and dotted acronyms ("U.S", "E.U") do not end sentences.
    if len(word) == 1:
        return word.isalpha()
    return "." in word and _DOTTED.fullmatch(word) is not None


# A news dateline before the first sentence: "LONDON, England (CNN) -- ", "Dhaka, Bangladesh
# (CNN)", "WASHINGTON (Reuters) - ", "BRUSSELS — ". It names the wire and the place, not news.
# A bare capitalised word needs five letters: "NATO — the alliance" is not a dateline.
_DATELINE = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4} ?)?\((?:CNN|AP|Reuters|AFP|UPI|dpa|"
    r"Xinhua|Bloomberg)\)\s*(?:(?:--|—|–|-)\s*)?|[A-Z][A-Z'’-]{4,}(?:,? [A-Z][A-Za-z.'’-]+){0,3}"
    r" (?:--|—|–) )(?=[\"“‘'(]?[A-Z0-9])"
)


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading news dateline (unchanged if it has none)."""
    match = _DATELINE.match(sentence)
    return sentence[match.end() :] if match else sentence
