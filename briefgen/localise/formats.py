"""Dates, numbers and the theme's generated phrases in a page's language (Babel).

Owns: the `datefmt` and `number` filters for every language, and translating the topic
reasons the enrich stage writes in English ("title; lead; 6 mentions in 4 blocks").
English keeps the exact strings briefgen has always written (a one-language English site
renders byte for byte as before Babel was used); every other language asks Babel's CLDR
data (`16 июня 2025 г.`, `12 345`).
Must not: read files.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

# Phrases of topic reasons (enrich/topics.py), extracted for `briefgen check` beside the
# templates' own: (msgid, plural or "").
REASON_MESSAGES = (
    ("declared", ""),
    ("title", ""),
    ("lead", ""),
    ("heads a section", ""),
    ("a paragraph about it", ""),
    ("covers %(names)s", ""),
    ("%(num)s mention", "%(num)s mentions"),
    ("in %(num)s block", "in %(num)s blocks"),
    ("(%(num)s in lists)", ""),
)
_COUNT = re.compile(r"(\d+) mentions? in (\d+) blocks?(?: \((\d+) in lists\))?")


def named_reason(text: str, names: Mapping[str, str]) -> str:
    """A topic reason with the topic ids after "covers" given as the topics' names in the
    page's language ("covers kazakhstan, uzbekistan" -> "covers Казахстан, Узбекистан");
    the `reason` filter then translates the phrase. English pages keep the ids (their
    bytes stay as they have always been)."""
    return "; ".join(
        "covers " + ", ".join(names.get(i, i) for i in part[len("covers ") :].split(", "))
        if part.startswith("covers ")
        else part
        for part in text.split("; ")
    )


def formats_for(lang: str, translations: gettext.NullTranslations) -> Formats:
    if lang == "en":
        return Formats(lang, translations, None)
    try:
        return Formats(lang, translations, Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return Formats(lang, translations, None)


@dataclass(frozen=True, slots=True)
class Formats:
    """The formatting filters of one language."""

    lang: str
    translations: gettext.NullTranslations
    locale: Locale | None  # None: English, or a language Babel has no data for

    @property
    def english(self) -> bool:
        return self.locale is None

    def date(self, value: dt.datetime | None, style: str = "long") -> str:
        """long: `16 June 2025` / `16 июня 2025 г.`; month: `June 2025`; day: `16 Jun`."""
        if value is None:
            return ""
        if self.english:
            if style == "month":
                return value.strftime("%B %Y")
            if style == "day":
                return f"{value.day} {value.strftime('%b')}"
            return f"{value.day} {value.strftime('%B %Y')}"
        day = value.date() if isinstance(value, dt.datetime) else value
        if style == "month":
            return format_skeleton("yMMMM", day, locale=self.locale)
        if style == "day":
            return format_skeleton("dMMM", day, locale=self.locale)
        return format_date(day, "long", locale=self.locale)

    def number(self, value: int | float) -> str:
        if self.english:
            return str(value)
        return format_decimal(value, locale=self.locale)

    def plural_samples(self) -> tuple[tuple[str, int], ...]:
        """(CLDR plural category, the smallest whole number in it) for this language, so a
        template can give the browser (Intl.PluralRules) one catalogue form per category:
        Russian ("one", 1), ("few", 2), ("many", 0)."""
        if self.locale is None:
            return (("one", 1), ("other", 0))
        seen: dict[str, int] = {}
        for n in range(200):
            seen.setdefault(self.locale.plural_form(n), n)
        return tuple(sorted(seen.items()))

    def reason(self, text: str) -> str:
        """A topic reason in this language, phrase by phrase (unknown phrases kept)."""
        if self.english:
            return text
        return "; ".join(self._part(part) for part in text.split("; "))

    def _part(self, part: str) -> str:
        t = self.translations
        count = _COUNT.fullmatch(part)
        if count:
            mentions, blocks = int(count[1]), int(count[2])
            out = t.ngettext("%(num)s mention", "%(num)s mentions", mentions) % {
                "num": self.number(mentions)
            }
            out += " " + t.ngettext("in %(num)s block", "in %(num)s blocks", blocks) % {
                "num": self.number(blocks)
            }
            if count[3]:
                out += " " + t.gettext("(%(num)s in lists)") % {"num": self.number(int(count[3]))}
            return out
        if part.startswith("covers "):
            return t.gettext("covers %(names)s") % {"names": part[len("covers ") :]}
        return t.gettext(part)
