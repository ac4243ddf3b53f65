"""Sentences that lean on an earlier one and so cannot open a summary on their own.

Owns: the rules for a dangling start (a reference or connective first, a pronoun after a
short opening phrase, a quote of someone named only earlier). Must not: rank or choose.
"""

from __future__ import annotations

import re

# Words that point back at something said before ("This", "He", "Such deals") ...
_REFERENCE = r"this|that|these|those|it|its|he|she|they|them|their|his|her|him|such(?!\s+as\b)"
# ... sentence adverbs that carry on an argument made before ("However", "Meanwhile") ...
_LINKING = (
    r"however|meanwhile|moreover|furthermore|nevertheless|nonetheless|therefore|consequently|"
    r"accordingly|similarly|likewise"
)
# ... and, at the very start, conjunctions and phrases that do the same.
_CONNECTIVE = (
    r"but|and|or|nor|yet|also|instead|still|thus|so|then|hence|besides|otherwise|indeed|"
    r"additionally|in addition|as a result|by contrast|in contrast|on the other hand|even so|"
    r"at the same time"
)
_QUOTE = "[\"“‘']?"
_DANGLING = re.compile(
    rf"^{_QUOTE}(?:{_REFERENCE}|{_LINKING}|{_CONNECTIVE}|there)\b", re.IGNORECASE
)
# Words that stand for things or people listed before ("Each came with a figure", "Both
# agreed", "The other"), unless a name follows at once ("Both Kazakhstan and Uzbekistan").
_DISTRIBUTIVE = re.compile(
    rf"^{_QUOTE}(?:[Ee]ach|[Bb]oth|[Nn]either|[Ee]ither|[Aa]nother|[Tt]he (?:other|others|latter|"
    r"former|same)|[Oo]thers|[Hh]ere)\b(?! of the\b)(?! [A-Z])"
)
# An answer to a question asked before: "The answer so far is: ...", "The short reply:".
_ANSWER = re.compile(
    rf"^{_QUOTE}(?:the|our|my|his|her|their) (?:\w+ )?(?:answer|reply|response|upshot)\b",
    re.IGNORECASE,
)
# A short adverbial opening phrase, up to its first comma: "Speaking at the summit,", "In
# his speech,", "After that,". It opens with a preposition, a subordinating conjunction, a
# participle or an adverb, so a name in it is rarely the subject a later pronoun needs.
_OPENS_ADVERBIAL = (
    r"about|according|after|against|ahead|amid|among|as|at|before|beyond|by|despite|during|"
    r"following|for|from|given|if|in|like|on|once|since|through|to|under|unlike|until|upon|"
    r"when|where|whereas|while|with|within|without|although|though|because|unless|whether|"
    r"asked|earlier|later|last|next|now|today|yesterday|\w{3,}ing|\w{3,}ed|\w{3,}ly"
)
_OPENER = re.compile(
    rf"^{_QUOTE}((?:{_OPENS_ADVERBIAL})(?: [^\s,;:()\"“”]+){{0,9}}), ", re.IGNORECASE
)
_OPENER_WORDS = 6  # a reference inside a longer opener is too far from the start to count
_AFTER_OPENER = re.compile(rf"{_QUOTE}(?:{_REFERENCE}|{_LINKING})\b", re.IGNORECASE)
_TIME = r"year|years|week|weeks|month|months|spring|summer|autumn|fall|winter|morning|decade"
_IN_OPENER = re.compile(
    rf"\b(?:he|she|him|his|her|it|its|they|them|their|those|then|(?:this|these)(?! (?:{_TIME})\b))"
    r"\b|\bthat$",
    re.IGNORECASE,
)
# A quotation or statement put in the mouth of someone named only before: ", he said".
_SAID = r"said|says|added|argued|noted|told|warned|insisted|explained|wrote|stressed|claimed"
_ATTRIBUTION = re.compile(rf"[,\"”’] (?:he|she|they|it) (?:{_SAID})\b", re.IGNORECASE)


def dangles(text: str) -> bool:
    """Whether a sentence leans on one before it, so that it cannot open a summary alone.

    It does when it opens with a reference or a connective ("This", "He said", "However"),
    when one follows a short opening phrase ("Speaking at the summit, he argued", "In
    practice, however,") or sits inside it ("In his speech, the minister", "After that,"),
    or when it quotes someone named only earlier (", he said"); when it opens on words that
    stand for what was listed before ("Each came with", "Both agreed", "The other") or
    answers a question asked before ("The answer so far is: …"). Conservative: a sentence
    whose antecedent comes with it ("When Tokayev arrived, he said") is passed over too.
    """
    if _DANGLING.match(text) or _ATTRIBUTION.search(text):
        return True
    if _DISTRIBUTIVE.match(text) or _ANSWER.match(text):
        return True
    opener = _OPENER.match(text)
    if opener is None:
        return False
    if _AFTER_OPENER.match(text, opener.end()):
        return True
    phrase = opener.group(1)
    return phrase.count(" ") < _OPENER_WORDS and _IN_OPENER.search(phrase) is not None


# A person named in the summary's first sentence is who a later "he" or "they" means; a
# "This", "However" or "Each" needs the very sentence before it.
_PERSONAL = re.compile(
    rf"^{_QUOTE}(?:he|she|they|his|her|their|him|them)\b|[,\"”’] (?:he|she|they) (?:{_SAID})\b",
    re.IGNORECASE,
)


def leans_on_a_person(text: str) -> bool:
    """Whether what a sentence leans on is only a person named before ("He said", ", she
    added"): in a summary it may then follow any sentence that names them, not just the one
    right before it.
    """
    if not _PERSONAL.search(text):
        return False
    rest = _PERSONAL.sub("", text, count=1)
    return not _DANGLING.match(rest.lstrip(" ,"))
