"""Load every briefing of a site: discover, read, check across files.

Owns: reading source bytes, duplicate slugs and URLs, draft filtering.
Must not: enrich or render.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error, with_source
from briefgen.load.briefing import read_briefing
from briefgen.load.discover import SourceFile, discover
from briefgen.model import Briefing, Registry

Reader = Callable[[str, bytes], tuple[Briefing | None, list[Diagnostic]]]


def load_briefings(
    config: SiteConfig, registry: Registry, reader: Reader | None = None
) -> tuple[list[Briefing], list[Diagnostic]]:
    """All briefings (drafts only when config.drafts), with every problem found."""
    sources, diags = discover(config.content_path)

    def default(rel: str, raw: bytes) -> tuple[Briefing | None, list[Diagnostic]]:
        return read_briefing(rel, raw, registry, config.iframe_hosts)

    read = reader or default
    briefings: list[Briefing] = []
    for source in sources:
        briefing, problems = read_source(source, read)
        diags += problems
        if briefing is not None and (config.drafts or not briefing.draft):
            briefings.append(briefing)
    briefings, dupes = drop_duplicates(briefings)
    return briefings, diags + dupes


def read_source(source: SourceFile, read: Reader) -> tuple[Briefing | None, list[Diagnostic]]:
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return None, [error("read-failed", f"cannot read file: {exc.strerror}", source.rel)]
    briefing, diags = read(source.rel, raw)
    if diags:
        diags = with_source(diags, _lines(raw))
    return briefing, diags


def _lines(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def drop_duplicates(briefings: list[Briefing]) -> tuple[list[Briefing], list[Diagnostic]]:
    """Two briefings may not share a slug or claim the same URL; the first (by path) wins."""
    owners: dict[str, str] = {}
    kept: list[Briefing] = []
    diags: list[Diagnostic] = []
    for b in sorted(briefings, key=lambda b: b.source):
        urls = [b.url, *b.aliases]
        clash = next((u for u in urls if u in owners), None)
        if clash:
            diags.append(
                error(
                    "duplicate-url",
                    f"`{clash}` is already used by {owners[clash]}",
                    b.source,
                    1,
                    "give one of them another slug: (or file name)",
                )
            )
            continue
        for url in urls:
            owners[url] = b.source
        kept.append(b)
    return kept, diags


def registry_path(config: SiteConfig) -> Path:
    return config.root / config.topics_file
