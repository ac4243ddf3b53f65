"""The dev server: build once, serve the output folder, rebuild on change, reload browsers.

Owns: putting the parts together and their lifetime. `start()` builds (before any thread
exists), then starts the watcher and a ThreadingHTTPServer; `stop()` stops the watcher
(observer and rebuild thread joined), releases long polls, shuts the HTTP server down and
joins its thread, so nothing is left running. One start/stop per instance (a watchdog
observer cannot be restarted). Tests use it in-process on port 0.
Must not: parse arguments or print (the command does; builds are reported to `on_build`).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

from briefgen.config import load_config
from briefgen.options import BuildOptions, serve_options
from briefgen.serve.changes import Change, watch_set
from briefgen.serve.handler import Handler
from briefgen.serve.rebuild import ConfigLoader, Rebuilder, Status
from briefgen.serve.watcher import Watcher

SERVE_DIR = ".briefgen-serve"  # beside content/, so serve never clobbers the published build


class DevServer:
    def __init__(
        self,
        load: ConfigLoader,
        options: BuildOptions | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quiet: float = 0.05,
        poll_timeout: float = 25.0,
        ready_timeout: float = 60.0,
        on_build: Callable[[Status], None] | None = None,
    ) -> None:
        self.host = host
        self.poll_timeout = poll_timeout  # how long an events request is held open
        self.ready_timeout = ready_timeout  # how long a page request waits for a rebuild
        self.session = secrets.token_hex(8)  # tells pages that the server was restarted
        self.rebuilder = Rebuilder(load, options or serve_options())
        self._on_build = on_build or (lambda status: None)
        self._watcher = Watcher(
            self._rebuild, self.rebuilder.announce, quiet, on_idle=self.rebuilder.tidy
        )
        self._bind = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def for_site(
        cls, root: Path, *, output: Path | None = None, drafts: bool = True, **kwargs: object
    ) -> DevServer:
        """A server for the site in `root`, building into `root/.briefgen-serve` by default."""
        root = Path(root).absolute()
        out = str(Path(output).absolute()) if output is not None else SERVE_DIR
        options = serve_options(drafts=drafts)
        return cls(lambda: load_config(root, {"output_dir": out}), options, **kwargs)  # type: ignore[arg-type]

    # -- lifetime ------------------------------------------------------------------------

    def start(self) -> Status:
        """Build the site, then serve and watch it. Returns the first build's status."""
        status = self.rebuilder.build_all()
        self._on_build(status)
        self._watcher.watch(watch_set(self.rebuilder.config))
        self._watcher.start()
        handler = type("BoundHandler", (Handler,), {"app": self})
        try:
            self._httpd = ThreadingHTTPServer(self._bind, handler)
        except OSError:  # the port is taken: leave the process as it was before start()
            self._watcher.stop()
            self.rebuilder.tidy()
            raise
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="briefgen-http", kwargs={"poll_interval": 0.1}
        )
        self._thread.start()
        return status

    def stop(self) -> None:
        self._watcher.stop()
        self.rebuilder.tidy()  # no build runs now: leave garbage collection as it was
        self.rebuilder.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests and the command read -------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}{self.rebuilder.config.base_path}"

    @property
    def build_number(self) -> int:
        return self.rebuilder.status.number

    @property
    def status(self) -> Status:
        return self.rebuilder.status

    def wait_for_build(self, after: int, timeout: float = 10.0) -> Status:
        """The status of the first build numbered above `after`; TimeoutError if none."""
        status, _ = self.rebuilder.wait_for(after, timeout)
        if status.number <= after:
            raise TimeoutError(f"no build after #{after} within {timeout} s")
        return status

    # -- the rebuild thread --------------------------------------------------------------

    def _rebuild(self, changes: frozenset[Change], ticket: int) -> None:
        status = self.rebuilder.rebuild(changes, ticket)
        # The config may name other folders; content/, templates/ or static/ may have
        # appeared or gone. Cheap: a few stat calls, and nothing changes when nothing did.
        self._watcher.watch(watch_set(self.rebuilder.config))
        self._on_build(status)
