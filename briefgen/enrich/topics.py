"""Topic detection: which registry topics a briefing is substantially about, and why.

Owns: salience scoring (title and lead weigh more; frequency; spread over the text; a
section or a paragraph about the topic), context rules for ambiguous names, member lists,
parent topics implied by several children, and a human-readable reason per topic. Declared
topics always stay.
Must not: render or link anything.

The editor's rule is "substantially about it: a paragraph or a recurring thread, not a
passing mention". A topic qualifies by the first of these that holds (see _substantial):
the title names it; the lead names it and a later block returns to it; a section heading
names it and the section's body mentions it; one paragraph is about it (it weighs the most
there, at least PARAGRAPH); or a thread through the text outweighs a threshold that grows
with the length of the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from briefgen.enrich.matcher import NAME, Hit, Matcher
from briefgen.model import Block, Briefing, Registry, TopicMatch

LEAD_BLOCKS = 2  # the first two prose blocks count as the lead
PROSE = ("p", "li", "quote", "heading", "cell")
SIGNAL_WEIGHT = 0.5  # a demonym, capital or metonym is half a name
LISTED_WEIGHT = SIGNAL_WEIGHT  # an item of "Kazakhstan, Kyrgyzstan and Uzbekistan" too
HEADING_BONUS = 0.5
LEAD_WEIGHT = 3.0  # lead + a later block: the weight it takes
PARAGRAPH = 2.0  # weight within one block that makes it a paragraph about the topic
LIST_MIN = 3  # a pair ("Armenia and Azerbaijan") is still two real mentions
# A thread must outweigh THREAD_BASE + a per-1,000-words allowance: any name recurs more in a
# longer text, a theme's common nouns ("trade", "energy") fastest of all.
THREAD_BASE = 4.0
THREAD_PER_1000 = {"theme": 1.0}
THREAD_PER_1000_OTHER = 0.5
# Between two items of a list: only a comma, slash, dash or "and"/"or" (and "the").
_LIST_GAP = re.compile(
    r"\s*(?:[,/&–—-]\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)(?:the\s+)?", re.IGNORECASE
)
_LIST_GAP_MAX = len(", and the ")
# Joins the prose blocks for one matcher pass; not a word character, so no name matches
# across it, and not a list separator, so no list runs across it.
_JOIN = "\n\x00\n"


@dataclass(slots=True)
class _Evidence:
    title: int = 0
    lead: int = 0
    names: int = 0
    signals: int = 0
    listed: int = 0
    headings: int = 0
    blocks: dict[int, float] = field(default_factory=dict)  # block index -> weight there
    paragraph: bool = False  # one block weighs PARAGRAPH for it and no more for another
    heads: tuple[int, ...] = ()  # sections whose heading names it
    section: bool = False  # the body of one of those sections mentions it too

    @property
    def weight(self) -> float:
        return (
            self.names
            + SIGNAL_WEIGHT * self.signals
            + LISTED_WEIGHT * self.listed
            + HEADING_BONUS * self.headings
        )

    def reason(self, rule: str = "") -> str:
        parts = ["title"] if self.title else []
        if self.lead:
            parts.append("lead")
        mentions = self.names + self.signals + self.listed
        count = (
            f"{mentions} mention{'s' * (mentions != 1)} in {len(self.blocks)} "
            f"block{'s' * (len(self.blocks) != 1)}"
        )
        if self.listed:
            count += f" ({self.listed} in lists)"
        parts.append(count)
        if rule:
            parts.append(rule)
        return "; ".join(parts)


# A prose block's place: (index in the briefing, section, is a heading, is in the lead, offset
# in the joined text where it ends). Plain tuples: layout() makes one per block.
Slot = tuple[int, int, bool, bool, int]


def layout(blocks: tuple[Block, ...]) -> tuple[list[Slot], str]:
    """The prose blocks' places, and their text joined for one matcher pass.

    A heading after some prose opens the next section; section 0 is the lead (and the
    title), so a heading before any prose still belongs to it.
    """
    slots: list[Slot] = []
    texts: list[str] = []
    section = prose = 0
    end = -len(_JOIN)
    for index, block in enumerate(blocks):
        heading = block.kind == "heading"
        if heading:
            section += prose > 0
            prose = 0
        elif block.kind not in PROSE:
            continue
        else:
            prose += 1
        end += len(_JOIN) + len(block.text)
        slots.append((index, section, heading, len(texts) < LEAD_BLOCKS, end))
        texts.append(block.text)
    return slots, _JOIN.join(texts)


def list_items(text: str, hits: list[Hit]) -> set[int]:
    """Indices of hits that are items of a list: LIST_MIN or more hits in a row, each of
    another topic than the one before, with only a list separator between them.
    """
    items: set[int] = set()
    first = 0
    for i in range(1, len(hits) + 1):
        if i < len(hits):
            a, b = hits[i - 1], hits[i]
            if (
                b.start - a.end <= _LIST_GAP_MAX
                and b.topic != a.topic
                and _LIST_GAP.fullmatch(text, a.end, b.start)
            ):
                continue
        if i - first >= LIST_MIN:
            items.update(range(first, i))
        first = i
    return items


def gather(briefing: Briefing, matcher: Matcher) -> dict[str, _Evidence]:
    """Evidence per topic; hits of ambiguous names without context nearby are dropped."""
    slots, text = layout(briefing.doc.blocks)
    context = matcher.context
    near = _Nearby(briefing.title, text, slots, context)
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    for hit in matcher.find(briefing.title):
        if near.ok(hit.topic, 0):
            evidence[hit.topic].title += 1
    hits = matcher.find(text)
    listed = list_items(text, hits) if len(hits) >= LIST_MIN else ()
    places = iter(slots)
    index, section, heading, lead, end = -1, 0, False, True, -1
    strong = False  # some topic weighs PARAGRAPH in some block
    for i, hit in enumerate(hits):
        while hit.start >= end:  # hits and slots are both in text order
            index, section, heading, lead, end = next(places)
        topic_id = hit.topic
        if topic_id in context and not near.ok(topic_id, section):
            continue
        ev = evidence[topic_id]
        # in the lead a list sets out what the briefing covers; later it is an aside
        if listed and i in listed and not lead:
            ev.listed += 1
            weight = LISTED_WEIGHT
        elif hit.strength == NAME:
            ev.names += 1
            weight = 1.0
            if heading:  # named outright, not as one item of a list
                ev.heads = (*ev.heads, section)
        else:
            ev.signals += 1
            weight = SIGNAL_WEIGHT
        weight += ev.blocks.get(index, 0.0)
        ev.blocks[index] = weight
        strong = strong or weight >= PARAGRAPH
        ev.lead += lead
        if heading:
            ev.headings += 1
        elif ev.heads and section in ev.heads:
            ev.section = True
    if strong:
        _mark_paragraphs(evidence)
    return evidence


def _mark_paragraphs(evidence: dict[str, _Evidence]) -> None:
    """A block where a topic weighs PARAGRAPH, and no other topic more, is about it."""
    top: dict[int, float] = {}
    for ev in evidence.values():
        for index, weight in ev.blocks.items():
            if weight > top.get(index, 0.0):
                top[index] = weight
    for ev in evidence.values():
        ev.paragraph = any(w >= PARAGRAPH and w == top[i] for i, w in ev.blocks.items())


class _Nearby:
    """Whether an ambiguous name has one of its context words nearby: in its section.

    "Georgia" under "## Why Georgia matters", next to Atlanta and Plant Vogtle, stays the US
    state even if the South Caucasus comes up three sections later; a title goes with the
    lead.
    """

    def __init__(
        self, title: str, text: str, slots: list[Slot], context: dict[str, tuple[str, ...]]
    ) -> None:
        self.context = context
        self._title, self._text, self._slots = title, text, slots
        self._sections: list[str] = []  # casefolded text per section, made on first need
        self._cache: dict[tuple[str, int], bool] = {}

    def ok(self, topic_id: str, section: int) -> bool:
        words = self.context.get(topic_id)
        if not words:
            return True
        key = (topic_id, section)
        if key not in self._cache:
            text = self._section(section)
            self._cache[key] = any(word in text for word in words)
        return self._cache[key]

    def _section(self, section: int) -> str:
        if not self._sections:
            parts = [self._title]
            start = 0
            for _, number, _, _, end in self._slots:
                if number == len(parts):
                    parts.append("")
                parts[number] += " " + self._text[start:end]
                start = end
            self._sections = [p.casefold() for p in parts]
        return self._sections[section]


def detect_topics(
    briefing: Briefing, registry: Registry, matcher: Matcher
) -> tuple[TopicMatch, ...]:
    """Declared topics first (in order), then detected ones by salience."""
    evidence = gather(briefing, matcher) if briefing.topics_auto else {}
    found: dict[str, TopicMatch] = {}
    for topic_id in briefing.topics:
        ev = evidence.get(topic_id)
        reason = "declared" + (f"; {ev.reason()}" if ev else "")
        found[topic_id] = TopicMatch(topic_id, 1000.0, reason, True)
    words = briefing.doc.words
    for topic_id, ev in sorted(evidence.items()):
        if topic_id in found:
            continue
        topic = registry.by_id.get(topic_id)
        rule = _substantial(ev, topic.kind if topic else "", words)
        if rule is not None:
            found[topic_id] = TopicMatch(topic_id, _score(ev), ev.reason(rule), False)
    if briefing.topics_auto:
        found.update(_implied_parents(found, registry))
    declared = [m for m in found.values() if m.declared]
    detected = sorted((m for m in found.values() if not m.declared), key=lambda m: (-m.score, m.id))
    return tuple(declared + detected)


def _score(ev: _Evidence) -> float:
    return round(3 * min(ev.title, 1) + 1.5 * min(ev.lead, 2) + ev.weight + len(ev.blocks), 3)


def thread_threshold(kind: str, words: int) -> float:
    return THREAD_BASE + THREAD_PER_1000.get(kind, THREAD_PER_1000_OTHER) * words / 1000


def _substantial(ev: _Evidence, kind: str, words: int) -> str | None:
    """None, or what makes the topic substantial beyond the evidence in its reason."""
    if ev.title:
        return ""
    if ev.lead and ev.weight >= LEAD_WEIGHT and len(ev.blocks) >= 2:
        return ""
    if ev.section:
        return "heads a section"
    # a theme's name is a common noun: twice in a paragraph is not yet a paragraph about it
    if ev.paragraph and kind != "theme":
        return "a paragraph about it"
    if ev.weight >= thread_threshold(kind, words) and len(ev.blocks) >= 2:
        return ""
    return None


def _implied_parents(found: dict[str, TopicMatch], registry: Registry) -> dict[str, TopicMatch]:
    """A briefing about two or more children of a region is about the region too."""
    by_parent: dict[str, list[str]] = defaultdict(list)
    for topic_id in found:
        parent = registry.by_id[topic_id].parent if topic_id in registry.by_id else None
        if parent and parent not in found:
            by_parent[parent].append(topic_id)
    return {
        parent: TopicMatch(parent, 1.0 * len(kids), "covers " + ", ".join(sorted(kids)), False)
        for parent, kids in sorted(by_parent.items())
        if len(kids) >= 2
    }
