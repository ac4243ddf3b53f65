"""`briefgen serve`: a real DevServer on a free port, real files edited, real HTTP.

Every test waits on the server's build counter, never on a fixed sleep, except the two
that check that something does *not* happen (ignored files, a long poll that times out).
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, briefing, make_site

from briefgen.cli import main as cli_main
from briefgen.serve import DevServer
from briefgen.serve.changes import ChangeKind, classify, watch_set
from briefgen.serve.handler import resolve
from briefgen.serve.rebuild import Status
from briefgen.serve.reload import MARKER, client_script, inject
from briefgen.serve.watcher import Debouncer

BODY = "Kazakhstan and the European Union signed a transport memorandum in Astana."


def start(root: Path, **kwargs: object) -> DevServer:
    server = DevServer.for_site(root, quiet=0.05, poll_timeout=2.0, **kwargs)  # type: ignore[arg-type]
    server.start()
    return server


@pytest.fixture
def site(site_dir: Path) -> Path:
    return make_site(
        site_dir,
        {
            "content/2024/alpha.md": briefing("Alpha", "2024-05-01", BODY + " First version."),
            "content/2024/beta.md": briefing("Beta", "2024-04-01", "The Middle Corridor."),
            "static/style.css": "body { color: black; }\n",
        },
    )


@pytest.fixture
def server(site: Path) -> Iterator[DevServer]:
    server = start(site)
    yield server
    server.stop()


def get(server: DevServer, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def raw_get(server: DevServer, target: str) -> tuple[int, bytes]:
    """A request exactly as written: no client normalises `..` or percent-escapes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        host = f"localhost:{server.port}"  # the server answers only to its own name
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def events(server: DevServer, since: int | None = None) -> dict:
    query = "" if since is None else f"?since={since}"
    status, _, body = get(server, "/__briefgen/events" + query)
    assert status == 200
    return json.loads(body)


def change(server: DevServer, action: Callable[[], object]) -> Status:
    """Do `action` (edit files) and return the status of the build it caused."""
    before = server.build_number
    action()
    return server.wait_for_build(before, timeout=20)


def write(path: Path, text: str) -> Callable[[], object]:
    return lambda: path.write_text(text, encoding="utf-8")


# -- serving ---------------------------------------------------------------------------------


def test_serves_the_site_with_pretty_urls_and_the_reload_script(server: DevServer) -> None:
    status, headers, body = get(server, "/briefings/alpha/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "First version." in body
    assert body.count(MARKER) == 1
    assert body.index(MARKER) < body.rindex("</body>")

    status, headers, _ = get(server, "/briefings/alpha?x=1")
    assert (status, headers["Location"]) == (301, "/briefings/alpha/?x=1")

    status, _, body = get(server, "/")
    assert status == 200 and "Alpha" in body

    status, headers, body = get(server, "/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert body == "body { color: black; }\n"  # no script outside HTML


def test_missing_pages_get_the_sites_404_page_with_status_404(server: DevServer) -> None:
    status, _, body = get(server, "/no/such/page/")
    assert status == 404
    assert "Page not found" in body  # the theme's 404.html
    assert MARKER in body  # so a page that appears later still reloads
    assert get(server, "/.briefgen-manifest.json")[0] == 404


def test_binds_localhost_by_default_and_builds_beside_the_published_site(
    server: DevServer, site: Path
) -> None:
    assert server.host == "127.0.0.1"
    assert server.rebuilder.config.output_path == site / ".briefgen-serve"
    assert (site / ".briefgen-serve/briefings/alpha/index.html").is_file()
    assert not (site / "site").exists()


def test_the_reload_script_is_never_written_to_disk(server: DevServer, site: Path) -> None:
    published = site / "published"
    assert cli_main(["build", "--source", str(site), "--output", str(published)]) == 0
    for folder in (published, site / ".briefgen-serve"):
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert any(p.name == "index.html" for p in files)
        for path in files:
            data = path.read_bytes()
            assert MARKER.encode() not in data and b"__briefgen" not in data, path
    # The published build fingerprints CSS; serve mode does not, so restyling can swap it.
    assert not (published / "static/style.css").exists()
    assert (site / ".briefgen-serve/static/style.css").exists()


def test_a_site_under_a_sub_path_is_served_there(site: Path) -> None:
    (site / "briefgen.yaml").write_text("title: Desk\nbase_url: https://example.org/desk/\n")
    server = start(site)
    try:
        status, headers, _ = get(server, "/")
        assert (status, headers["Location"]) == (301, "/desk/")
        assert get(server, "/desk/briefings/alpha/")[0] == 200
        assert get(server, "/desk/briefings/alpha")[1]["Location"] == "/desk/briefings/alpha/"
        assert get(server, "/briefings/alpha/")[0] == 404
        assert server.url.endswith("/desk/")
    finally:
        server.stop()


# -- path traversal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/../briefgen.yaml",
        "/../../secret.txt",
        "/%2e%2e/briefgen.yaml",
        "/%2E%2E/%2E%2E/secret.txt",
        "/.%2e/briefgen.yaml",
        "/%2e%2e%2fbriefgen.yaml",
        "/briefings/..%2f..%2f..%2fsecret.txt",
        "/static/../../briefgen.yaml",
        "/..%5cbriefgen.yaml",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "/%252e%252e/briefgen.yaml",
        "/..%00/briefgen.yaml",
        "/%ff%fe/",
        "http://localhost/../briefgen.yaml",
    ],
)
def test_requests_outside_the_output_folder_are_refused(
    server: DevServer, site: Path, target: str
) -> None:
    (site.parent / "secret.txt").write_text("TOPSECRET")
    status, body = raw_get(server, target)
    assert status in (400, 403, 404)
    assert b"TOPSECRET" not in body and b"title: Test Desk" not in body


