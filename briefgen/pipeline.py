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
from briefgen.diagnostics import Diagnostic, sorted_diagnostics, summary_line
from briefgen.editions import build_editions
from briefgen.enrich.site import enrich_site
from briefgen.load.bundles import load_bundles
from briefgen.load.registry import load_registry
from briefgen.load.site import Memo, load_briefings, registry_path
from briefgen.model import Registry, Site
from briefgen.render.images import ImageStore
from briefgen.render.linkcheck import check_links, still_broken
from briefgen.render.site import Rendered, render_site
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
    memo: Memo = field(default_factory=Memo)
    registry: Registry | None = None
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
) -> BuildResult:
    """Build the site; write it only if there are no errors. `inputs`: the caller has just
    computed `uptodate.inputs_key(config)` (and found the site not up to date)."""
    started = time.perf_counter()
    cache = Cache(config.root / CACHE_DIR if use_cache else None)
    shortcut = write and use_cache and previous is None and not in_place
    inputs = (inputs or uptodate.inputs_key(config)) if shortcut else ""
    stamp = uptodate.check(config, inputs) if shortcut else None
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
    registry, problems = timer("registry", load_registry, registry_path(config), config.topics_file)
    diags += problems
    briefings, problems, memo = timer(
        "load", load_briefings, config, registry, _reuse_memo(previous, registry), cache
    )
    diags += problems
    parsed = [b for b, _ in memo.results.values() if b is not None]
    bundles, problems = timer("bundles", load_bundles, config, briefings, parsed)
    diags += problems
    images = ImageStore(cache, previous.images.memory if previous else {})
    if config.multilingual:  # one edition per language (editions.py); no reuse between builds
        editions, problems = timer(
            "editions", build_editions, config, registry, briefings, cache, bundles, images
        )
        site, rendered = editions.site, editions.rendered
    else:
        site = timer(
            "enrich",
            enrich_site,
            config,
            registry,
            briefings,
            previous.site if previous else None,
            cache,
        )
        site = replace(site, bundles=bundles.for_site(site))
        rendered, problems = timer(
            "render",
            render_site,
            site,
            previous.rendered if previous else None,
            bundles.data,
            images,
        )
    diags += problems
    changed = _changed(rendered, previous)
    diags += timer("links", check_links, rendered.files, site, changed)
    if changed is not None and previous is not None:  # what the unchanged pages still have
        diags += still_broken(previous.diagnostics, changed, site)
    written = None
    if write and not any(d.is_error for d in diags):
        unsafe = check_output(config.output_path, config.root)
        if unsafe:
            diags.append(unsafe)
        else:
            if in_place:
                last = _last_written(previous)
                written = timer("write", write_changed, rendered.files, config.output_path, last)
            else:
                written = timer("write", write_site, rendered.files, config.output_path)
            if written.problems:  # refused (unsafe path, conflict, disk full): nothing swapped
                diags += written.problems
                written = None
    seconds = time.perf_counter() - started
    log.debug("timings: %s", timer.report())
    result = BuildResult(
        config,
        tuple(sorted_diagnostics(diags)),
        site,
        rendered,
        written,
        seconds,
        memo,
        registry,
        counts=(len(briefings), len(site.registry.topics)),
        images=images,
    )
    if shortcut and written is not None:
        stamp = uptodate.Stamp(
            inputs, uptodate.outputs_key(config), *result.counts, result.diagnostics
        )
        uptodate.save(config, stamp)
    return result


def _changed(rendered: Rendered, previous: BuildResult | None) -> set[str] | None:
    """In the dev server, the outputs this rebuild changed (only their links are checked
    again, so an edit is not slowed by checking 10,000 unchanged pages); None: all."""
    if previous is None or previous.rendered is None or not rendered.files:
        return None
    before = {f.path: f.data for f in previous.rendered.files}
    return {
        f.path
        for f in rendered.files
        if (old := before.get(f.path)) is not f.data and old != f.data
    }


def _last_written(previous: BuildResult | None) -> dict[str, bytes] | None:
    """What the previous in-place build wrote, when it did write."""
    if previous is None or previous.written is None or previous.rendered is None:
        return None
    return {f.path: f.data for f in previous.rendered.files}


def _reuse_memo(previous: BuildResult | None, registry: Registry) -> Memo:
    """Parsed files can be reused only while the registry (topic resolution) is the same."""
    if previous is None or previous.registry != registry:
        return Memo()
    return previous.memo


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
