"""`briefgen serve`: arguments, terminal output and exit codes around DevServer.

Owns: the serve subcommand. It builds into `<source>/.briefgen-serve/` unless --output is
given, so serving never touches the published build; drafts are shown unless --no-drafts.
Must not: build or serve anything itself (server.py does).
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from briefgen.commands import site_config
from briefgen.options import serve_options
from briefgen.serve.rebuild import Status
from briefgen.serve.server import SERVE_DIR, DevServer


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="build, serve and rebuild on change, with live reload")
    p.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    p.add_argument(
        "--output",
        type=Path,
        help=f"output folder (default: {SERVE_DIR}/ in the source, not the published site/)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument(
        "--port", type=_port, default=8000, help="port 0-65535 (default 8000; 0: any free)"
    )
    p.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show drafts, marked as drafts (default: on)",
    )
    p.add_argument(
        "--future",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show briefings scheduled later, marked Scheduled (default: on)",
    )
    p.add_argument(
        "--expired",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show briefings past expires:, marked Expired (default: on)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    def load():  # called again whenever briefgen.yaml changes
        return site_config(args, output_dir=SERVE_DIR)

    problem = _cannot_listen(args.host, args.port)  # before a build that may take a while
    if problem:
        print(problem, file=sys.stderr)
        return 2
    report = _Reporter()
    options = serve_options(drafts=args.drafts, future=args.future, expired=args.expired)
    server = DevServer(load, options, host=args.host, port=args.port, on_build=report)
    try:
        server.start()
    except OSError as exc:
        print(_listen_problem(args.host, args.port, exc), file=sys.stderr)
        return 2
    output = server.rebuilder.config.output_path
    try:
        with _sigterm_as_interrupt():  # before the banner: a `kill` right after it is clean
            print(f"serving {server.url} (built into {output}); Ctrl-C to stop", file=sys.stderr)
            while True:
                threading.Event().wait(1.0)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.stop()
    return 0


def _port(text: str) -> int:
    """argparse type for --port: a number 0-65535 (`--port 99999` is bad usage, exit 2)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535; 0: any free port)")
    return port


def _cannot_listen(host: str, port: int) -> str:
    """Why the server could not listen on host:port ("" if it can, as far as a trial bind
    can tell: the port may still be taken between this and the real bind)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as trial:
            trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            trial.bind(address)
    except OSError as exc:
        return _listen_problem(host, port, exc)
    return ""


def _listen_problem(host: str, port: int, exc: OSError) -> str:
    where = f"cannot listen on {host}:{port}"
    if isinstance(exc, socket.gaierror):
        return f"{where}: `{host}` is not a known host name or address\nhint: try --host 127.0.0.1"
    if exc.errno == errno.EADDRINUSE:
        return f"{where}: the port is in use (another server is running?)\nhint: try --port 0"
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{where}: `{host}` is not an address of this machine\n"
            "hint: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"
        )
    if exc.errno == errno.EACCES:
        return f"{where}: permission denied (ports below 1024 need root)\nhint: try --port 8000"
    return f"{where}: {exc.strerror or exc}"


class _Reporter:
    """Prints each build: new problems in full, then one line."""

    def __init__(self) -> None:
        self._shown: set = set()

    def __call__(self, status: Status) -> None:
        for d in status.diagnostics:
            if d not in self._shown:
                print(d.format(), file=sys.stderr)
        self._shown = set(status.diagnostics)
        changed = len(status.changed)
        what = {"reload": "reloading pages", "css": "restyling pages", "none": "nothing to reload"}
        print(
            f"build #{status.number}: {status.summary}; {changed} output file"
            f"{'s' * (changed != 1)} changed, {what[status.kind]}",
            file=sys.stderr,
        )


class _sigterm_as_interrupt:
    """`kill` stops the server as cleanly as Ctrl-C does."""

    def __enter__(self) -> None:
        self._old = None
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGTERM, _interrupt)

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
