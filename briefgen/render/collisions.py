"""Output paths that one host would take for the same file.

Owns: finding output paths that differ only by letter case or Unicode normalisation
(`static/Logo.png` and `static/logo.png`; `café` written precomposed and decomposed): on a
case-insensitive or normalising file system (macOS, Windows) or host, one silently replaces
the other. Each pair is an error naming the files both came from (two spellings of an
author sharing one page are load/desk.py's `author-spellings` warning).
Must not: touch the file system.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import Site


def folded(path: str) -> str:
    """What a case-insensitive, normalisation-insensitive host sees of `path`."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


def case_clashes(paths: Iterable[str], owners: Mapping[str, str]) -> list[Diagnostic]:
    """An error for each group of distinct paths that fold to the same one. `owners`: the
    source file each output path comes from, where known."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        groups[folded(path)].append(path)
    diags = []
    for group in sorted(g for g in groups.values() if len(set(g)) > 1):
        first, second = sorted(set(group))[:2]
        a, b = owners.get(first, first), owners.get(second, second)
        diags.append(
            error(
                "url-case-clash",
                f"`{first}` (from {a}) and `{second}` (from {b}) differ only by letter case "
                "or Unicode normalisation: on a case-insensitive host one replaces the other",
                owners.get(second, ""),
                0,
                "rename one of the two files (or change the alias or slug) so the URLs differ",
            )
        )
    return diags


def owners_of(site: Site, static_sources: Mapping[str, str]) -> dict[str, str]:
    """Output path -> the source file it comes from: briefing pages and aliases, bundle
    files, static files (`static_sources`: output path -> source)."""
    owners = dict(static_sources)
    for e in site.briefings:
        b = e.briefing
        owners[b.url.strip("/") + "/index.html"] = b.source
        for alias in b.aliases:
            owners[alias.strip("/") + "/index.html"] = f"{b.source} (alias {alias})"
    for bundle in site.bundles.values():
        for asset in bundle.assets:
            owners[asset.path] = asset.source
    return owners
