"""`_redirects` and `_headers` for Netlify / Cloudflare Pages, from a real built site."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, tree

from briefgen.model import Site
from briefgen.options import serve_options
from briefgen.render.hosting import (
    LONG_CACHE,
    SHORT_CACHE,
    cache_control,
    headers_text,
    hosting_files,
    is_fingerprinted,
)
from briefgen.write import MANIFEST

BODY = "Kazakhstan raised its grain export quota, officials in Astana said on Monday."


def built(root: Path, config: str, **overrides: object) -> tuple[Site, dict[str, bytes]]:
    make_site(
        root,
        {
            "content/2024/grain.md": briefing(
                "Grain quota",
                date="2024-05-01",
                body=BODY,
                aliases="[/2024/05/grain-quota/, /old/grain/]",
            ),
            "content/2024/rail.md": briefing(
                "Rail freight", date="2024-06-01", body=BODY, aliases="[/archive-2019/rail/]"
            ),
            "content/2024/plain.md": briefing("No aliases", date="2024-06-02", body=BODY),
        },
        config=config,
    )
    result = build_site(root, **overrides)
    assert result.ok and result.site, [d.format() for d in result.diagnostics]
    return result.site, tree(root / "site")


def files_of(site: Site, paths: Iterable[str] | None = None) -> dict[str, str]:
    """The host files for `paths` (default: every other file the build wrote)."""
    if paths is None:
        paths = [p for p in tree(site.config.output_path) if p not in HOST_FILES]
    return {f.path: f.data.decode() for f in hosting_files(site, paths)[0]}


HOST_FILES = ("_headers", "_redirects", MANIFEST)


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line, {}))
        else:
            name, _, value = line.strip().partition(": ")
            assert line.startswith("  ") and name not in rules[-1][1], line
            rules[-1][1][name] = value
    return rules


def matches(pattern: str, url: str) -> bool:
    """The `_headers` matching both hosts share for the patterns briefgen writes."""
    return url.startswith(pattern[:-1]) if pattern.endswith("*") else url == pattern


def urls(path: str, base: str) -> list[str]:
    """The URLs a file is requested at: pretty URLs for index.html."""
    found = [base + path]
    if path == "index.html" or path.endswith("/index.html"):
        found.append(base + path.removesuffix("index.html"))
    return found


@pytest.fixture(scope="module")
def subpath(tmp_path_factory) -> tuple[Site, dict[str, bytes]]:
    config = (
        "title: Desk\nbase_url: https://example.org/briefings/\n"
        "headers:\n  Referrer-Policy: strict-origin-when-cross-origin\n"
        "  X-Frame-Options: DENY\n"
    )
    return built(tmp_path_factory.mktemp("hosting") / "s", config)


def test_redirects_one_line_per_alias_under_the_base_path(subpath):
    site, _ = subpath
    lines = [ln for ln in files_of(site)["_redirects"].splitlines() if not ln.startswith("#")]
    assert lines == [
        "/briefings/2024/05/grain-quota/ /briefings/briefings/grain/ 301",
        "/briefings/archive-2019/rail/ /briefings/briefings/rail/ 301",
        "/briefings/old/grain/ /briefings/briefings/grain/ 301",
    ]


def test_redirects_at_the_root_and_without_aliases(tmp_path):
    site, _ = built(tmp_path / "s", "title: Desk\nbase_url: https://example.org/\n")
    text = files_of(site)["_redirects"]
    assert "/2024/05/grain-quota/ /briefings/grain/ 301" in text.splitlines()
    make_site(tmp_path / "t", {"content/a.md": briefing("A", body=BODY)})
    result = build_site(tmp_path / "t")
    assert result.site is not None
    only_comments = files_of(result.site)["_redirects"].splitlines()
    assert all(line.startswith("#") for line in only_comments)


def test_headers_cache_every_file_once_and_correctly(subpath):
    """No URL matches two Cache-Control rules (Cloudflare would join them with a comma):
    pages, feeds and the API get the short one, fingerprinted assets the long one."""
    site, files = subpath
    rules = parse_headers(files_of(site, [p for p in files if p != MANIFEST])["_headers"])
    base = site.config.base_path
    assets = [p for p in files if is_fingerprinted(p)]
    assert assets, "the default theme's stylesheet is fingerprinted"
    for path in files:
        if path.startswith(".") or path.startswith("_"):
            continue
        for url in urls(path, base):
            found = [h for pattern, h in rules if matches(pattern, url)]
            caching = [h["Cache-Control"] for h in found if "Cache-Control" in h]
            if path.startswith("static/"):
                assert caching == ([LONG_CACHE] if path in assets else []), url
            else:
                assert caching == [SHORT_CACHE], url
            everywhere = {k: v for h in found for k, v in h.items()}
            assert everywhere["X-Content-Type-Options"] == "nosniff", url


def test_a_new_section_of_the_output_gets_its_rule(subpath):
    site, _ = subpath
    paths = ["index.html", "search/index.html", "search.json", "static/logo.png", "_headers"]
    rules = dict(parse_headers(headers_text(site, paths)))
    assert rules["/briefings/search/*"] == {"Cache-Control": SHORT_CACHE}
    assert rules["/briefings/search.json"] == {"Cache-Control": SHORT_CACHE}
    assert rules["/briefings/"] == {"Cache-Control": SHORT_CACHE}
    assert not [p for p in rules if "static" in p or "_headers" in p]


def test_without_the_output_paths_they_are_planned_from_the_site(subpath):
    site, files = subpath
    rules = dict(parse_headers(files_of(site)["_headers"]))
    for pattern in ("/briefings/", "/briefings/briefings/*", "/briefings/feed.xml"):
        assert rules[pattern] == {"Cache-Control": SHORT_CACHE}
    css = next(p for p in files if is_fingerprinted(p))
    assert rules["/briefings/" + css] == {"Cache-Control": LONG_CACHE}


def test_headers_include_the_configured_headers_for_every_path(subpath):
    site, _ = subpath
    rules = parse_headers(files_of(site)["_headers"])
    pattern, headers = rules[0]
    assert pattern == "/briefings/*"
    assert headers == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }


def test_configured_headers_cannot_inject_rules(tmp_path):
    """briefgen.yaml refuses such entries (issue 13, tests/test_safety.py); given anyway
    (not through the file), the hosting stage still drops and folds them."""
    headers = {"Bad Name": "x", "X-Note": "one\n/*\n  Evil: yes"}
    site, _ = built(
        tmp_path / "s", "title: Desk\nbase_url: https://example.org/\n", headers=headers
    )
    text = files_of(site)["_headers"]
    assert "Bad Name" not in text
    assert "  X-Note: one /* Evil: yes" in text.splitlines()
    assert "Evil: yes" not in [line.strip() for line in text.splitlines()]


def test_serve_mode_has_no_fingerprinted_assets_to_cache_long(tmp_path):
    site, _ = built(tmp_path / "s", "title: Desk\n", options=serve_options())
    assert LONG_CACHE not in files_of(site)["_headers"]


def test_cache_control_policy():
    assert cache_control("static/style.0123456789.css") == LONG_CACHE
    assert cache_control("static/vendor/app.abcdef0123.js") == LONG_CACHE
    assert cache_control("static/style.css") == SHORT_CACHE
    assert cache_control("static/logo.png") == SHORT_CACHE
    assert cache_control("style.0123456789.css") == SHORT_CACHE  # only under static/
    assert cache_control("index.html") == SHORT_CACHE
    assert cache_control("feed.xml") == SHORT_CACHE


def test_hosting_files_are_deterministic(tmp_path):
    first, _ = built(tmp_path / "a", "title: Desk\nbase_url: https://example.org/\n")
    paths = [p for p in tree(first.config.output_path) if p not in HOST_FILES]
    again, _ = hosting_files(first, paths)
    assert hosting_files(first, list(reversed(paths)))[0] == again
    assert [f.path for f in again] == ["_headers", "_redirects"]
