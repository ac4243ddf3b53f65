"""The publishing desk around the briefings: author profiles, series, standalone pages.

Owns: assembling the Desk value and the checks that need the briefings: a profile no
briefing names (`unused-profile`), two spellings that share an author page without a
profile (`author-spellings`, naming both files), a `series:` not in series.yaml
(`unknown-series`), and parts missing or given twice in a series ordered by part.
Must not: render anything or look at the output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, closest, warning
from briefgen.load.authors import load_profiles, spellings
from briefgen.load.pages import load_pages, load_series
from briefgen.model import AuthorProfile, Briefing, Desk, SeriesInfo
from briefgen.slug import slugify


def load_desk(
    config: SiteConfig, briefings: Iterable[Briefing], everything: Iterable[Briefing]
) -> tuple[Desk, list[Diagnostic]]:
    """The desk of the published `briefings`; `everything` (drafts too) decides whether a
    profile is used at all. A multilingual site's desk is its default language's, with
    every language's own desk in `editions` (a problem found in several is told once)."""
    if not config.multilingual:
        return _load_desk(config, briefings, everything, "", None)
    codes = [x.code for x in config.languages]
    published = list(briefings)
    everything = list(everything)
    names: dict[str, str] = {}
    for code in codes:  # any language's spelling of a name makes its profile used
        profiles, _, _ = load_profiles(config, code)
        names.update(spellings(profiles)[0])
    desks: dict[str, Desk] = {}
    diags: list[Diagnostic] = []
    for code in codes:
        mine = [b for b in published if b.lang == code]
        desks[code], found = _load_desk(config, mine, everything, code, names)
        diags += [d for d in found if d not in diags]
    return replace(desks[codes[0]], editions=desks), diags


def _load_desk(
    config: SiteConfig,
    briefings: Iterable[Briefing],
    everything: Iterable[Briefing],
    lang: str,
    used_names: dict[str, str] | None,
) -> tuple[Desk, list[Diagnostic]]:
    published = sorted(briefings, key=lambda b: b.source)
    profiles, photos, diags = load_profiles(config, lang)
    names, problems = spellings(profiles)
    diags += problems
    series, problems = load_series(config, lang)
    diags += problems
    pages, problems = load_pages(config, lang)
    diags += problems
    diags += _unused(profiles, used_names or names, everything)
    diags += _shared_slugs(published, names)
    by_id = {s.id: s for s in series}
    diags += _series_checks(published, by_id)
    desk = Desk(
        profiles={p.slug: p for p in profiles},
        spellings=names,
        series=by_id,
        pages=tuple(pages),
        files=photos,
    )
    return desk, diags


def _unused(
    profiles: list[AuthorProfile], names: dict[str, str], everything: Iterable[Briefing]
) -> list[Diagnostic]:
    used = {names.get(a.casefold()) for b in everything for a in b.authors}
    return [
        warning(
            "unused-profile",
            f"no briefing names `{p.name}`{' or a variant' if p.variants else ''}",
            p.file,
            p.line,
            "add the name to a briefing's authors:, list the spelling used under variants:, "
            "or remove the profile",
        )
        for p in profiles
        if p.slug not in used
    ]


def _shared_slugs(published: list[Briefing], names: dict[str, str]) -> list[Diagnostic]:
    """Spellings without a profile that lead to one author page ("Jöhn Smith" and "John
    Smith"): probably one person written two ways, or two people whose pages would merge."""
    first: dict[str, dict[str, str]] = defaultdict(dict)  # slug -> spelling -> first file
    for b in published:
        for a in b.authors:
            if a.casefold() not in names:
                first[slugify(a)].setdefault(a, b.source)
    diags = []
    for slug, seen in sorted(first.items()):
        if len(seen) < 2:
            continue
        (one, file_one), *others = sorted(seen.items(), key=lambda kv: (kv[1], kv[0]))
        for other, file_other in others:
            diags.append(
                warning(
                    "author-spellings",
                    f"`{one}` ({file_one}) and `{other}` ({file_other}) share the page "
                    f"/authors/{slug}/",
                    file_other,
                    0,
                    f"if they are one person, add a profile for `{one}` with variants: "
                    f"[{other}] (authors.yaml); otherwise spell them apart",
                )
            )
    return diags


def _series_checks(published: list[Briefing], series: dict[str, SeriesInfo]) -> list[Diagnostic]:
    diags = []
    parts: dict[str, dict[int, str]] = defaultdict(dict)
    for b in published:
        if not b.series:
            continue
        info = series.get(b.series)
        if info is None:
            guess = closest(b.series, series)
            diags.append(
                warning(
                    "unknown-series",
                    f"series `{b.series}` is not in series.yaml; the briefing is in no series",
                    b.source,
                    b.series_line,
                    f"did you mean `{guess}`?"
                    if guess
                    else f"add - {{id: {b.series}, title: ...}} to series.yaml",
                )
            )
        elif info.order == "part" and not b.part:
            diags.append(
                warning(
                    "missing-part",
                    f"series `{b.series}` is ordered by part; this briefing has no `part:`",
                    b.source,
                    b.series_line,
                    "add part: N (it is placed after the numbered parts, by date)",
                )
            )
        elif b.part and b.part in parts[b.series]:
            diags.append(
                warning(
                    "duplicate-part",
                    f"part {b.part} of `{b.series}` is also {parts[b.series][b.part]}",
                    b.source,
                    b.series_line,
                    "give each piece of a series its own part: number",
                )
            )
        elif b.part:
            parts[b.series][b.part] = b.source
    return diags
