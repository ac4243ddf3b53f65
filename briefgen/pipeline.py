"""The build, as one short list of stages: load -> enrich -> render -> write.

Invariant: everything is gathered and checked before anything is written; with any error,
the output folder is left exactly as it was. `previous` lets the dev server reuse work:
unchanged source files are not re-read, unchanged pages are not re-rendered.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from briefgen import uptodate
from briefgen.cache import CACHE_DIR, Cache
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, as_strict, sorted_diagnostics, summary_line
from briefgen.editions import build_editions
from briefgen.enrich.enricher import enrich_site
from briefgen.load.bundles import load_bundles
from briefgen.load.loader import load_briefings, registry_path
from briefgen.load.placeholders import as_errors
from briefgen.load.registry import read_registry
from briefgen.model import OutputFile, Site
from briefgen.render.images import ImageStore
from briefgen.render.linkcheck import check_links, still_broken
from briefgen.render.renderer import Rendered, render_site
from briefgen.state import BuildState
from briefgen.write import WriteStats, check_output, write_changed, write_site

log = logging.getLogger("briefgen")


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
    up_to_date: bool = False  # nothing changed since the last build: nothing was done

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def summary_line(self) -> str:
        return summary_line(self.counts, self.diagnostics, self.seconds, up_to_date=self.up_to_date)


def build(
    config: SiteConfig,
    previous: BuildResult | None = None,
    *,
    write: bool = True,
    in_place: bool = False,
    config_diags: list[Diagnostic] | None = None,
    use_cache: bool = True,
    inputs: str | None = None,
    strict: bool = False,
    release: bool = False,
) -> BuildResult:
    """Build the site; write it only if there are no errors. `inputs`: the caller has just
    computed `uptodate.inputs_key(config)` (and found the site not up to date). `strict`:
    every warning is an error; `release` (publish): so is placeholder text."""
    started = time.perf_counter()
    cache = Cache(config.root / CACHE_DIR if use_cache else None)
    shortcut = write and use_cache and previous is None and not in_place
    inputs = (inputs or uptodate.inputs_key(config)) if shortcut else ""
    stamp = uptodate.check(config, inputs) if shortcut else None
    if stamp is not None and (strict or release):  # its warnings may be errors now
        found = as_strict(stamp.diagnostics) if strict else as_errors(stamp.diagnostics)
        stamp = None if any(d.is_error for d in found) else stamp
    if stamp is not None:
        return BuildResult(
            config,
            stamp.diagnostics,
            seconds=time.perf_counter() - started,
            counts=(stamp.briefings, stamp.topics),
            up_to_date=True,
        )
    timer = _Timer()
    diags = list(config_diags or [])
    state = previous.state if previous is not None else BuildState()
    registry, problems, registry_memo = timer(
        "registry", read_registry, registry_path(config), config.topics_file, state.registry
    )
    diags += problems
    # Parsed files can be reused only while the registry (topic resolution) is the same.
    same = state.registry is not None and registry == state.registry.registry
    briefings, problems, sources = timer(
        "load", load_briefings, config, registry, state.sources if same else None, cache
    )
    diags += problems
    parsed = [b for b, _ in sources.results.values() if b is not None]
    bundles, problems = timer("bundles", load_bundles, config, briefings, parsed)
    diags += problems
    images = ImageStore(cache, dict(state.images))
    enriched = render_memo = None
    if config.multilingual:  # one edition per language (editions.py); no reuse between builds
        editions, problems = timer(
            "editions", build_editions, config, registry, briefings, cache, bundles, images
        )
        site, rendered = editions.site, editions.rendered
    else:
        site, enriched = timer(
            "enrich", enrich_site, config, registry, briefings, state.enrich, cache
        )
        site = replace(site, bundles=bundles.for_site(site))
        rendered, problems, render_memo = timer(
            "render", render_site, site, state.render, bundles.data, images
        )
    diags += problems
    changed = _changed(rendered, state.output)
    diags += timer("links", check_links, rendered.files, site, changed)
    if changed is not None:  # what the unchanged pages still have
        diags += still_broken(state.diagnostics, changed, site)
    if release:
        diags = as_errors(diags)
    if strict:
        diags = as_strict(diags)
    written = None
    if write and not any(d.is_error for d in diags):
        unsafe = check_output(config.output_path, config.root)
        if unsafe:
            diags.append(unsafe)
        else:
            if in_place:
                last = state.written
                written = timer("write", write_changed, rendered.files, config.output_path, last)
            else:
                written = timer("write", write_site, rendered.files, config.output_path)
            if written.problems:  # refused (unsafe path, conflict, disk full): nothing swapped
                diags += written.problems
                written = None
    # After a failed or partial write, the next in-place write checks against the manifest.
    last_written = written.memo if written is not None else None
    final = tuple(sorted_diagnostics(diags))
    state = BuildState(
        registry_memo,
        sources,
        enriched,
        render_memo,
        last_written,
        images.memory,
        rendered.files,
        final,
    )
    seconds = time.perf_counter() - started
    log.debug("timings: %s", timer.report())
    result = BuildResult(
        config,
        final,
        site,
        rendered,
        written,
        seconds,
        state,
        counts=(len(briefings), len(site.registry.topics)),
        images=images,
    )
    if shortcut and written is not None:
        stamp = uptodate.Stamp(
            inputs, uptodate.outputs_key(config), *result.counts, result.diagnostics
        )
        uptodate.save(config, stamp)
    return result


def _changed(rendered: Rendered, before: tuple[OutputFile, ...] | None) -> set[str] | None:
    """In the dev server, the outputs this rebuild changed (only their links are checked
    again, so an edit is not slowed by checking 10,000 unchanged pages); None: all."""
    if before is None or not rendered.files:
        return None
    old = {f.path: f.data for f in before}
    return {f.path for f in rendered.files if (d := old.get(f.path)) is not f.data and d != f.data}


class _Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def __call__(self, name, fn, *args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.times[name] = time.perf_counter() - start

    def report(self) -> str:
        return ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.times.items())
