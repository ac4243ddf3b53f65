"""Watch a site's sources and hand over changes in debounced, coalesced batches.

Owns: the watchdog observer, which folders it watches, and the quiet period. Editors save in
bursts (write a temp file, rename it over the original; `git checkout` touches hundreds of
files), so a batch is handed over only after `quiet` seconds without a relevant event.
Must not: build anything; `on_batch` runs on the watcher's own thread, one batch at a time,
so changes that arrive during a build make up the next batch.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from briefgen.serve.changes import Change, WatchSet, classify

log = logging.getLogger("briefgen")


class _StopRace(logging.Filter):
    """watchdog logs an *error* when an event arrives while its emitter is stopping; the
    event is dropped, which is what stopping means. Keep it off the terminal at Ctrl-C."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(_StopRace())

# Opening or reading a file (the build itself reads every source) is not a change.
_WRITES = frozenset({"created", "deleted", "modified", "moved", "closed"})


class Debouncer:
    """Collects changes; calls `on_batch` once they have been quiet for `quiet` seconds.

    Each change comes with a ticket (a number that only grows); the batch is handed over with
    the highest ticket in it, so the receiver knows which announced changes it covers.
    `max_wait` bounds the delay under a never-ending stream of writes. A change that marks
    a finished save (the file was closed after writing, or renamed into place) needs only
    `settle` seconds of quiet: the save is over, and waiting longer only delays the page.
    `on_idle` runs on the same thread once nothing has happened for `idle` seconds after
    the start or a batch (housekeeping kept off the path of the page an edit waits for).
    """

    def __init__(
        self,
        on_batch: Callable[[frozenset[Change], int], None],
        quiet: float = 0.05,
        max_wait: float = 2.0,
        settle: float = 0.01,
        on_idle: Callable[[], None] | None = None,
        idle: float = 0.2,
    ) -> None:
        self._on_batch = on_batch
        self._on_idle = on_idle
        self._idle = idle
        self._idle_owed = on_idle is not None
        self._quiet = quiet
        self._settle = settle
        self._wait = quiet  # the quiet period the latest change asks for
        self._max_wait = max_wait
        self._cond = threading.Condition()
        self._pending: set[Change] = set()
        self._ticket = 0
        self._first = self._last = 0.0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="briefgen-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def push(self, change: Change, ticket: int = 0, *, saved: bool = False) -> None:
        """Add a change; `saved` when its event marks a finished save."""
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(change)
            self._ticket = max(self._ticket, ticket)
            self._last = now
            self._wait = self._settle if saved else self._quiet
            self._cond.notify()

    def stop(self) -> None:
        """Stop and join; a build in progress finishes first, pending changes are dropped."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            taken = self._next_batch()
            if taken is None:
                return
            try:
                if taken is _IDLE:
                    self._on_idle()  # type: ignore[misc]
                else:
                    self._idle_owed = self._on_idle is not None
                    self._on_batch(*taken)  # type: ignore[misc]
            except Exception:  # a crash here would silently stop live reload
                log.exception("rebuild failed")

    def _next_batch(self) -> tuple[frozenset[Change], int] | object | None:
        """The next batch; `_IDLE` when idle housekeeping is due; None when stopping."""
        with self._cond:
            while True:
                if self._stopping:
                    return None
                if not self._pending:
                    if not self._idle_owed:
                        self._cond.wait()
                    elif not self._cond.wait(self._idle) and not self._pending:
                        self._idle_owed = False
                        return _IDLE
                    continue
                now = time.monotonic()
                due = min(self._last + self._wait, self._first + self._max_wait)
                if now >= due:
                    batch = frozenset(self._pending)
                    self._pending.clear()
                    return batch, self._ticket
                self._cond.wait(due - now)


_IDLE = object()  # what _next_batch returns when the idle callback is due


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WRITES:
            return
        if event.is_directory and event.event_type in ("modified", "closed"):
            return  # a folder's mtime changes with its files; the file events say what changed
        kind = event.event_type
        if event.src_path:
            saved = kind == "closed"  # closed after writing (inotify's IN_CLOSE_WRITE)
            self._watcher.notify(Path(_text(event.src_path)), event.is_directory, saved)
        dest = getattr(event, "dest_path", "")
        if dest:  # renamed into place: an editor's atomic save is complete
            self._watcher.notify(Path(_text(dest)), event.is_directory, kind == "moved")


class Watcher:
    """watchdog observer -> classify -> `on_event` at once (so pages wait) -> Debouncer.

    `on_event` is called for every relevant event before the quiet period starts and
    returns a ticket; `on_batch(changes, ticket)` later covers every change up to it.
    """

    def __init__(
        self,
        on_batch: Callable[[frozenset[Change], int], None],
        on_event: Callable[[], int] = lambda: 0,
        quiet: float = 0.05,
        on_idle: Callable[[], None] | None = None,
    ) -> None:
        self._on_event = on_event
        self._debouncer = Debouncer(on_batch, quiet, on_idle=on_idle)
        self._observer = Observer()
        self._handler = _Handler(self)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()
        self._set: WatchSet | None = None

    def watch(self, watch: WatchSet) -> None:
        """Watch the folders of `watch`; call again after the config or a top folder changed."""
        with self._lock:
            self._set = watch
            wanted = set(watch.folders())
            for key in sorted(set(self._watches) - wanted):
                with contextlib.suppress(KeyError, OSError):  # folder deleted: already gone
                    self._observer.unschedule(self._watches.pop(key))
            for folder, recursive in sorted(wanted - set(self._watches)):
                try:
                    self._watches[(folder, recursive)] = self._observer.schedule(
                        self._handler, str(folder), recursive=recursive
                    )
                except OSError as exc:  # vanished meanwhile, or out of inotify watches
                    log.warning("cannot watch %s: %s", folder, exc)

    def notify(self, path: Path, is_dir: bool, saved: bool = False) -> None:
        with self._lock:
            watch = self._set
        kind = classify(path, watch, is_dir=is_dir) if watch else None
        if kind is None:
            return
        if is_dir and watch is not None and path.is_dir():
            # A new content/, templates/ or static/ folder: watch it now, before the rebuild
            # this event causes reads it, so a file written into it at once is not missed.
            self.watch(watch)
        self._debouncer.push(Change(kind, path), self._on_event(), saved=saved)

    def start(self) -> None:
        self._observer.start()
        self._debouncer.start()

    def stop(self) -> None:
        """Stop the observer and the rebuild thread and join both."""
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join()
        self._debouncer.stop()


def _text(raw: str | bytes) -> str:
    return raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