def test_symlinks_that_lead_out_of_the_output_folder_are_refused(
    server: DevServer, site: Path
) -> None:
    secret = site.parent / "secret.txt"
    secret.write_text("TOPSECRET")
    out = site / ".briefgen-serve"
    (out / "leak.txt").symlink_to(secret)
    (out / "leakdir").symlink_to(site.parent, target_is_directory=True)
    (out / "inside.txt").symlink_to(out / "robots.txt")
    for target in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/leakdir"):
        status, body = raw_get(server, target)
        assert status == 403, target
        assert b"TOPSECRET" not in body
    assert raw_get(server, "/inside.txt")[0] == 200


def test_resolve_maps_urls_like_a_static_host(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x/index.html").write_text("x")
    (tmp_path / "a.css").write_text("a")
    assert resolve(tmp_path, "/", "/x/").file == (tmp_path / "x/index.html").resolve()
    assert resolve(tmp_path, "/", "/x").location == "/x/"
    assert resolve(tmp_path, "/", "/a.css?v=3").file == (tmp_path / "a.css").resolve()
    assert resolve(tmp_path, "/", "/%61.css").file == (tmp_path / "a.css").resolve()
    assert resolve(tmp_path, "/", "/nope").status == 404
    assert resolve(tmp_path, "/", "/x/%2e%2e/%2e%2e/etc/passwd").status == 403
    assert resolve(tmp_path, "/", "//x").location == "/x/"  # not //x/, another host


# -- live reload -----------------------------------------------------------------------------


def test_an_edit_is_rebuilt_signalled_and_served(server: DevServer, site: Path) -> None:
    start_build = events(server)["build"]
    answers: list[dict] = []
    poll = threading.Thread(target=lambda: answers.append(events(server, since=start_build)))
    poll.start()
    time.sleep(0.2)
    assert not answers  # the long poll waits for a build

    path = site / "content/2024/alpha.md"
    status = change(server, write(path, briefing("Alpha", "2024-05-01", BODY + " Second.")))
    poll.join(10)
    assert answers and answers[0]["build"] == status.number > start_build
    assert answers[0]["kind"] == "reload" and answers[0]["errors"] == []
    assert "briefings/alpha/index.html" in status.changed
    assert "Second." in get(server, "/briefings/alpha/")[2]


def test_no_page_is_served_while_a_rebuild_is_due(server: DevServer, site: Path) -> None:
    server.rebuilder.announce()  # what the watcher does the moment a source changes
    answers: list[tuple[int, dict[str, str], str]] = []
    request = threading.Thread(target=lambda: answers.append(get(server, "/briefings/alpha/")))
    request.start()
    time.sleep(0.3)
    assert not answers  # held back, not answered with the old page
    path = site / "content/2024/alpha.md"
    change(server, write(path, briefing("Alpha", "2024-05-01", BODY + " Waited for.")))
    request.join(10)
    assert answers and "Waited for." in answers[0][2]


def test_an_atomic_save_through_a_temp_file_is_one_change(server: DevServer, site: Path) -> None:
    path = site / "content/2024/alpha.md"

    def save() -> None:
        temp = path.with_name(".alpha.md.swp")
        temp.write_text(briefing("Alpha", "2024-05-01", BODY + " Saved atomically."))
        os.replace(temp, path)

    change(server, save)
    assert "Saved atomically." in get(server, "/briefings/alpha/")[2]


def test_a_stylesheet_change_restyles_without_a_reload(server: DevServer, site: Path) -> None:
    before = server.build_number
    status = change(server, write(site / "static/style.css", "body { color: navy; }\n"))
    assert status.kind == "css" and status.changed == ("static/style.css",)
    answer = events(server, since=before)
    assert answer["kind"] == "css"
    assert get(server, "/static/style.css")[2] == "body { color: navy; }\n"


def test_a_long_poll_with_nothing_new_times_out_with_the_same_build(site: Path) -> None:
    server = start(site)
    server.poll_timeout = 0.5
    try:
        build = server.build_number
        started = time.monotonic()
        answer = events(server, since=build)
        assert time.monotonic() - started >= 0.45
        assert answer["build"] == build and answer["kind"] == "none"
    finally:
        server.stop()


def test_a_page_built_before_a_reload_is_told_to_reload_even_after_a_css_build(
    server: DevServer, site: Path
) -> None:
    before = server.build_number
    change(server, write(site / "content/2024/beta.md", briefing("Beta", body="Changed.")))
    change(server, write(site / "static/style.css", "p { margin: 0; }\n"))
    assert events(server, since=before)["kind"] == "reload"
    assert events(server, since=before + 1)["kind"] == "css"


def test_ignored_files_do_not_trigger_builds(server: DevServer, site: Path) -> None:
    before = server.build_number
    folder = site / "content/2024"
    # (any other file in content/ may be a briefing's image or attachment: it does rebuild)
    for name in (".alpha.md.swp", "alpha.md~", "#alpha.md#", ".#alpha.md"):
        (folder / name).write_text("junk")
    (site / "README.md").write_text("not part of the site")
    time.sleep(0.6)
    assert server.build_number == before


def test_a_burst_of_saves_is_coalesced(server: DevServer, site: Path) -> None:
    before = server.build_number

    def checkout() -> None:
        for i in range(60):
            path = site / f"content/2023/b{i:02}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(briefing(f"Burst {i}", "2023-01-01", f"Number {i}."))

    change(server, checkout)
    assert get(server, "/briefings/b59/")[0] == 200  # waits for any build still due
    assert all(get(server, f"/briefings/b{i:02}/")[0] == 200 for i in range(60))
    assert server.build_number - before <= 3


def test_debouncer_hands_over_one_batch_after_the_quiet_period() -> None:
    batches: list[tuple[frozenset, int]] = []
    done = threading.Event()

    def on_batch(batch: frozenset, ticket: int) -> None:
        batches.append((batch, ticket))
        done.set()

    debouncer = Debouncer(on_batch, quiet=0.1)
    debouncer.start()
    try:
        for i in range(50):
            debouncer.push(i, ticket=i + 1)  # type: ignore[arg-type]
            time.sleep(0.002)
        assert done.wait(5)
        time.sleep(0.2)
        assert batches == [(frozenset(range(50)), 50)]
    finally:
        debouncer.stop()


def test_a_finished_save_needs_only_the_short_settle_period() -> None:
    handed: list[float] = []
    done = threading.Event()

    def on_batch(batch: frozenset, ticket: int) -> None:
        handed.append(time.monotonic())
        done.set()

    debouncer = Debouncer(on_batch, quiet=1.0, settle=0.01)
    debouncer.start()
    try:
        debouncer.push("a", ticket=1)  # type: ignore[arg-type]  # a write in progress...
        pushed = time.monotonic()
        debouncer.push("a", ticket=2, saved=True)  # type: ignore[arg-type]  # ...then closed
        assert done.wait(5)
        assert handed[0] - pushed < 0.5  # not the full quiet period of 1 s
        done.clear()
        debouncer.push("b", ticket=3, saved=True)  # type: ignore[arg-type]
        debouncer.push("c", ticket=4)  # type: ignore[arg-type]  # a later write: wait again
        pushed = time.monotonic()
        assert done.wait(5)
        assert handed[1] - pushed >= 0.9
    finally:
        debouncer.stop()


def test_idle_housekeeping_runs_once_after_the_start_and_after_each_batch() -> None:
    events: list[str] = []
    idle = threading.Event()

    def on_idle() -> None:
        events.append("idle")
        idle.set()

    debouncer = Debouncer(lambda batch, ticket: events.append("batch"), 0.05, on_idle=on_idle)
    debouncer.start()
    try:
        assert idle.wait(5)
        idle.clear()
        for i in range(10):  # changes keep coming: no idle call in between
            debouncer.push(i, ticket=i + 1)  # type: ignore[arg-type]
            time.sleep(0.01)
        assert idle.wait(5)
        time.sleep(0.5)  # nothing happened since: no further idle call
        assert events == ["idle", "batch", "idle"]
    finally:
        debouncer.stop()


def test_garbage_collection_is_off_during_rebuilds_and_back_on_when_idle(
    server: DevServer, site: Path
) -> None:
    # Collection is paused for a rebuild and resumed once the server is idle; the server
    # must never leave the process without it.
    assert wait_until(gc.isenabled)
    paused: list[bool] = []
    real_build = server.rebuilder._build_once

    def build_once(previous: object) -> object:
        paused.append(not gc.isenabled())
        return real_build(previous)  # type: ignore[arg-type]

    server.rebuilder._build_once = build_once  # type: ignore[method-assign]
    change(
        server,
        write(site / "content" / "2024" / "alpha.md", briefing("Alpha", "2024-05-01", "Edited.")),
    )
    assert paused == [True]
    assert wait_until(gc.isenabled)


def test_a_port_in_use_is_an_error_that_leaves_garbage_collection_on(
    server: DevServer, site: Path
) -> None:
    assert wait_until(gc.isenabled)  # the running server is idle
    before = set(threading.enumerate())
    taken = DevServer.for_site(site, port=server.port, quiet=0.05)
    with pytest.raises(OSError):
        taken.start()
    assert gc.isenabled()
    assert wait_until(lambda: not set(threading.enumerate()) - before)  # watcher stopped


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_config_changes_reload_the_config(server: DevServer, site: Path) -> None:
    text = "title: Renamed Desk\nbase_url: https://example.org/\n"
    change(server, write(site / "briefgen.yaml", text))
    assert server.rebuilder.config.title == "Renamed Desk"
    assert "Renamed Desk" in get(server, "/")[2]


def test_a_new_topic_in_the_registry_gets_its_page(server: DevServer, site: Path) -> None:
    topics = site / "topics.yaml"
    extra = "- id: astana\n  name: Astana Forum\n  kind: theme\n"
    assert get(server, "/topics/astana/")[0] == 404
    change(server, write(topics, topics.read_text() + extra))
    change(server, write(site / "content/2024/beta.md", briefing(body="The Astana Forum met.")))
    assert get(server, "/topics/astana/")[0] == 200


def test_template_changes_rerender_every_page(server: DevServer, site: Path) -> None:
    theme = (REPO / "templates/base.html").read_text()
    new = theme.replace("<main", "<p class=banner>TEMPLATE EDIT</p>\n<main", 1)
    (site / "templates").mkdir()
    change(server, write(site / "templates/base.html", new))
    assert "TEMPLATE EDIT" in get(server, "/briefings/beta/")[2]
    assert "TEMPLATE EDIT" in get(server, "/")[2]


# -- broken files ----------------------------------------------------------------------------


def test_a_broken_file_shows_errors_and_keeps_the_last_good_page(
    server: DevServer, site: Path
) -> None:
    path = site / "content/2024/alpha.md"
    good = path.read_text()
    broken = good.replace('title: "Alpha"', "title: [Alpha")
    status = change(server, write(path, broken))
    assert status.errors and status.kind == "none"

    answer = events(server)
    [err] = answer["errors"]
    assert err["file"] == "content/2024/alpha.md" and err["line"] >= 2
    assert err["where"] == f"content/2024/alpha.md:{err['line']}"
    assert err["message"] and err["source_line"]
    assert err["source_line"] in broken.splitlines()

    code, _, body = get(server, "/briefings/alpha/")
    assert code == 200 and "First version." in body  # the last good page
    assert "content/2024/alpha.md" in body  # the injected overlay state names the file

    status = change(server, write(path, good.replace("First version.", "Fixed.")))
    assert not status.errors and events(server)["errors"] == []
    assert "Fixed." in get(server, "/briefings/alpha/")[2]


def test_a_broken_config_is_reported_and_its_fix_applied(server: DevServer, site: Path) -> None:
    config = site / "briefgen.yaml"
    good = config.read_text()
    status = change(server, write(config, "title: [Broken\n"))
    assert [e["file"] for e in events(server)["errors"]] == ["briefgen.yaml"]
    assert status.errors and get(server, "/briefings/alpha/")[0] == 200
    change(server, write(config, good.replace("Test Desk", "Mended Desk")))
    assert events(server)["errors"] == [] and "Mended Desk" in get(server, "/")[2]


def test_an_unknown_topic_is_a_warning_and_the_page_is_rebuilt(
    server: DevServer, site: Path
) -> None:
    path = site / "content/2024/beta.md"
    status = change(server, write(path, briefing("Beta", topics="[atlantis]", body="Renamed.")))
    assert not status.errors and status.kind == "reload"
    answer = events(server)
    assert answer["errors"] == []
    [warn] = answer["warnings"]
    assert warn["code"] == "unknown-topic" and "atlantis" in warn["source_line"]
    assert "Renamed." in get(server, "/briefings/beta/")[2]


def test_a_template_error_is_reported_with_its_line_and_cleared_by_the_fix(
    server: DevServer, site: Path
) -> None:
    theme = (REPO / "templates/briefing.html").read_text().splitlines(keepends=True)
    broken = [*theme[:2], "{{ oops( }}\n", *theme[2:]]
    (site / "templates").mkdir()
    target = site / "templates/briefing.html"
    status = change(server, write(target, "".join(broken)))
    assert status.errors
    err = events(server)["errors"][0]
    assert err["file"] == "templates/briefing.html" and err["line"] == 3
    assert get(server, "/briefings/alpha/")[0] == 200  # still the last good page

    status = change(server, write(target, "".join(theme)))
    assert not status.errors and events(server)["errors"] == []


def test_a_crashing_build_is_an_error_not_a_dead_server(server: DevServer, site: Path) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    real = server.rebuilder._build_or_retry
    server.rebuilder._build_or_retry = crash  # type: ignore[method-assign]
    try:
        status = change(server, write(site / "content/2024/beta.md", briefing(body="x")))
    finally:
        server.rebuilder._build_or_retry = real  # type: ignore[method-assign]
    assert [d.code for d in status.errors] == ["internal-error"]
    assert get(server, "/briefings/beta/")[0] == 200
    status = change(server, write(site / "content/2024/beta.md", briefing(body="Back.")))
    assert not status.errors and "Back." in get(server, "/briefings/beta/")[2]


# -- deleting and renaming -------------------------------------------------------------------


def test_deleting_a_briefing_removes_its_page(server: DevServer, site: Path) -> None:
    change(server, (site / "content/2024/beta.md").unlink)
    assert get(server, "/briefings/beta/")[0] == 404
    assert get(server, "/briefings/beta")[0] == 404  # not a redirect to a missing page
    assert not (site / ".briefgen-serve/briefings/beta/index.html").exists()


def test_renaming_a_briefing_moves_its_page(server: DevServer, site: Path) -> None:
    old, new = site / "content/2024/beta.md", site / "content/2024/gamma.md"
    change(server, lambda: old.rename(new))
    assert get(server, "/briefings/beta/")[0] == 404
    assert get(server, "/briefings/gamma/")[0] == 200


def test_moving_a_folder_moves_its_briefings(server: DevServer, site: Path) -> None:
    change(server, lambda: (site / "content/2024").rename(site / "content/archive"))
    assert get(server, "/briefings/alpha/")[0] == 200
    change(server, lambda: (site / "content/archive").rename(site / ".trash"))
    assert get(server, "/briefings/alpha/")[0] == 404


# -- drafts ----------------------------------------------------------------------------------


def test_drafts_are_shown_and_marked_unless_turned_off(site: Path) -> None:
    draft = briefing("Unfinished", "2024-06-01", "Work in progress.", draft="true")
    (site / "content/2024/unfinished.md").write_text(draft)
    server = start(site)
    try:
        status, _, body = get(server, "/briefings/unfinished/")
        assert status == 200 and "draft-banner" in body
    finally:
        server.stop()
    server = start(site, drafts=False)
    try:
        assert get(server, "/briefings/unfinished/")[0] == 404
    finally:
        server.stop()


# -- units -----------------------------------------------------------------------------------


def test_changes_are_classified_by_what_they_touch(site: Path) -> None:
    from briefgen.config import load_config

    config, _ = load_config(site, {"output_dir": ".briefgen-serve"})
    watch = watch_set(config)
    cases = {
        "briefgen.yaml": ChangeKind.CONFIG,
        "topics.yaml": ChangeKind.TOPICS,
        "content/2024/a.md": ChangeKind.CONTENT,
        "templates/base.html": ChangeKind.TEMPLATES,
        "templates/static/site.css": ChangeKind.STYLE,
        "static/style.css": ChangeKind.STYLE,
        "static/logo.svg": ChangeKind.STATIC,
        "content/2024/.a.md.swp": None,
        "content/2024/a.md~": None,
        "content/2024/notes.txt": ChangeKind.CONTENT,  # a bundle's file (issue 16)
        "content/2024/x/chart.png": ChangeKind.CONTENT,
        "content/.git/index": None,
        ".briefgen-serve/index.html": None,
        "README.md": None,
    }
    for rel, kind in cases.items():
        assert classify(site / rel, watch) == kind, rel
    assert classify(site / "content/2024", watch, is_dir=True) == ChangeKind.CONTENT
    assert classify(site.parent / "elsewhere.md", watch) is None


def test_the_script_goes_before_the_last_body_end_and_cannot_be_closed_early() -> None:
    script = client_script({"build": 3, "session": "s", "errors": [], "warnings": []})
    assert inject(b"<body>a</BODY>", script) == b"<body>a" + script + b"</BODY>"
    assert inject(b"no body", script) == b"no body" + script
    nasty = {"build": 1, "session": "s", "errors": [{"message": "</script><b>"}], "warnings": []}
    assert b"</script><b>" not in client_script(nasty)


# -- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_serves_until_interrupted_and_exits_cleanly(site: Path, stop: int) -> None:
    code = (
        "import argparse, sys\n"
        "from briefgen.serve import register\n"
        "p = argparse.ArgumentParser(); register(p.add_subparsers())\n"
        "args = p.parse_args(sys.argv[1:])\n"
        "sys.exit(args.func(args))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--source", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        lines = []
        while not any(line.startswith("serving ") for line in lines):
            line = proc.stderr.readline()  # type: ignore[union-attr]
            assert line, "".join(lines)
            lines.append(line)
        url = next(line for line in lines if line.startswith("serving ")).split()[1]
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        assert host == "127.0.0.1"
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/briefings/alpha/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(stop)
        assert proc.wait(15) == 0
        assert "stopping" in proc.stderr.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (site / ".briefgen-serve/index.html").is_file()
    assert not (site / "site").exists()


def test_command_defaults() -> None:
    import argparse

    from briefgen.serve import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["serve"])
    assert (args.host, args.port, args.drafts, args.output) == ("127.0.0.1", 8000, True, None)
    assert parser.parse_args(["serve", "--no-drafts"]).drafts is False


def test_stop_leaves_nothing_running(site: Path) -> None:
    before = set(threading.enumerate())
    server = start(site)
    port = server.port
    hanging = threading.Thread(target=lambda: events(server, since=server.build_number))
    hanging.start()
    time.sleep(0.1)
    server.stop()
    hanging.join(5)
    assert not hanging.is_alive()  # stop() released the long poll
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - before - {hanging} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(threading.enumerate()) - before - {hanging}
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_issue_16_editing_a_bundled_image_rebuilds_its_page(server: DevServer, site: Path) -> None:
    import io

    from PIL import Image

    def png(width: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, width // 2), "#36c").save(out, "PNG")
        return out.getvalue()

    folder = site / "content/2024"

    def add() -> None:
        (folder / "chart.png").write_bytes(png(300))
        (folder / "alpha.md").write_text(
            briefing("Alpha", "2024-05-01", BODY + "\n\n![A chart](chart.png)"), encoding="utf-8"
        )

    assert not change(server, add).errors
    assert raw_get(server, "/briefings/alpha/chart.png")[0] == 200
    assert 'width="300" height="150"' in get(server, "/briefings/alpha/")[2]
    assert not change(server, lambda: (folder / "chart.png").write_bytes(png(600))).errors
    html = get(server, "/briefings/alpha/")[2]
    assert 'width="600" height="300"' in html and "chart-480w.webp 480w" in html
    assert raw_get(server, "/briefings/alpha/chart-480w.webp")[0] == 200
