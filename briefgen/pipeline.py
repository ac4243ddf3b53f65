"""The build, as one short list of stages: load -> enrich -> render -> check -> write.

Invariant: everything is gathered and checked before anything is written; with any error,
the output folder is left exactly as it was. `build` is given the config (what the site
is), the options (what this build is for: briefgen/options.py) and the last build's state
(briefgen/state.py: what it may reuse); it returns the result with the next state. A
build given no state is a clean build. The up-to-date short cut is the caller's business
(briefgen/commands.py): `build` always builds.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from briefgen import deps
from briefgen.cache import Cache, open_cache
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, as_strict, sorted_diagnostics, summary_line
from briefgen.editions import EditionMemo, build_editions
from briefgen.enrich.enricher import EnrichMemo, enrich_site
from briefgen.load.bundles import Bundles, load_bundles
from briefgen.load.desk import load_desk
from briefgen.load.loader import Memo, load_briefings, registry_path
from briefgen.load.placeholders import as_errors
from briefgen.load.registry import RegistryMemo, read_registry
from briefgen.load.schedule import next_change
from briefgen.model import Briefing, Desk, OutputFile, Registry, Site
from briefgen.options import PUBLISH, BuildOptions
from briefgen.render.images import ImageStore
from briefgen.render.linkcheck import check_links, still_broken
from briefgen.render.pdf import PdfStore, make_pdfs
from briefgen.render.pdfplan import pdf_note, with_pdfs
from briefgen.render.renderer import Rendered, RenderMemo, render_site
from briefgen.state import BuildState
from briefgen.templatedirs import input_folders
from briefgen.write import WriteStats, check_output, write_changed, write_site
from briefgen.write.lock import output_lock

log = logging.getLogger("briefgen")
StageHook = Callable[[str, float | None], None]  # (stage, None) as it starts, (stage, s) at end


@dataclass(frozen=True, slots=True)
class BuildResult:
    config: SiteConfig
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None = None
    rendered: Rendered | None = None
    written: WriteStats | None = None
    seconds: float = 0.0
    state: BuildState = field(default_factory=BuildState)  # for the next build to reuse
    counts: tuple[int, int] = (0, 0)  # briefings, topics
    images: ImageStore = field(default_factory=ImageStore)  # image sizes and variants
    until: dt.datetime | None = None  # next moment a scheduled briefing is due or expires
    pdfs_made: int = 0  # PDFs laid out by WeasyPrint (the rest came from the state or cache)
    sites: tuple[Site, ...] = ()  # every language's edition, the default's (`site`) first

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def summary_line(self) -> str:
        return summary_line(self.counts, self.diagnostics, self.seconds)


def build(
    config: SiteConfig,
    options: BuildOptions = PUBLISH,
    state: BuildState | None = None,
    *,
    config_diags: list[Diagnostic] | tuple[Diagnostic, ...] = (),
    now: dt.datetime | None = None,
    on_stage: StageHook | None = None,
) -> BuildResult:
    """Build the site; write it only if there are no errors. `now` is the moment that
    decides which scheduled and expired briefings are public (default: the clock's);
    `on_stage` is told as each stage starts and ends (the CLI's progress display)."""
    started, timer, last = time.perf_counter(), _Timer(on_stage), state or BuildState()
    now = now or dt.datetime.now(dt.UTC)
    cache, cache_diags = open_cache(config.root, options.cache)
    images = ImageStore(cache, dict(last.images))
    # 1. load: the registry; every briefing (parsed again only when its bytes or
    #    deps.parse_key changed); the files bundled with them
    loaded = _load(config, options, last, cache, now, timer)
    diags = [*config_diags, *cache_diags, *loaded.problems]
    # 2. enrich: topics, summaries, related, links; 3. render: every output, in memory
    sites, rendered, memos, render_problems = _enrich_and_render(
        config, options, loaded, last, cache, images, timer
    )
    site = sites[0]  # the default language's
    diags += render_problems
    # the briefings' PDFs (issue 19), every edition's: laid out from the rendered pages,
    # kept by content key
    pdfs = PdfStore(cache, dict(last.pdfs))
    made, problems = timer("pdf", make_pdfs, sites, rendered.files, pdfs)
    diags += problems
    if made:
        files = tuple(sorted((*rendered.files, *made), key=lambda f: f.path))
        rendered = replace(rendered, files=files)
    # 4. check: internal links (after an edit, only in the outputs it changed)
    changed = _changed(rendered, last.output)
    if not any(d.is_error for d in render_problems):  # a failed page is not a broken link
        diags += timer("links", check_links, rendered.files, site, changed)
    if changed is not None:  # what the unchanged pages still have
        diags += still_broken(last.diagnostics, changed, site)
    diags = as_errors(diags) if options.release else diags  # placeholder text is an error
    diags = as_strict(diags) if options.strict else diags
    # 5. write: only with no error; staged and swapped in, or in place (the dev server)
    written = None
    if options.write and not any(d.is_error for d in diags):
        written, problems = timer("write", _write, config, options, rendered, last)
        diags += problems
    final = tuple(sorted_diagnostics(diags))
    # After a failed or partial write, the next in-place write checks against the manifest.
    state = BuildState(
        loaded.registry_memo,
        loaded.sources,
        loaded.parse_key,
        *memos,
        written=written.memo if written is not None else None,
        images=images.memory,
        output=rendered.files,
        diagnostics=final,
        pdfs=pdfs.memory,
    )
    log.debug("timings: %s", timer.report())
    log.debug("pages: %s", _page_counts(rendered))
    counts = (len(loaded.briefings), len(site.registry.topics))
    seconds = time.perf_counter() - started
    until = next_change(loaded.parsed, now)  # when a briefing's window opens or closes
    return BuildResult(
        *(config, final, site, rendered, written, seconds, state, counts, images, until),
        pdfs.made,
        sites,
    )


@dataclass(frozen=True, slots=True)
class _Loaded:
    registry: Registry
    registry_memo: RegistryMemo | None
    briefings: list[Briefing]  # published in this build
    parsed: list[Briefing]  # every file that parsed (drafts, scheduled ones too)
    sources: Memo
    parse_key: str
    bundles: Bundles
    desk: Desk
    problems: list[Diagnostic]


def _load(
    config: SiteConfig,
    options: BuildOptions,
    last: BuildState,
    cache: Cache,
    now: dt.datetime,
    timer: _Timer,
) -> _Loaded:
    path = registry_path(config)
    registry, diags, registry_memo = timer(
        "registry", read_registry, path, config.topics_file, last.registry
    )
    parse_key = deps.parse_key(config, registry)
    reusable = last.sources if last.parse_key == parse_key else None
    briefings, problems, sources = timer(
        "load",
        load_briefings,
        config,
        registry,
        reusable,
        cache,
        drafts=options.shows_drafts(config.drafts),
        future=options.future,
        expired=options.expired,
        now=now,
    )
    parsed = [b for b, _ in sources.results.values() if b is not None]
    bundles, more = timer("bundles", load_bundles, config, briefings, parsed)
    desk, found = timer("desk", load_desk, config, briefings, parsed)
    desk = with_pdfs(desk, config, options, briefings)
    problems = [*diags, *problems, *more, *found, *pdf_note(config, options)]
    return _Loaded(
        registry, registry_memo, briefings, parsed, sources, parse_key, bundles, desk, problems
    )


def _enrich_and_render(
    config: SiteConfig,
    options: BuildOptions,
    loaded: _Loaded,
    last: BuildState,
    cache: Cache,
    images: ImageStore,
    timer: _Timer,
) -> tuple[
    tuple[Site, ...],
    Rendered,
    tuple[EnrichMemo | None, RenderMemo | None, Mapping[str, EditionMemo]],
    list[Diagnostic],
]:
    """The site (every language's edition, the default first) and its files, the enrich
    and render memos (a multilingual site: each edition's, by language), and the problems
    found."""
    registry, briefings, bundles = loaded.registry, loaded.briefings, loaded.bundles
    if config.multilingual:  # one edition per language (editions.py), each with its memos
        editions, problems = timer(
            "editions",
            build_editions,
            *(config, options, registry, briefings, cache, bundles, images, loaded.desk),
            last.editions,
        )
        return editions.sites, editions.rendered, (None, None, editions.memos), problems
    site, enriched = timer("enrich", enrich_site, config, registry, briefings, last.enrich, cache)
    site = replace(site, bundles=bundles.for_site(site), desk=loaded.desk)
    rendered, problems, memo = timer(
        "render", render_site, site, options, last.render, bundles.data, images, cache
    )
    return (site,), rendered, (enriched, memo, {}), problems


def _write(
    config: SiteConfig, options: BuildOptions, rendered: Rendered, last: BuildState
) -> tuple[WriteStats | None, list[Diagnostic]]:
    """Write the files: staged and swapped in, or in place (the dev server). Refused
    (unsafe output folder or path, conflict, disk full): nothing swapped, no stats."""
    # One build at a time into an output folder:
    with output_lock(config.root, config.output_path, cached=options.cache) as busy:
        unsafe = busy or check_output(config.output_path, config.root, input_folders(config))
        if unsafe:
            return None, [unsafe]
        preview = options.preview(config.drafts)  # in the manifest: publish refuses previews
        if options.in_place:
            written = write_changed(rendered.files, config.output_path, last.written, preview)
        else:
            written = write_site(rendered.files, config.output_path, preview)
    return (None, list(written.problems)) if written.problems else (written, [])


def _changed(rendered: Rendered, before: tuple[OutputFile, ...] | None) -> set[str] | None:
    """In the dev server, the outputs this rebuild changed (only their links are checked
    again, so an edit is not slowed by checking 10,000 unchanged pages); None: all."""
    if before is None or not rendered.files:
        return None
    old = {f.path: f.content for f in before}
    return {
        f.path for f in rendered.files if (d := old.get(f.path)) is not f.content and d != f.content
    }


def _page_counts(rendered: Rendered) -> str:
    """How many pages this build rendered, and how many it reused (for `build -v`)."""
    reused = max(0, len(rendered.pages) - rendered.rendered)
    return (
        f"{rendered.rendered} rendered, {reused} reused "
        f"({rendered.cached} from the cache, {reused - rendered.cached} from the last build)"
    )


class _Timer:
    """Runs and times each stage; tells `on_stage` (progress display) as each starts and
    ends."""

    def __init__(self, on_stage: StageHook | None = None) -> None:
        self.times: dict[str, float] = {}
        self.on_stage = on_stage

    def __call__(self, name, fn, *args, **kwargs):
        start = time.perf_counter()
        if self.on_stage is not None:
            self.on_stage(name, None)
        try:
            return fn(*args, **kwargs)
        finally:
            self.times[name] = time.perf_counter() - start
            if self.on_stage is not None:
                self.on_stage(name, self.times[name])

    def report(self) -> str:
        return ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.times.items())
