"""`briefgen check --explain FILE`: why a briefing has its topics, summary, key points and
related list: each topic with its evidence, each chosen sentence with the words that won it.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.enrich.summary import explain_choice
from briefgen.model import Site


def explain(site: Site, file: str) -> str | None:
    wanted = Path(file).as_posix().removeprefix(site.config.content_dir + "/")
    match = next(
        (e for e in site.briefings if e.briefing.source == wanted or e.briefing.slug == wanted),
        None,
    )
    if match is None:
        return None
    names = {t.id: t.name for t in site.registry.topics}
    lines = [f"{match.briefing.source}: {match.briefing.title}", "topics:"]
    lines += [f"  {t.id:<28} {t.reason}" for t in match.topics]
    lines.append(f"summary ({match.summary_source}): {match.summary}")
    why_summary, why_points = explain_choice(match.briefing)
    lines += [f"  why: {w}" for w in why_summary]
    lines.append("key points:")
    if match.briefing.key_points:
        why_points = ["written by the author (front matter `key_points`)"] * len(match.key_points)
    for point, why in zip(match.key_points, why_points, strict=False):
        lines += [f"  - {point}", f"    why: {why}"]
    lines.append("related:")
    for r in match.related:
        shared = ", ".join(names.get(t, t) for t in r.shared) or "similar wording"
        lines.append(f"  {r.slug:<40} {r.score:.2f}  shares: {shared}")
    return "\n".join(lines)
