"""The build, as one short list of stages: load -> enrich -> render -> write.

Invariant: everything is gathered and checked before anything is written; with any error,
the output folder is left exactly as it was. `previous` lets the dev server reuse work:
unchanged source files are not re-read, unchanged pages are not re-rendered.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, count, sorted_diagnostics
from briefgen.enrich.matcher import Matcher
from briefgen.enrich.site import enrich_site
from briefgen.load.briefing import read_briefing
from briefgen.load.registry import load_registry
from briefgen.load.site import load_briefings, registry_path
from briefgen.model import Briefing, Registry, Site
from briefgen.render.site import Rendered, render_site
from briefgen.write import WriteStats, check_output, write_changed, write_site

log = logging.getLogger("briefgen")

Memo = dict[tuple[str, str], tuple[Briefing | None, list[Diagnostic]]]


@dataclass(frozen=True, slots=True)
class BuildResult:
    config: SiteConfig
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None = None
    rendered: Rendered | None = None
    written: WriteStats | None = None
    seconds: float = 0.0
    memo: Memo = field(default_factory=dict)
    registry: Registry | None = None

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def summary_line(self) -> str:
        errors, warnings = count(self.diagnostics)
        briefings = len(self.site.briefings) if self.site else 0
        topics = len(self.site.registry.topics) if self.site else 0
        return (
            f"{briefings} briefings, {topics} topics, {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} in {self.seconds:.2f} s"
        )


def build(
    config: SiteConfig,
    previous: BuildResult | None = None,
    *,
    write: bool = True,
    in_place: bool = False,
    config_diags: list[Diagnostic] | None = None,
) -> BuildResult:
    """Build the site; write it only if there are no errors."""
    started = time.perf_counter()
    timer = _Timer()
    diags = list(config_diags or [])
    registry, problems = timer("registry", load_registry, registry_path(config), config.topics_file)
    diags += problems
    memo: Memo = {}
    reader = _memo_reader(_reuse_memo(previous, registry), memo, registry, config.iframe_hosts)
    briefings, problems = timer("load", load_briefings, config, registry, reader)
    diags += problems
    site = timer("enrich", enrich_site, config, registry, briefings, Matcher(registry))
    rendered, problems = timer("render", render_site, site, previous.rendered if previous else None)
    diags += problems
    written = None
    if write and not any(d.is_error for d in diags):
        unsafe = check_output(config.output_path, config.root)
        if unsafe:
            diags.append(unsafe)
        else:
            writer = write_changed if in_place else write_site
            written = timer("write", writer, rendered.files, config.output_path)
    seconds = time.perf_counter() - started
    log.debug("timings: %s", timer.report())
    return BuildResult(
        config, tuple(sorted_diagnostics(diags)), site, rendered, written, seconds, memo, registry
    )


def _reuse_memo(previous: BuildResult | None, registry: Registry) -> Memo:
    """Parsed files can be reused only while the registry (topic resolution) is the same."""
    if previous is None or previous.registry != registry:
        return {}
    return previous.memo


def _memo_reader(
    old: Memo, fresh: Memo, registry: Registry, hosts: tuple[str, ...]
) -> Callable[[str, bytes], tuple[Briefing | None, list[Diagnostic]]]:
    """A reader that reuses the previous build's result for unchanged bytes."""

    def read(rel: str, raw: bytes) -> tuple[Briefing | None, list[Diagnostic]]:
        key = (rel, _fingerprint(raw))
        hit = old.get(key)
        if hit is None:
            hit = read_briefing(rel, raw, registry, hosts)
        fresh[key] = hit
        return hit

    return read


def _fingerprint(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


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
