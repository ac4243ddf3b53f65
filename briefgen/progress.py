"""Progress of a long build, per stage, on the terminal that runs it.

Owns: what the user sees while `build`, `check` or `publish` works. A build that is done
within `DELAY` seconds shows nothing (most builds: the summary line says it all). A longer
one shows, on a terminal, a live display (rich) with each finished stage and its time and
the running one with a spinner; when stderr is not a terminal (CI logs, pipes), one plain
line per stage ("  render 3.2 s"), the stages finished before the delay all at once.
`--quiet` shows none of it.
Must not: print anything into stdout, or be used by the pipeline but through `on_stage`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import Any, TextIO

DELAY = 2.0  # seconds before a build is long enough to show its progress
DELAY_VARIABLE = "BRIEFGEN_PROGRESS_DELAY"  # another delay, in seconds (0: always show)


class Progress:
    """`on_stage(name, seconds)` for `pipeline.build`: called as each stage starts (seconds
    None) and ends. Use as a context manager around the build."""

    def __init__(self, stream: TextIO | None = None, *, delay: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.delay = _delay() if delay is None else delay
        self.live = _is_terminal(self.stream)
        self._lock = threading.Lock()
        self._started = time.perf_counter()
        self._done: list[tuple[str, float]] = []
        self._running = ""
        self._shown = 0  # plain mode: stages already printed
        self._display: Any = None
        self._timer: threading.Timer | None = None
        self._closed = False

    def __enter__(self) -> Progress:
        self._started = time.perf_counter()
        if self.live:
            self._timer = threading.Timer(self.delay, self._start_live)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            display, self._display, self._closed = self._display, None, True
        if display is not None:
            display.stop()  # a last refresh: every stage done (`_closed`)

    def on_stage(self, name: str, seconds: float | None) -> None:
        with self._lock:
            if seconds is None:
                self._running = name
            else:
                self._running = ""
                self._done.append((name, seconds))
            display = self._display
        if display is not None:
            display.refresh()
        elif not self.live and time.perf_counter() - self._started >= self.delay:
            self._print_plain()

    # -- plain lines -------------------------------------------------------------------------

    def _print_plain(self) -> None:
        with self._lock:
            new, self._shown = self._done[self._shown :], len(self._done)
        for name, seconds in new:
            print(f"  {name} {seconds:.1f} s", file=self.stream, flush=True)

    # -- the live display --------------------------------------------------------------------

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.live import Live

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        display = Live(console=console, get_renderable=self._render, refresh_per_second=8)
        with self._lock:
            if self._closed:  # the build ended meanwhile
                return
            self._display = display
            display.start()  # under the lock: __exit__ cannot stop it before it started

    def _render(self) -> Any:
        from rich.spinner import Spinner
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        done, running = list(self._done), self._running  # (a refresh may hold the lock)
        for name, seconds in done:
            table.add_row("[green]✓[/]", name, f"{seconds:.1f} s")
        if running and not self._closed:
            elapsed = time.perf_counter() - self._started - sum(s for _, s in done)
            table.add_row(Spinner("dots"), running, f"{max(elapsed, 0.0):.1f} s")
        return table


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_VARIABLE, DELAY)))
    except ValueError:
        return DELAY


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
