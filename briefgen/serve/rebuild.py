"""The dev server's build state: config, last BuildResult, build counter, what changed.

Owns: choosing the cheapest correct `pipeline.build` for a batch of changes, numbering
builds, telling a stylesheet-only change from one that needs a reload, and making readers
wait while a rebuild is in flight (after MkDocs' livereload: a file event raises the wanted
epoch at once; pages are served only when the visible epoch has caught up).
Must not: serve HTTP or watch files. One thread builds (the watcher's); any number read.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from briefgen import deps
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error
from briefgen.options import BuildOptions
from briefgen.pipeline import BuildResult, build
from briefgen.serve.changes import Change, ChangeKind, kinds

log = logging.getLogger("briefgen")

ConfigLoader = Callable[[], tuple[SiteConfig, list[Diagnostic]]]

RELOAD, CSS, NONE = "reload", "css", "none"


@dataclass(frozen=True, slots=True)
class Status:
    """The outcome of one build, as the browser and the terminal see it."""

    number: int
    kind: str  # what this build asks of open pages: reload | css | none
    diagnostics: tuple[Diagnostic, ...] = ()
    changed: tuple[str, ...] = ()  # output paths written or deleted
    seconds: float = 0.0
    summary: str = ""

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)


class Rebuilder:
    def __init__(self, load: ConfigLoader, options: BuildOptions) -> None:
        self._load = load
        self.options = options
        self.config, self._config_diags = load()
        self._result: BuildResult | None = None
        self._files: dict[str, bytes | str] = {}  # the output as last written
        self._cond = threading.Condition()
        self._wanted = self._visible = 0
        self._last = {RELOAD: 0, CSS: 0}  # build number that last asked for each
        self._closing = False
        self._fell_back = False
        self.status = Status(0, NONE)
        self._gc = Collector()

    @property
    def result(self) -> BuildResult | None:
        """The last build's result (kept as `previous` for the next one)."""
        return self._result

    # -- the building thread -------------------------------------------------------------

    def build_all(self) -> Status:
        """A build that reuses nothing (start-up)."""
        with self._cond:
            ticket = self._wanted
        return self._build(None, ticket)

    def rebuild(self, changes: frozenset[Change], ticket: int) -> Status:
        """Rebuild after `changes`, which cover every event up to `ticket`."""
        # Every rebuild reuses the last state, after a config edit too: what a change made
        # stale is decided by the keys deps.py declares (a parse is redone when the
        # registry or iframe_hosts changed, analyses when the config did, every page when
        # a template did), not here. A config change also means reading the config again.
        found = kinds(changes)
        log.debug("changed: %s; may reach %s", _names(found), ", ".join(deps.affected(found)))
        return self._build(self._result, ticket, ChangeKind.CONFIG in found)

    def _build(self, previous: BuildResult | None, ticket: int, reload: bool = False) -> Status:
        started = time.perf_counter()
        result: BuildResult | None = None
        try:
            if reload:
                self.config, self._config_diags = self._load()
            result = self._build_or_retry(previous)
            diags, summary = result.diagnostics, result.summary_line()
        except Exception as exc:  # a bug must not stop the server; say so and keep going
            log.exception("build crashed")
            diags = (
                error(
                    "internal-error",
                    f"the build crashed: {type(exc).__name__}: {exc}",
                    hint="this is a bug in briefgen; the traceback is in the terminal",
                ),
            )
            summary = "build crashed"
        changed: tuple[str, ...] = ()
        if result is not None:
            self._result = result
            if result.written is not None and result.rendered is not None:
                files = {f.path: f.content for f in result.rendered.files}
                changed = _diff(self._files, files)
                self._files = files
        kind = _kind(changed)
        with self._cond:
            number = self.status.number + 1
            if kind != NONE:
                self._last[kind] = number
            seconds = time.perf_counter() - started
            self.status = Status(number, kind, tuple(diags), changed, seconds, summary)
            self._visible = max(self._visible, ticket)
            self._cond.notify_all()
            return self.status

    def _build_or_retry(self, previous: BuildResult | None) -> BuildResult:
        """Reuse `previous`; should that crash (a bug in reuse), build from scratch once."""
        self._gc.pause()
        return self._build_once(previous)

    def _build_once(self, previous: BuildResult | None) -> BuildResult:
        config_diags = list(self._config_diags)
        if previous is not None:
            try:
                return build(self.config, self.options, previous.state, config_diags=config_diags)
            except Exception:
                # Said in full once; every later fallback would repeat the same traceback.
                level = logging.DEBUG if self._fell_back else logging.WARNING
                log.log(level, "incremental rebuild crashed; building from scratch", exc_info=True)
                self._fell_back = True
        return build(self.config, self.options, None, config_diags=config_diags)

    def tidy(self) -> None:
        """Collect the last build's garbage: call from the building thread when idle."""
        self._gc.collect()

    # -- any thread ----------------------------------------------------------------------

    def announce(self) -> int:
        """A source changed: pages wait until the build that covers the returned ticket."""
        with self._cond:
            self._wanted += 1
            return self._wanted

    def wait_ready(self, timeout: float) -> bool:
        """Wait until no announced change is still unbuilt; False on timeout."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._visible >= self._wanted or self._closing, timeout
            )

    def wait_for(self, since: int, timeout: float) -> tuple[Status, str]:
        """Wait for a build numbered above `since`; the latest status and what a page built
        at `since` must do: reload if any later build asked for it, else css, else none."""
        with self._cond:
            self._cond.wait_for(lambda: self.status.number > since or self._closing, timeout)
            return self.status, self._kind_since(since)

    def _kind_since(self, since: int) -> str:
        if self._last[RELOAD] > since:
            return RELOAD
        return CSS if self._last[CSS] > since else NONE

    def close(self) -> None:
        """Release every waiting reader (the server is stopping)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()


class Collector:
    """No cyclic garbage collection during a rebuild, nor right after it, until `collect`.

    A served site keeps every briefing, card and page in memory; each collection of the
    oldest generation walks all of it (on a 10,000-briefing site, about a third of an
    incremental rebuild). So collection is off while a build runs, and the build's own
    short-lived cycles are collected later, when the server is idle (about 20 ms at 10,000
    briefings, which would otherwise delay the page the edit is waiting for); what survives
    is then frozen, so later collections skip it.
    """

    def __init__(self) -> None:
        self._owed = False  # a build ran since the last collect
        self._enabled = True  # whether collection was on before the first pause

    def pause(self) -> None:
        """Before a build: collect what an earlier build left (no idle moment came since),
        then switch collection off."""
        self.collect()
        self._enabled = gc.isenabled()
        gc.disable()
        self._owed = True

    def collect(self) -> None:
        """Collect the last build's garbage, freeze the rest, switch collection back on."""
        if not self._owed:
            return
        gc.collect(1)
        gc.freeze()
        self._owed = False
        if self._enabled:
            gc.enable()


def _names(found: frozenset[ChangeKind]) -> str:
    return ", ".join(sorted(k.value for k in found))


def _diff(old: dict[str, bytes | str], new: dict[str, bytes | str]) -> tuple[str, ...]:
    """Output paths added, changed or removed. Reused pages are the very same bytes object,
    so most comparisons stop at identity."""
    changed = [p for p, data in new.items() if old.get(p) is not data and old.get(p) != data]
    return tuple(sorted(changed + [p for p in old if p not in new]))


def _kind(changed: tuple[str, ...]) -> str:
    if not changed:
        return NONE
    return CSS if all(p.endswith(".css") for p in changed) else RELOAD
