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
    ]
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace,
# then something that can open a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+)(["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])""")
_LAST_WORD = re.compile(r"([\w.]+)$")


def split_sentences(text: str) -> list[str]:
    """Split a block of prose into sentences; text without boundaries is one sentence."""
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(1) == "." and _is_abbreviation(_last_word(text, start, match.start())):
            continue
        end = match.end(2)
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def _last_word(text: str, start: int, end: int) -> str:
    """The word just before a full stop (without scanning the whole sentence)."""
    space = text.rfind(" ", start, end)
    match = _LAST_WORD.search(text, space + 1 if space >= 0 else start, end)
    return match.group(1) if match else ""


def _is_abbreviation(before: str) -> bool:
    if not before:
        return False
    word = before.lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # Initials ("J. Borrell") and dotted acronyms ("U.S", "E.U") do not end sentences.
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
