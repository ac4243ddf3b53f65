"""Issue 13 item 5: the dev server answers only to its own name, and bad queries get 400.

A real DevServer on a free port; requests are written byte for byte on a socket, so the
Host header (or its absence) is exactly what a DNS-rebinding page or a probe would send.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefing, make_site

from briefgen.serve import DevServer

BODY = "Kazakhstan and the European Union signed a transport memorandum in Astana."


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path / "src",
        {
            "content/2024/alpha.md": briefing("Alpha", "2024-05-01", BODY),
            "content/2024/secret.md": briefing(
                "Embargoed plan", "2024-06-01", "Not for publication yet.", draft="true"
            ),
        },
    )


def serving(site: Path, host: str = "127.0.0.1") -> DevServer:
    server = DevServer.for_site(site, host=host, quiet=0.05, poll_timeout=0.5)
    server.start()
    return server


@pytest.fixture
def server(site: Path) -> Iterator[DevServer]:
    server = serving(site)
    yield server
    server.stop()


def request(port: int, target: str, host: str | None, address: str = "127.0.0.1") -> tuple:
    """(status, body) of `GET target` with exactly this Host header (None: no header)."""
    header = "" if host is None else f"Host: {host}\r\n"
    with socket.create_connection((address, port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: the attacker's name, our address
        "evil.example",
        "localhost.evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost:{other}",  # another port: another origin
        "127.0.0.1",  # port 80 implied
        "",
        "localhost:{port}@evil.example",
        None,  # no Host at all
    ],
)
def test_issue_13_foreign_host_names_get_403(server: DevServer, host: str | None) -> None:
    port = server.port
    forged = None if host is None else host.format(port=port, other=port + 1)
    for target in ("/", "/briefings/secret/", "/__briefgen/events", "/__briefgen/events?since=0"):
        status, body = request(port, target, forged)
        assert status == 403, (forged, target)
        assert b"Not for publication" not in body and b"session" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_issue_13_the_servers_own_names_are_served(server: DevServer, host: str) -> None:
    name = host.format(port=server.port)
    status, body = request(server.port, "/briefings/secret/", name)
    assert status == 200 and b"Not for publication yet." in body
    status, body = request(server.port, "/__briefgen/events", name.upper())
    assert status == 200 and b'"session"' in body
    foreign = name.replace("localhost", "x").replace("127.0.0.1", "x").replace("[::1]", "x")
    assert request(server.port, "/briefings/secret/", foreign)[0] == 403


def test_issue_13_an_absolute_form_target_is_checked_like_the_host(server: DevServer) -> None:
    own = f"127.0.0.1:{server.port}"
    status, _ = request(server.port, f"http://evil.example:{server.port}/", own)
    assert status == 403
    status, _ = request(server.port, f"http://{own}/", own)
    assert status == 200


def test_issue_13_the_host_given_is_served(site: Path) -> None:
    server = serving(site, host="127.0.0.2")  # on Linux all of 127/8 is this machine
    try:
        port = server.port
        assert request(port, "/", f"127.0.0.2:{port}", "127.0.0.2")[0] == 200
        assert request(port, "/", f"localhost:{port}", "127.0.0.2")[0] == 200
        assert request(port, "/", f"evil.example:{port}", "127.0.0.2")[0] == 403
    finally:
        server.stop()


def test_issue_13_bound_to_every_address_ip_hosts_are_served_names_are_not(site: Path) -> None:
    server = serving(site, host="0.0.0.0")
    try:
        port = server.port
        assert request(port, "/", f"192.0.2.7:{port}")[0] == 200  # a phone on the LAN
        assert request(port, "/", f"[2001:db8::1]:{port}")[0] == 200
        assert request(port, "/", f"evil.example:{port}")[0] == 403
        assert request(port, "/", f"0.0.0.0.evil.example:{port}")[0] == 403
    finally:
        server.stop()


@pytest.mark.parametrize(
    "query",
    ["since=" + "9" * 5000, "since=abc", "since=", "since=1e5", "since=0x10", "since=%00"],
)
def test_issue_13_malformed_query_values_get_400(server: DevServer, query: str) -> None:
    status, body = request(server.port, f"/__briefgen/events?{query}", f"localhost:{server.port}")
    assert status == 400
    assert b"since" in body and b"Traceback" not in body


def test_issue_13_a_target_that_is_no_url_gets_400_not_a_traceback(
    server: DevServer, capfd: pytest.CaptureFixture[str]
) -> None:
    own = f"localhost:{server.port}"
    for target in ("http://[x/", "http://[::1/", f"http://{own}/%ZZ"):
        status, _ = request(server.port, target, own)
        assert status in (400, 403, 404), target
    assert request(server.port, "/__briefgen/events?since=0", own)[0] == 200
    assert "Traceback" not in capfd.readouterr().err
