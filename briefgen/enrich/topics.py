"""Topic detection: which registry topics a briefing is substantially about, and why.

Owns: salience scoring (title and lead weigh more; frequency; spread over the text),
context rules for ambiguous names, parent topics implied by several children, and a
human-readable reason per topic. Declared topics always stay.
Must not: render or link anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from briefgen.enrich.matcher import NAME, Matcher
from briefgen.model import Briefing, Registry, TopicMatch

LEAD_BLOCKS = 2  # the first two prose blocks count as the lead
PROSE = ("p", "li", "quote", "heading", "cell")


@dataclass(slots=True)
class _Evidence:
    title: int = 0
    lead: int = 0
    names: int = 0
    signals: int = 0
    headings: int = 0
    blocks: set[int] = field(default_factory=set)

    @property
    def weight(self) -> float:
        return self.names + 0.5 * self.signals + 0.5 * self.headings

    def reason(self) -> str:
        parts = ["title"] if self.title else []
        if self.lead:
            parts.append("lead")
        mentions = self.names + self.signals
        parts.append(
            f"{mentions} mention{'s' * (mentions != 1)} in {len(self.blocks)} "
            f"block{'s' * (len(self.blocks) != 1)}"
        )
        return "; ".join(parts)


def gather(briefing: Briefing, matcher: Matcher) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    for hit in matcher.find(briefing.title):
        evidence[hit.topic].title += 1
    prose_index = 0
    for index, block in enumerate(briefing.doc.blocks):
        if block.kind not in PROSE:
            continue
        for hit in matcher.find(block.text):
            ev = evidence[hit.topic]
            if hit.strength == NAME:
                ev.names += 1
            else:
                ev.signals += 1
            ev.headings += block.kind == "heading"
            ev.lead += prose_index < LEAD_BLOCKS
            ev.blocks.add(index)
        prose_index += 1
    return evidence


def detect_topics(
    briefing: Briefing, registry: Registry, matcher: Matcher
) -> tuple[TopicMatch, ...]:
    """Declared topics first (in order), then detected ones by salience."""
    evidence = gather(briefing, matcher) if briefing.topics_auto else {}
    evidence = {t: ev for t, ev in evidence.items() if _in_context(t, briefing, registry)}
    found: dict[str, TopicMatch] = {}
    for topic_id in briefing.topics:
        ev = evidence.get(topic_id)
        reason = "declared" + (f"; {ev.reason()}" if ev else "")
        found[topic_id] = TopicMatch(topic_id, 1000.0, reason, True)
    threshold = 4.0 + briefing.doc.words / 1000  # tuned on benchmarks/quality
    for topic_id, ev in sorted(evidence.items()):
        if topic_id not in found and _substantial(ev, threshold):
            found[topic_id] = TopicMatch(topic_id, _score(ev), ev.reason(), False)
    if briefing.topics_auto:
        found.update(_implied_parents(found, registry))
    declared = [m for m in found.values() if m.declared]
    detected = sorted((m for m in found.values() if not m.declared), key=lambda m: (-m.score, m.id))
    return tuple(declared + detected)


def _score(ev: _Evidence) -> float:
    return round(3 * min(ev.title, 1) + 1.5 * min(ev.lead, 2) + ev.weight + len(ev.blocks), 3)


def _substantial(ev: _Evidence, threshold: float) -> bool:
    if ev.title:
        return True
    if ev.lead and ev.weight >= 3 and len(ev.blocks) >= 2:
        return True
    return ev.weight >= threshold and len(ev.blocks) >= 2


def _in_context(topic_id: str, briefing: Briefing, registry: Registry) -> bool:
    """An ambiguous name (Georgia) counts only when one of its context words appears."""
    topic = registry.by_id.get(topic_id)
    if topic is None or not topic.context:
        return True
    text = " ".join([briefing.title, *(b.text for b in briefing.doc.blocks)]).casefold()
    return any(word.casefold() in text for word in topic.context)


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
