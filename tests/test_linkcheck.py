"""Issue 16: the build checks every internal link, anchor and asset of the whole output and
names the file and line it was written on; `check --external` fetches external links from a
local server (no network)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefing, build_site, headline, make_site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_browser_site import copy_example

from briefgen.cli import main
from briefgen.render import linkcheck

LINK_CODES = {"broken-link", "broken-anchor", "missing-asset", "missing-file"}


def lines(root: Path) -> list[str]:
    return [headline(d) for d in build_site(root).diagnostics]


def test_issue_16_every_kind_of_broken_internal_link_names_file_and_line(tmp_path):
    body = "\n".join(
        [
            "Intro.",  # line 6
            "",
            "[Kazakhstan](/topics/kazakhstann/)",  # 8
            "",
            "[gone](/briefings/no-such-brief/)",  # 10
            "",
            "![Map](/static/missing.svg)",  # 12
            "",
            "[no anchor](b.md#nowhere) and [here](#nope)",  # 14
            "",
            "[typo](topic:kazakstan)",  # 16
            "",
            '<a href="/archive/2099/">raw</a>',  # 18
            "",
            "[fine](b.md#background) [fine too](/topics/kazakhstan/) [top](#main)",  # 20
        ]
    )
    root = make_site(
        tmp_path / "s",
        {
            "content/2025/x.md": briefing("X", "2025-01-01", body),
            "content/2025/b.md": briefing("B", "2024-01-01", "## Background\n\nText."),
        },
    )
    found = [line for line in lines(root) if line.startswith("2025/x.md")]
    assert found == [
        "2025/x.md:8: warning: link to /topics/kazakhstann/ does not exist "
        "(did you mean /topics/kazakhstan/?) [broken-link]",
        "2025/x.md:10: warning: link to /briefings/no-such-brief/ does not exist [broken-link]",
        "2025/x.md:12: warning: image /static/missing.svg does not exist [missing-asset]",
        "2025/x.md:14: warning: link to #nope: the page has no anchor #nope [broken-anchor]",
        "2025/x.md:14: warning: link to /briefings/b/#nowhere: the page has no anchor #nowhere "
        "[broken-anchor]",
        "2025/x.md:16: warning: link to /topics/kazakstan/ does not exist "
        "(did you mean /topics/kazakhstan/?) [broken-link]",
        "2025/x.md:18: warning: link to /archive/2099/ does not exist [broken-link]",
    ]


def test_issue_16_links_under_a_sub_path_are_checked_against_it(tmp_path):
    root = make_site(
        tmp_path / "s",
        {"content/x.md": briefing("X", body="[ok](/topics/kazakhstan/) [bad](/nowhere/)")},
        config="title: T\nbase_url: https://example.org/desk/\n",
    )
    assert lines(root) == ["x.md:6: warning: link to /desk/nowhere/ does not exist [broken-link]"]


def test_issue_16_a_broken_link_in_a_template_or_the_sitemap_is_reported_once(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/a.md": briefing("A"),
            "content/b.md": briefing("B"),
            "templates/briefing.html": '{% extends "base.html" %}{% block main %}'
            '<a href="{{ link("/about/") }}">About</a>{% endblock %}',
            "templates/sitemap.xml": "<urlset><url><loc>{{ absolute('/missing/') }}</loc></url>"
            "</urlset>\n",
        },
    )
    assert [line for line in lines(root) if "about" in line or "missing" in line] == [
        "<site>: warning: link to /about/ does not exist (on 2 pages, e.g. "
        "briefings/a/index.html) [broken-link]",
        "<site>: warning: link to https://example.org/missing/ does not exist (on sitemap.xml) "
        "[broken-link]",
    ]


def test_issue_16_the_example_site_has_no_broken_link(tmp_path):
    root = copy_example(tmp_path / "example")
    result = build_site(root, search=False, pdf=False)  # PDFs: test_pdf.py
    assert result.ok
    assert [d.format() for d in result.diagnostics if d.code in LINK_CODES] == []


# --- check --external against a local server ------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/no-head":
            self.send_response(405)
            self.end_headers()
            return
        self.do_GET()

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        status = {"/ok": 200, "/no-head": 200, "/gone": 404, "/broken": 500}.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_issue_16_check_external_reports_dead_links(tmp_path, server, capsys, monkeypatch):
    body = "\n\n".join(
        f"[{name}]({server}/{name})" for name in ("ok", "no-head", "gone", "broken", "slow")
    )
    root = make_site(tmp_path / "s", {"content/x.md": briefing("X", body=body)})
    monkeypatch.setattr("briefgen.external.TIMEOUT", 0.5)
    assert main(["check", "--source", str(root)]) == 0
    assert "dead-link" not in capsys.readouterr().err  # not fetched by default
    code = main(["check", "--external", "--source", str(root)])
    err = capsys.readouterr().err
    dead = [line for line in err.splitlines() if "[dead-link]" in line]
    assert code == 0  # warnings
    assert dead == [
        f"x.md:10: warning: external link to {server}/gone answers 404 Not Found [dead-link]",
        f"x.md:12: warning: external link to {server}/broken answers 500 Internal Server Error "
        "[dead-link]",
        f"x.md:14: warning: external link to {server}/slow does not answer (timed out) [dead-link]",
    ]


def test_issue_16_a_rebuild_rechecks_changed_pages_and_keeps_the_others_warnings(tmp_path):
    from briefgen.config import load_config
    from briefgen.options import BuildOptions
    from briefgen.pipeline import build

    uncached_check = BuildOptions(write=False, cache=False)

    root = make_site(
        tmp_path / "s",
        {
            "content/a.md": briefing("A", body="[bad](/nowhere/)"),
            "content/b.md": briefing("B", body="[bad too](/gone/)"),
        },
    )
    config, _ = load_config(root)
    first = build(config, uncached_check)
    assert sorted(d.file for d in first.diagnostics if d.code == "broken-link") == ["a.md", "b.md"]
    (root / "content/b.md").write_text(briefing("B", body="[fixed](/topics/)"))
    second = build(config, uncached_check, first.state)
    assert [headline(d) for d in second.diagnostics] == [
        "a.md:6: warning: link to /nowhere/ does not exist [broken-link]"
    ]


# --- finding the attributes fast: the same matches as the regex -------------------------------

FRAGMENTS = [" ", "\n", "\t", "x", "-", '"', "=", ">", "<a", "href", "src", "srcset", '="', "/a/"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_attributes_are_found_exactly_as_the_regex_finds_them(parts):
    data = "".join(parts).encode()
    expected = [m.groups() for m in linkcheck._HTML_URL.finditer(data)]
    assert linkcheck._attributes(data) == expected


def test_attributes_inside_another_value_or_name_are_not_links():
    page = b'<a data-href="/x/" href="/y/" title="src=" src="/z.png"><img srcset="a.png 2x">'
    assert linkcheck._attributes(page) == [
        (b"href", b"/y/"),
        (b"src", b"/z.png"),
        (b"srcset", b"a.png 2x"),
    ]
