"""Loading briefings: front matter fields, slugs, dates, body blocks; bad bytes never raise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SMALL_TOPICS, briefing, build_site, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.load.briefing import read_briefing
from briefgen.load.registry import load_registry

UTC = dt.UTC


def load(tmp_path: Path, files: dict[str, str], **config: object):
    root = make_site(tmp_path / "s", files)
    result = build_site(root, write=False, **config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {slug: e.briefing for slug, e in result.site.by_slug.items()}


FULL = """\
---
title: "  Borrell takes the connectivity pitch to Samarkand  "
date: 2022-11-19
updated: 2022-11-21T09:30:00+01:00
authors: [Aigerim Sadykova, "Jan Novak"]
topics: [eu, Central Asia, TITR, eu]
type: Analysis
summary: "Our summary."
key_points:
  - First.
  - Second.
sources:
  - {title: "EEAS press release", url: "https://www.eeas.europa.eu/"}
  - Interview notes
  - https://example.org/report
slug: borrell-samarkand
aliases: [2022/11/old-url, /2022/11/older/]
draft: false
topics_auto: false
desk_note: internal
---

First paragraph about the EU.

## A heading

- a list item
"""


def test_every_front_matter_field(tmp_path):
    b = load(tmp_path, {"content/2022/borrell.md": FULL})["borrell-samarkand"]
    assert b.source == "2022/borrell.md"
    assert b.title == "Borrell takes the connectivity pitch to Samarkand"
    assert b.date == dt.datetime(2022, 11, 19, tzinfo=UTC)
    assert b.updated == dt.datetime(2022, 11, 21, 8, 30, tzinfo=UTC)
    assert b.authors == ("Aigerim Sadykova", "Jan Novak")
    assert b.topics == ("eu", "central-asia", "middle-corridor")
    assert b.type == "analysis"
    assert (b.summary, b.key_points) == ("Our summary.", ("First.", "Second."))
    assert [(s.title, s.url) for s in b.sources] == [
        ("EEAS press release", "https://www.eeas.europa.eu/"),
        ("Interview notes", ""),
        ("https://example.org/report", "https://example.org/report"),
    ]
    assert b.url == "/briefings/borrell-samarkand/"
    assert b.aliases == ("/2022/11/old-url/", "/2022/11/older/")
    assert (b.draft, b.topics_auto) == (False, False)
    assert b.extra == {"desk_note": "internal"}


def test_defaults(tmp_path):
    b = load(tmp_path, {"content/plain.md": briefing("Plain")})["plain"]
    assert (b.authors, b.topics, b.type, b.draft, b.summary, b.key_points) == (
        (),
        (),
        "brief",
        False,
        None,
        None,
    )
    assert (b.updated, b.sources, b.aliases, b.topics_auto, b.extra) == (None, (), (), True, {})


def test_single_author_may_be_a_string(tmp_path):
    b = load(tmp_path, {"content/a.md": briefing("A", authors="Jane Doe")})["a"]
    assert b.authors == ("Jane Doe",)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("grain-exports.md", "grain-exports"),
        ("Grain Exports (Final).md", "grain-exports-final"),
        ("Ünïcödé Brief.md", "unicode-brief"),
    ],
)
def test_slug_from_the_file_name(tmp_path, name, slug):
    assert list(load(tmp_path, {f"content/2024/{name}": briefing("T")})) == [slug]


def test_non_latin_file_name_still_gets_a_url_safe_slug(tmp_path):
    # issue 15: transliterated (python-slugify), no longer a hash
    (slug,) = load(tmp_path, {"content/Қазақстан.md": briefing("T")})
    assert slug == "kazakstan"
    (slug,) = load(tmp_path / "emoji", {"content/🙂.md": briefing("T")})
    assert slug.startswith("x-") and slug.replace("-", "").isalnum() and slug.isascii()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-01", dt.datetime(2024, 6, 1, tzinfo=UTC)),
        ('"2024-06-01"', dt.datetime(2024, 6, 1, tzinfo=UTC)),
        ("2024-06-01T10:30:00+02:00", dt.datetime(2024, 6, 1, 8, 30, tzinfo=UTC)),
        ("2024-06-01T10:30:00Z", dt.datetime(2024, 6, 1, 10, 30, tzinfo=UTC)),
        ("2024-06-01 10:30", dt.datetime(2024, 6, 1, 10, 30, tzinfo=UTC)),
        ("2024-02-29", dt.datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_dates(tmp_path, value, expected):
    assert load(tmp_path, {"content/d.md": briefing("D", date=value)})["d"].date == expected


def test_front_matter_may_close_with_dots_and_fences_may_have_trailing_spaces(tmp_path):
    text = "---   \ntitle: Dots\ndate: 2024-01-01\n...\n\nBody.\n"
    assert load(tmp_path, {"content/d.md": text})["d"].title == "Dots"


def test_empty_body_is_allowed(tmp_path):
    b = load(tmp_path, {"content/e.md": "---\ntitle: E\ndate: 2024-01-01\n---\n"})["e"]
    assert (b.doc.blocks, b.doc.words) == ((), 0)


def test_body_blocks_know_their_kind_and_file_line(tmp_path):
    text = (
        "---\ntitle: T\ndate: 2024-01-01\n---\n"  # lines 1-4
        "\n"  # 5
        "Opening paragraph.\n"  # 6
        "\n"  # 7
        "## A heading\n"  # 8
        "\n"  # 9
        "- an item\n"  # 10
        "\n"  # 11
        "> a quote\n"  # 12
        "\n"  # 13
        "| cell |\n|---|\n| data |\n"  # 14-16
        "\n"  # 17
        "![alt](x.png)\n"  # 18
        "\n"  # 19
        "*A caption.*\n"  # 20
        "\n"  # 21
        "Text.[^n]\n"  # 22
        "\n"  # 23
        "[^n]: A note.\n"  # 24
    )
    b = load(tmp_path, {"content/t.md": text})["t"]
    assert [(blk.kind, blk.text, blk.line) for blk in b.doc.blocks] == [
        ("p", "Opening paragraph.", 6),
        ("heading", "A heading", 8),
        ("li", "an item", 10),
        ("quote", "a quote", 12),
        ("cell", "cell", 14),
        ("cell", "data", 16),
        ("caption", "A caption.", 20),
        ("p", "Text.", 22),
        ("footnote", "A note.", 24),
    ]
    assert b.doc.has_footnotes


def test_markdown_extensions(tmp_path):
    body = "## Section Two\n\n~~old~~ new\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    html = load(tmp_path, {"content/m.md": briefing("M", body=body)})["m"].doc.html
    assert '<h2 id="section-two">Section Two</h2>' in html
    assert "<s>old</s>" in html
    assert "<td>1</td>" in html


def test_raw_html_is_sanitised(tmp_path):
    body = (
        '<p onclick="x()">Hi <script>alert(1)</script><img src="data:image/png;base64,AA"></p>'
        '\n\n<a href="javascript:alert(1)">x</a> <a href="https://ok.example/">ok</a>'
    )
    html = load(tmp_path, {"content/h.md": briefing("H", body=body)})["h"].doc.html
    for bad in ("onclick", "<script", "javascript:", "data:image"):
        assert bad not in html
    assert '<a href="https://ok.example/">ok</a>' in html


def test_drafts_load_only_when_asked(tmp_path):
    files = {"content/a.md": briefing("A"), "content/d.md": briefing("D", draft="true")}
    assert list(load(tmp_path / "one", files)) == ["a"]
    loaded = load(tmp_path / "two", files, drafts=True)
    assert sorted(loaded) == ["a", "d"] and loaded["d"].draft


# --- robustness: bad input is a diagnostic, never an exception ------------------------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "topics.yaml"
    path.write_text(SMALL_TOPICS, encoding="utf-8")
    return load_registry(path, "topics.yaml")[0]


_YAMLISH = st.lists(
    st.sampled_from(
        [
            "title",
            "date",
            "topics",
            "authors",
            "slug",
            "aliases",
            "sources",
            "draft",
            "type",
            ":",
            ": ",
            "-",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&a",
            "*a",
            "!!str",
            "!!python/name:os.system",
            "'",
            '"',
            "#",
            "|",
            ">",
            "\n",
            "\n  ",
            "\t",
            "2024-01-01",
            "2024-13-45",
            "Kazakhstan",
            "EU",
            "yes",
            "~",
            "../",
            "/",
            "https://x.example",
            "---",
            "...",
            "\r",
            "\ufeff",
            "é",
        ]
    ),
    max_size=40,
).map("".join)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(front=_YAMLISH, body=st.text(max_size=200))
def test_any_front_matter_gives_a_briefing_or_diagnostics(registry, front, body):
    raw = ("---\n" + front + "\n---\n" + body).encode("utf-8", "surrogatepass")
    result, diags = read_briefing("x.md", raw, registry)
    assert result is not None or any(d.is_error for d in diags)
    for d in diags:
        assert d.file == "x.md" and d.line >= 0 and d.message and d.code


@settings(max_examples=200, deadline=None, derandomize=True)
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_a_briefing_or_diagnostics(registry, raw):
    result, diags = read_briefing("x.md", raw, registry)
    assert result is not None or any(d.is_error for d in diags)
