"""HTTP for the dev server: the output folder as a static host serves it, plus live reload.

Owns: mapping a request path to a file inside the output folder (never outside it: `..`
in any encoding, backslashes, NUL and symlinks that lead out are refused), pretty URLs
(/x/ -> /x/index.html, /x -> 301 /x/), the site's 404.html with status 404, the long-poll
endpoint, and injecting the reload script into HTML responses.
The server answers only to its own name: a request whose Host (or absolute-form target)
is not localhost, 127.0.0.1 or [::1] with the server's port, or the address it was told to
bind, gets 403. Otherwise a web page on another site could, through DNS rebinding, read
drafts and the events feed. Bound to every address (0.0.0.0, ::), any IP address is also
accepted: only a name can be rebound. Malformed query values get 400.
Must not: build, or write anything to disk.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from briefgen.serve.overlay import describe
from briefgen.serve.rebuild import Status
from briefgen.serve.reload import EVENTS, client_script, inject

if TYPE_CHECKING:
    from briefgen.serve.server import DevServer

log = logging.getLogger("briefgen")

FALLBACK_404 = b"<!doctype html>\n<title>Not found</title>\n<body>\n<h1>Not found</h1>\n</body>\n"
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::")
_SINCE = re.compile(r"-?[0-9]{1,18}")  # a build number; anything longer is not one
_AUTHORITY = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\[\]:/@]+)(?::(?P<port>[0-9]{1,5}))?")


@dataclass(frozen=True, slots=True)
class Resolved:
    status: HTTPStatus
    file: Path | None = None  # for OK
    location: str = ""  # for MOVED_PERMANENTLY


def resolve(output: Path, base_path: str, target: str) -> Resolved:
    """What a static host would answer for the request target `target`."""
    raw, query = split_target(target)
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return Resolved(HTTPStatus.BAD_REQUEST)
    if not raw.startswith("/") or "\x00" in path or "\\" in path:
        return Resolved(HTTPStatus.BAD_REQUEST)
    if ".." in raw.split("/") or ".." in path.split("/"):
        return Resolved(HTTPStatus.FORBIDDEN)
    if not path.startswith(base_path):
        # The site lives under base_url's path (e.g. /desk/); only "/" leads there.
        if path == "/" or path == base_path.rstrip("/"):
            return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=base_path)
        return Resolved(HTTPStatus.NOT_FOUND)
    parts = [p for p in path[len(base_path) :].split("/") if p not in ("", ".")]
    if any(p.startswith(".") and p != ".well-known" for p in parts):
        return Resolved(HTTPStatus.NOT_FOUND)  # the manifest, temp files of a write
    try:
        root = output.resolve()
        real = root.joinpath(*parts).resolve()
        if real != root and root not in real.parents:
            return Resolved(HTTPStatus.FORBIDDEN)  # a symlink that leads out
        if real.is_dir():
            # A folder without index.html may be left over from a deleted page: a 404.
            if not raw.endswith("/") and (real / "index.html").is_file():
                query = f"?{query}" if query else ""
                local = "/" + raw.lstrip("/")  # never `//host/`: that would leave the site
                return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=f"{local}/{query}")
            real = (real / "index.html").resolve()
        if root not in real.parents:
            return Resolved(HTTPStatus.FORBIDDEN)  # index.html is a symlink that leads out
        return Resolved(HTTPStatus.OK, real) if real.is_file() else Resolved(HTTPStatus.NOT_FOUND)
    except (OSError, RuntimeError):  # a name too long, a symlink loop
        return Resolved(HTTPStatus.NOT_FOUND)


def host_allowed(authority: str | None, bind: str, port: int) -> bool:
    """Whether a request for `authority` (a Host header value) is for this server, bound
    to `bind` on `port`. A missing port means 80, as in a browser."""
    match = _AUTHORITY.fullmatch((authority or "").strip())
    if match is None:
        return False
    host = match.group("host").lower()
    if int(match.group("port") or 80) != port:
        return False
    names = set(LOOPBACK)
    if bind not in WILDCARDS:
        names.add(f"[{bind.lower()}]" if ":" in bind else bind.lower())
    if host in names:
        return True
    if bind in WILDCARDS:  # every address: reachable by IP, and an IP cannot be rebound
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return False
        return True
    return False


def split_target(target: str) -> tuple[str, str]:
    """(path, query) of a request target, still percent-encoded. `//x` is a path here, not
    a host as urlsplit would read it; only absolute-form targets (http://...) are parsed."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
        return path, query
    try:
        split = urlsplit(target)
    except ValueError:  # `http://[x/`: not a URL; no file is called that
        return "/\x00", ""
    return split.path or "/", split.query


def target_authority(target: str) -> str | None:
    """The host[:port] of an absolute-form request target (`GET http://host:port/ ...`),
    which takes the place of the Host header; None for the usual `/path` form."""
    if target.startswith("/") or target == "*":
        return None
    try:
        return urlsplit(target).netloc
    except ValueError:
        return ""


def event_payload(server: DevServer, status: Status, kind: str) -> dict[str, object]:
    config = server.rebuilder.config
    return {
        "build": status.number,
        "kind": kind,
        "session": server.session,
        "errors": [describe(d, config) for d in status.errors],
        "warnings": [describe(d, config) for d in status.warnings],
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "briefgen-serve"
    app: DevServer  # set on the subclass the server creates

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _respond(self, body: bool) -> None:
        try:
            refused = self._foreign_host()
            if refused is not None:
                self._refuse_host(refused, body)
            elif split_target(self.path)[0] == EVENTS:
                self._events(body)
            else:
                self._file(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload, a closed tab)

    def _foreign_host(self) -> str | None:
        """The host this request is for, if it is not this server ("" for none given)."""
        port = int(self.server.server_address[1])
        for name in (target_authority(self.path), self.headers.get("Host", "")):
            if name is not None and not host_allowed(name, self.app.host, port):
                return name
        return None

    def _refuse_host(self, name: str, body: bool) -> None:
        port = int(self.server.server_address[1])
        log.warning("refused a request for host %r: not this server's name", name)
        text = (
            f"403 Forbidden: this development server answers only to localhost:{port}, "
            f"127.0.0.1:{port} or [::1]:{port} (or the --host it was given)\n"
        ).encode()
        self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", text, body)

    def _events(self, body: bool) -> None:
        rebuilder = self.app.rebuilder
        query = parse_qs(split_target(self.path)[1], keep_blank_values=True)
        values = query.get("since")
        if values is not None and not _SINCE.fullmatch(values[0]):
            text = b"400 Bad Request: `since` must be a build number\n"
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", text, body)
            return
        if values is not None:
            status, kind = rebuilder.wait_for(int(values[0]), self.app.poll_timeout)
        else:  # no `since`: the current state at once
            status = rebuilder.status
            kind = status.kind
        data = json.dumps(event_payload(self.app, status, kind), sort_keys=True).encode()
        self._send(HTTPStatus.OK, "application/json", data, body)

    def _file(self, body: bool) -> None:
        rebuilder = self.app.rebuilder
        # No page while a rebuild is in flight: a reload right after a save gets the new page.
        rebuilder.wait_ready(self.app.ready_timeout)
        # Taken before the file is read: the page is at least this build, so at worst the
        # browser reloads once more than needed, never once less.
        status = rebuilder.status
        config = rebuilder.config
        found = resolve(config.output_path, config.base_path, self.path)
        if found.status == HTTPStatus.MOVED_PERMANENTLY:
            self.send_response(found.status)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found.status == HTTPStatus.NOT_FOUND:
            page = resolve(config.output_path, config.base_path, config.base_path + "404.html")
            data = page.file.read_bytes() if page.file else FALLBACK_404
            html = self._injected(data, status)
            self._send(found.status, "text/html; charset=utf-8", html, body)
            return
        if found.status != HTTPStatus.OK or found.file is None:
            text = f"{found.status.value} {found.status.phrase}\n".encode()
            self._send(found.status, "text/plain; charset=utf-8", text, body)
            return
        try:
            data = found.file.read_bytes()
        except OSError:  # deleted between resolve and read
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404\n", body)
            return
        kind = _content_type(found.file)
        if kind.startswith("text/html"):
            data = self._injected(data, status)
        self._send(HTTPStatus.OK, kind, data, body)

    def _injected(self, data: bytes, status: Status) -> bytes:
        state = event_payload(self.app, status, status.kind)
        del state["kind"]
        return inject(data, client_script(state))

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        return kind + "; charset=utf-8"
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8"
    return kind
