"""`briefgen check --explain FILE` (or a slug; `ru/<slug>` in the Russian edition): why a
briefing has its topics, summary, key points and related list: each topic with its
evidence, each chosen sentence with the words that won it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefgen.enrich.summary import explain_choice
from briefgen.model import Enriched, Site


def explain(sites: Sequence[Site], file: str) -> str | None:
    """The explanation of one briefing of any edition (`sites`: the default's first),
    named by its file or its slug; on a multilingual site, `ru/<slug>` (the edition's
    folder, as in its URL) names the Russian one. A bare slug is the default language's
    briefing, or else the first edition's that has it."""
    found = _find(sites, file)
    if found is None:
        return None
    site, match = found
    names = {t.id: t.name for t in site.registry.topics}
    lang = f" [{match.briefing.lang}]" if site.config.edition is not None else ""
    lines = [f"{match.briefing.source}: {match.briefing.title}{lang}", "topics:"]
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


def _find(sites: Sequence[Site], file: str) -> tuple[Site, Enriched] | None:
    content_dir = sites[0].config.content_dir + "/"
    wanted = Path(file).as_posix().removeprefix("./").removeprefix(content_dir)
    for site in sites:  # a file names one briefing in one language
        for e in site.briefings:
            if e.briefing.source == wanted:
                return site, e
    for site in sites:  # `ru/<slug>`: the edition's folder, then its slug
        folder = site.config.edition.folder if site.config.edition else ""
        slug = wanted.removeprefix(folder).strip("/")
        if folder and wanted.startswith(folder) and (e := site.by_slug.get(slug)) is not None:
            return site, e
    for site in sites:  # a bare slug: the default language's, else the first that has it
        if (e := site.by_slug.get(wanted.strip("/"))) is not None:
            return site, e
    return None
