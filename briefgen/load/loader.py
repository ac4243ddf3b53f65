"""Load every briefing of a site: discover, read, check across files.

Owns: reading source bytes, duplicate slugs and URLs, draft filtering.
Must not: enrich or render.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.cache import Cache, encode, key_of
from briefgen.config import SiteConfig
from briefgen.deps import parse_key
from briefgen.diagnostics import Diagnostic, error, with_source
from briefgen.load.briefing import LOADER_VERSION, read_briefing
from briefgen.load.discover import SourceFile, discover
from briefgen.load.placeholders import unfinished_ok
from briefgen.load.schedule import shown
from briefgen.load.translations import assign_languages
from briefgen.model import Briefing, Registry
from briefgen.parallel import parallel_iter

Key = tuple[str, str]  # (path, content hash)
Result = tuple[Briefing | None, list[Diagnostic]]
# A file whose mtime is this close to the moment it was looked at may change again without
# its stat changing (coarse file-system clocks): such a file is always re-read ("racy git").
RACY_NS = 2_000_000_000


@dataclass
class Memo:
    """What a build parsed, for the next build in the same process (the dev server)."""

    results: dict[Key, Result] = field(default_factory=dict)
    # path -> (stat stamp, key, when the stamp was taken): an unchanged stamp means unchanged
    # bytes, so the file is not even read
    stamps: dict[str, tuple[tuple[int, ...], Key, int]] = field(default_factory=dict)

    def known(self, source: SourceFile) -> Key | None:
        """The key of `source` when its stamp proves it unchanged since it was read."""
        seen = self.stamps.get(source.rel)
        if not seen or not source.stamp or seen[0] != source.stamp:
            return None
        if source.stamp[0] >= seen[2] - RACY_NS or seen[1] not in self.results:
            return None
        return seen[1]


def load_briefings(
    config: SiteConfig,
    registry: Registry,
    memo: Memo | None = None,
    cache: Cache | None = None,
    *,
    drafts: bool | None = None,
    future: bool = False,
    expired: bool = False,
    now: dt.datetime | None = None,
) -> tuple[list[Briefing], list[Diagnostic], Memo]:
    """All briefings (drafts only when `drafts`, by default as config.drafts says; briefings
    scheduled after `now` only with `future`, those expired by then only with `expired`,
    marked: load/schedule.py), every problem found, and a memo.

    The memo maps (path, content hash) to the parse result, so a later build (the dev
    server) re-parses only files whose bytes changed, and re-reads only files whose stat
    changed; the persistent cache does the same across runs. Parsing runs on all cores.
    """
    sources, diags = discover(config.content_path)
    drafts = config.drafts if drafts is None else drafts
    memo = memo or Memo()
    cache = cache or Cache(None)
    salt = key_of(LOADER_VERSION, parse_key(config, registry))  # deps.py: what parsing reads
    fresh = Memo()
    unknown: list[tuple[str, bytes, Key, str]] = []
    for source in sources:
        key = memo.known(source)
        if key is not None:
            fresh.results[key] = memo.results[key]
            fresh.stamps[source.rel] = memo.stamps[source.rel]
            continue
        seen_at = time.time_ns()
        try:
            raw = read_source(source.path)
        except OSError as exc:
            diags.append(error("read-failed", f"cannot read file: {exc.strerror}", source.rel))
            continue
        key = (source.rel, hashlib.blake2b(raw, digest_size=16).hexdigest())
        fresh.stamps[source.rel] = (source.stamp, key, seen_at)
        if key in memo.results:
            fresh.results[key] = memo.results[key]
        else:
            unknown.append((source.rel, raw, key, key_of(salt, source.rel, raw)))
    fresh.results.update(_parse(unknown, registry, (config.iframe_hosts, config.base_path), cache))
    now = now or dt.datetime.now(dt.UTC)
    if config.multilingual:
        briefings, more = _editions(config, fresh, drafts, future, expired, now)
        return briefings, diags + more, fresh
    briefings: list[Briefing] = []
    for key in sorted(fresh.results):
        briefing, problems = fresh.results[key]
        if briefing is None:
            diags += problems
            continue
        show, briefing = shown(briefing, now, future=future, expired=expired)
        if (briefing.draft and not drafts) or not show:
            problems = unfinished_ok(problems)  # one left out may still be unwritten
        diags += problems
        if show and (drafts or not briefing.draft):
            briefings.append(briefing)
    briefings, dupes = drop_duplicates(briefings)
    return briefings, diags + dupes, fresh


def _editions(
    config: SiteConfig, fresh: Memo, drafts: bool, future: bool, expired: bool, now: dt.datetime
) -> tuple[list[Briefing], list[Diagnostic]]:
    """A multilingual site's briefings: every file is paired first (a draft, scheduled or
    expired original still has its translations), then each is shown by its own window
    and its original's (load/schedule.py: a translation is not public before its
    original is), then duplicates are found per language (each has its own URLs)."""
    diags: list[Diagnostic] = []
    parsed: list[Briefing] = []
    problems_of: dict[str, list[Diagnostic]] = {}
    for key in sorted(fresh.results):
        briefing, problems = fresh.results[key]
        if briefing is None:
            diags += problems
        else:
            parsed.append(briefing)
            problems_of[briefing.source] = problems
    paired, pairing = assign_languages(parsed, tuple(x.code for x in config.languages))
    diags += pairing
    by_source = {b.source: b for b in paired}
    for source in sorted(set(problems_of) - set(by_source)):  # a file the pairing refused
        diags += problems_of[source]
    briefings: list[Briefing] = []
    for b in paired:
        original = by_source.get(b.translation_of) if b.translation_of else None
        show, b = shown(b, now, future=future, expired=expired, original=original)
        problems = problems_of[b.source]
        if (b.draft and not drafts) or not show:
            problems = unfinished_ok(problems)
        diags += problems
        if show and (drafts or not b.draft):
            briefings.append(b)
    kept: list[Briefing] = []
    for code in [x.code for x in config.languages]:
        mine, dupes = drop_duplicates([b for b in briefings if b.lang == code])
        kept += mine
        diags += dupes
    return kept, diags


def _parse(
    unknown: list[tuple[str, bytes, Key, str]],
    registry: Registry,
    options: tuple[tuple[str, ...], str],
    cache: Cache,
) -> dict[Key, Result]:
    """Parse results for files not seen by this process: from the persistent cache, else
    parsed on all cores (and stored)."""
    cached = cache.get_many("parse", [cache_key for *_, cache_key in unknown])
    results = {key: cached[ck] for *_, key, ck in unknown if isinstance(cached.get(ck), tuple)}
    todo = [job for job in unknown if job[2] not in results]
    # Workers get indices: forked, they inherit `todo` instead of receiving it pickled.
    jobs = [(rel, raw) for rel, raw, _, _ in todo]
    payloads = parallel_iter(_read_one, range(len(jobs)), (registry, options, jobs))
    parsed = cache.keep("parse", zip([job[3] for job in todo], payloads, strict=True))
    results.update((job[2], result) for job, result in zip(todo, parsed, strict=True))
    return results


def read_source(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _read_one(
    context: tuple[Registry, tuple[tuple[str, ...], str], list[tuple[str, bytes]]], index: int
) -> bytes:
    """One file's parse result, encoded for the cache (see `briefgen.cache.encode`)."""
    registry, (hosts, base_path), jobs = context
    rel, raw = jobs[index]
    briefing, diags = read_briefing(rel, raw, registry, hosts, base_path)
    return encode((briefing, with_source(diags, _lines(raw)) if diags else diags))


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
