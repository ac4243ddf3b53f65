"""Issue 19: what a publishing desk expects — author profiles, series, corrections,
standalone pages with menus — built for real (make_site + the pipeline), each feature
with its diagnostics."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import feedparser
from conftest import REPO, briefing, build_site, headline, make_site, one, page, read_json

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>\n'
PROFILES = """\
- name: Aigerim Sadykova
  role: Senior Fellow
  affiliation: Eurasia Desk
  bio: |
    Writes on **Kazakh** energy.
  photo: portraits/aigerim.svg
  variants: [A. Sadykova]
  links:
    orcid: 0000-0002-1825-0097
    email: a.sadykova@example.org
    mastodon: https://mastodon.example/@aigerim
"""


def ld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def desk_site(tmp_path: Path, files: dict[str, str], **extra: str) -> Path:
    files = {"authors.yaml": PROFILES, "portraits/aigerim.svg": SVG, **files}
    return make_site(tmp_path, files, **extra)


# --- author profiles -------------------------------------------------------------------------


def test_issue_19_profile_page_byline_card_and_person_ld(tmp_path):
    root = desk_site(
        tmp_path,
        {
            "content/2024/a.md": briefing(
                "Oil routes",
                "2024-03-01",
                "Kazakhstan exports oil.",
                authors="[A. Sadykova]",
                topics="[kazakhstan]",
            ),
            "content/2024/b.md": briefing(
                "EU and Uzbekistan",
                "2024-04-01",
                "The EU met Uzbekistan.",
                authors="[Aigerim Sadykova, Jan Novak]",
                topics="[uzbekistan]",
            ),
        },
    )
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    author = page(root, "authors/aigerim-sadykova/index.html")
    assert "Senior Fellow, Eurasia Desk" in author
    assert "<strong>Kazakh</strong> energy" in author  # the bio is Markdown
    assert 'src="/authors/aigerim-sadykova/aigerim.svg"' in author
    assert (root / "site/authors/aigerim-sadykova/aigerim.svg").read_text() == SVG
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in author
    assert 'href="mailto:a.sadykova@example.org"' in author
    # briefings by topic: one group per first topic, both briefings on one page
    groups = re.findall(r'<h3 id="g-\d+">(.*?)</h3>', author)
    assert [re.sub("<[^>]+>", "", g).split()[0] for g in groups] == ["Kazakhstan", "Uzbekistan"]
    person = next(b for b in ld_blocks(author) if b["@type"] == "ProfilePage")["mainEntity"]
    assert person["sameAs"] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://mastodon.example/@aigerim",
    ]
    assert person["jobTitle"] == "Senior Fellow"
    # the variant spelling shows as the profile's name and leads to its page
    a = page(root, "briefings/a/index.html")
    assert '<a href="/authors/aigerim-sadykova/">Aigerim Sadykova</a>' in a
    assert "A. Sadykova</a>" not in a
    assert 'class="author-card"' in a and "About the author" in a
    article = next(b for b in ld_blocks(a) if b["@type"] in ("Article", "NewsArticle"))
    assert article["author"][0]["sameAs"][0] == "https://orcid.org/0000-0002-1825-0097"
    assert not (root / "site/authors/a-sadykova").exists()
    # an author with no profile is fine: a plain page, no card
    assert "<h1>Jan Novak</h1>" in page(root, "authors/jan-novak/index.html")
    b = page(root, "briefings/b/index.html")
    assert b.count('class="author-card"') == 1 and "About the author<" in b
    api = read_json(root, "api/authors.json")["authors"]
    assert [p["slug"] for p in api] == ["aigerim-sadykova"]
    assert api[0]["variants"] == ["A. Sadykova"]
    rows = {r["slug"]: r for r in read_json(root, "api/briefings.json")["briefings"]}
    assert rows["a"]["authors"] == ["A. Sadykova"]  # as written
    assert rows["a"]["author_pages"] == [
        {"name": "Aigerim Sadykova", "url": "https://example.org/authors/aigerim-sadykova/"}
    ]


def test_issue_19_profile_as_markdown_file_with_photo_beside_it(tmp_path):
    root = make_site(
        tmp_path,
        {
            "content/authors/nodira-karimova.md": (
                "---\nname: Nodira Karimova\nrole: Fellow\nphoto: nodira.svg\n---\n"
                "Reports from *Tashkent*.\n"
            ),
            "content/authors/nodira.svg": SVG,
            "content/2024/a.md": briefing("A", authors="[Nodira Karimova]"),
        },
    )
    result = build_site(root)
    # not a briefing, and its photo is not an unreferenced briefing file
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    assert result.counts[0] == 1
    html = page(root, "authors/nodira-karimova/index.html")
    assert "Reports from <em>Tashkent</em>." in html
    assert (root / "site/authors/nodira-karimova/nodira.svg").is_file()


def test_issue_19_unused_profile_is_a_warning_at_its_line(tmp_path):
    root = desk_site(
        tmp_path,
        {
            "authors.yaml": PROFILES + "- name: Tomas Lindqvist\n  role: Associate Fellow\n",
            "content/2024/a.md": briefing("A", authors="[Aigerim Sadykova]"),
        },
    )
    result = build_site(root)
    assert result.ok
    assert headline(one(result.diagnostics, "unused-profile")) == (
        "authors.yaml:12: warning: no briefing names `Tomas Lindqvist` [unused-profile]"
    )
    # the profile still has its page (a new colleague with nothing published yet)
    assert "No briefings yet." in page(root, "authors/tomas-lindqvist/index.html")


def test_issue_19_two_spellings_sharing_a_slug_without_a_profile_are_a_warning(tmp_path):
    files = {
        "content/2024/a.md": briefing("A", authors="[Jöhn Smith]"),
        "content/2024/b.md": briefing("B", authors="[John Smith]"),
    }
    result = build_site(make_site(tmp_path / "one", files))
    diag = one(result.diagnostics, "author-spellings")
    assert headline(diag) == (
        "2024/b.md: warning: `Jöhn Smith` (2024/a.md) and `John Smith` (2024/b.md) share the "
        "page /authors/john-smith/ [author-spellings]"
    )
    assert "variants: [John Smith]" in diag.hint
    # with a profile listing the variant, nothing to warn about
    profile = "- name: John Smith\n  variants: [Jöhn Smith]\n"
    result = build_site(make_site(tmp_path / "two", {**files, "authors.yaml": profile}))
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]


def test_issue_19_bad_profiles_name_their_lines(tmp_path):
    profiles = (
        "- name: Ann Lee\n  links:\n    orcid: 1234\n    website: ftp://x\n"
        "- name: Ann Lee\n  photo: ../secret.png\n"
        "- role: Nobody\n"
    )
    root = make_site(
        tmp_path,
        {"authors.yaml": profiles, "content/2024/a.md": briefing("A", authors="[Ann Lee]")},
    )
    result = build_site(root, write=False)
    lines = sorted(headline(d) for d in result.diagnostics if d.is_error)
    assert lines == [
        "authors.yaml:3: error: `orcid: 1234` is not a usable link [bad-link]",
        "authors.yaml:4: error: `website: ftp://x` is not a usable link [bad-link]",
        "authors.yaml:5: error: /authors/ann-lee/ already has a profile (authors.yaml:1) "
        "[duplicate-profile]",
        "authors.yaml:6: error: photo `../secret.png` must be a file beside the profile "
        "[bad-photo]",
        "authors.yaml:7: error: `name` is missing [missing-name]",
    ]
    assert not (tmp_path / "site").exists()


# --- series ---------------------------------------------------------------------------------

SERIES = """\
- id: connectivity
  title: Central Asia connectivity
  order: part
  description: Read in *order*.
- id: dated
  title: By date
"""


def series_site(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "series.yaml": SERIES,
        "content/2024/one.md": briefing("One", "2024-05-01", series="connectivity", part=1),
        "content/2024/two.md": briefing("Two", "2024-01-01", series="connectivity", part=2),
        "content/2024/three.md": briefing("Three", "2024-03-01", series="connectivity", part=3),
        "content/2024/other.md": briefing("Other", "2024-06-01"),
        **(extra or {}),
    }
    return make_site(tmp_path, files)


def test_issue_19_series_part_of_with_prev_next_page_feed_and_api(tmp_path):
    root = series_site(tmp_path)
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    two = page(root, "briefings/two/index.html")
    assert "<strong>Part 2 of 3</strong>" in two
    assert re.search(r'rel="prev" href="/briefings/one/">← Part 1: One', two)
    assert re.search(r'rel="next" href="/briefings/three/">Part 3: Three →', two)
    article = next(b for b in ld_blocks(two) if b["@type"] in ("Article", "NewsArticle"))
    assert article["isPartOf"][0] == {
        "@type": "CreativeWorkSeries",
        "name": "Central Asia connectivity",
        "url": "https://example.org/series/connectivity/",
    }
    assert 'rel="prev"' not in page(root, "briefings/one/index.html").split("series-nav")[1][:400]
    series = page(root, "series/connectivity/index.html")
    assert [m for m in re.findall(r'href="/briefings/(\w+)/"', series)] == ["one", "two", "three"]
    assert "Read in <em>order</em>." in series
    assert "By date" in page(root, "series/index.html")
    feed = feedparser.parse(page(root, "series/connectivity/feed.xml"))
    assert [e.title for e in feed.entries] == ["One", "Three", "Two"]  # newest first
    main = feedparser.parse(page(root, "feed.xml"))
    two_entry = next(e for e in main.entries if e.title == "Two")
    assert any(t.term == "connectivity" for t in two_entry.tags)
    rows = {r["slug"]: r for r in read_json(root, "api/briefings.json")["briefings"]}
    assert rows["three"]["series"] == {
        "id": "connectivity",
        "title": "Central Asia connectivity",
        "url": "https://example.org/series/connectivity/",
        "part": 3,
        "of": 3,
    }
    assert rows["other"]["series"] is None
    listed = read_json(root, "api/series.json")["series"]
    assert [(s["id"], s["briefings"]) for s in listed] == [
        ("connectivity", ["one", "two", "three"]),
        ("dated", []),
    ]


def test_issue_19_series_by_date_orders_oldest_first(tmp_path):
    root = make_site(
        tmp_path,
        {
            "series.yaml": SERIES,
            "content/a.md": briefing("Later", "2024-05-01", series="dated"),
            "content/b.md": briefing("Earlier", "2024-01-01", series="dated"),
        },
    )
    assert build_site(root).ok
    assert "Part 1 of 2" in page(root, "briefings/b/index.html")
    assert "Part 2 of 2" in page(root, "briefings/a/index.html")


def test_issue_19_series_diagnostics(tmp_path):
    root = series_site(
        tmp_path,
        {
            "content/2024/typo.md": briefing("Typo", series="conectivity"),
            "content/2024/dupe.md": briefing("Dupe", series="connectivity", part=2),
            "content/2024/nopart.md": briefing("No part", series="connectivity"),
            "content/2024/bad.md": briefing("Bad", series="'Not An Id'"),
        },
    )
    result = build_site(root, write=False)
    found = sorted(headline(d) for d in result.diagnostics)
    assert found == [
        "2024/bad.md:4: error: series `Not An Id` is not a series id (lowercase letters, "
        "digits, hyphens) [bad-series]",
        "2024/nopart.md:4: warning: series `connectivity` is ordered by part; this briefing "
        "has no `part:` [missing-part]",
        "2024/two.md:4: warning: part 2 of `connectivity` is also 2024/dupe.md [duplicate-part]",
        "2024/typo.md:4: warning: series `conectivity` is not in series.yaml; the briefing is "
        "in no series [unknown-series]",
    ]
    assert one(result.diagnostics, "unknown-series").hint == "did you mean `connectivity`?"


# --- corrections and updates ----------------------------------------------------------------


def test_issue_19_corrections_are_dated_notes_feed_updated_and_listed(tmp_path):
    corrections = (
        '\n  - {date: 2024-05-09, text: "An earlier version misnamed the port."}'
        '\n  - {date: 2024-05-03, text: "The tonnage was 2.8 million, not 28 million."}'
    )
    root = make_site(
        tmp_path,
        {
            "content/2024/a.md": briefing("Ports", "2024-05-01", corrections=corrections),
            "content/2024/b.md": briefing("Updated", "2024-04-01", updated="2024-04-20"),
            "content/2024/c.md": briefing("Plain", "2024-04-02"),
        },
    )
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    a = page(root, "briefings/a/index.html")
    notes = re.findall(r'<p class="revision correction" role="note">(.*?)</p>', a)
    assert [re.sub("<[^>]+>", "", n) for n in notes] == [
        "Correction, 9 May 2024: An earlier version misnamed the port.",
        "Correction, 3 May 2024: The tonnage was 2.8 million, not 28 million.",
    ]
    assert '<meta property="article:published_time" content="2024-05-01T00:00:00Z">' in a
    article = next(b for b in ld_blocks(a) if b["@type"] in ("Article", "NewsArticle"))
    assert article["datePublished"] == "2024-05-01T00:00:00Z"
    assert article["dateModified"] == "2024-05-09T00:00:00Z"
    assert [c["datePublished"] for c in article["correction"]] == [
        "2024-05-03T00:00:00Z",
        "2024-05-09T00:00:00Z",
    ]
    assert 'Updated <time datetime="2024-04-20T00:00:00Z">' in page(root, "briefings/b/index.html")
    feed = feedparser.parse(page(root, "feed.xml"))
    entries = {e.title: e for e in feed.entries}
    assert entries["Ports"].published.startswith("2024-05-01")
    assert entries["Ports"].updated.startswith("2024-05-09")
    assert any(t.term == "corrected" for t in entries["Ports"].tags)
    assert entries["Plain"].updated.startswith("2024-04-02")
    listing = page(root, "corrections/index.html")
    assert listing.index("misnamed the port") < listing.index("2.8 million")
    assert 'href="/briefings/a/#corrections"' in listing
    row = next(r for r in read_json(root, "api/briefings.json")["briefings"] if r["slug"] == "a")
    assert row["corrections"][0] == {
        "date": "2024-05-03T00:00:00Z",
        "text": "The tonnage was 2.8 million, not 28 million.",
    }
    assert 'href="/corrections/"' in page(root, "index.html")  # linked from every footer


def test_issue_19_bad_corrections_name_their_lines(tmp_path):
    corrections = '\n  - {date: 2024-13-01, text: "x"}\n  - {date: 2024-05-02}\n  - just text'
    root = make_site(tmp_path, {"content/a.md": briefing("A", corrections=corrections)})
    result = build_site(root, write=False)
    assert sorted(headline(d) for d in result.diagnostics) == [
        "a.md:5: error: correction date: `2024-13-01` is not a real date (month must be in "
        "1..12) [bad-correction]",
        "a.md:6: error: each correction needs a `date` and a `text` [bad-correction]",
        "a.md:7: error: each correction needs a `date` and a `text` [bad-correction]",
    ]


# --- standalone pages and menus -------------------------------------------------------------

MENU = """\
title: Test Desk
base_url: https://example.org/desk/
menu:
  header:
    - {title: Briefings, url: /}
    - {title: About us, url: /about/}
    - {title: Elsewhere, url: "https://elsewhere.example/"}
  footer:
    - {title: Methodology, url: /methodology/}
"""


def test_issue_19_standalone_pages_with_chrome_menu_and_sub_path_links(tmp_path):
    root = make_site(
        tmp_path,
        {
            "content/pages/about.md": (
                "---\ntitle: About us\ndescription: Who we are.\n---\n"
                "See [our topics](/topics/) and [the method](/methodology/).\n"
            ),
            "content/pages/methodology.md": "---\ntitle: Methodology\n---\nHow we work.\n",
            "content/2024/a.md": briefing("A"),
        },
        config=MENU,
    )
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    assert result.counts[0] == 1  # pages are not briefings
    about = page(root, "about/index.html")
    assert "<h1>About us</h1>" in about and "Who we are." in about
    assert 'href="/desk/topics/"' in about and 'href="/desk/methodology/"' in about
    for furniture in ('class="bluf"', "Cite this briefing", "Related briefings", "min read"):
        assert furniture not in about
    nav = re.search(r'<nav aria-label="Site">(.*?)</nav>', about, re.S)[1]
    assert re.findall(r'<a href="([^"]+)"', nav) == [
        "/desk/",
        "/desk/about/",
        "https://elsewhere.example/",
    ]
    assert '<a href="/desk/about/" aria-current="page">About us</a>' in nav
    footer = re.search(r'<nav aria-label="Footer">(.*?)</nav>', about, re.S)[1]
    assert '<a href="/desk/methodology/">Methodology</a>' in footer
    home = page(root, "index.html")
    assert (
        "About us" in home and "Archive</a>" not in re.search(r"<header.*?</header>", home, re.S)[0]
    )


def test_issue_19_page_diagnostics_and_menu_errors(tmp_path):
    config = "title: T\nmenu:\n  header:\n    - {title: About}\n    - {title: X, url: about}\n"
    root = make_site(
        tmp_path,
        {
            "content/pages/topics.md": "---\ntitle: Clash\n---\nx\n",
            "content/pages/untitled.md": "---\ndescription: no title\n---\nx\n",
            "content/a.md": briefing("A"),
        },
        config=config,
    )
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("briefgen")), "build"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    for line in (
        "briefgen.yaml:4: error: a menu item needs a `title` and a `url` [config-value]",
        "briefgen.yaml:5: error: menu link `about` must be a site path (/about/) or an "
        "http(s) URL [config-value]",
        "pages/topics.md:2: error: `/topics/` is already used by the topic pages [duplicate-url]",
        "pages/untitled.md:2: error: `title` is missing [missing-title]",
    ):
        assert line in out, out
    assert "Traceback" not in out
    assert not (root / "site").exists()


def test_issue_19_example_site_has_the_desk(tmp_path):
    """The example site: profiles with drawn portraits, a series of at least three, a
    corrected briefing, an About and a Methodology page and a menu."""
    profiles = sorted(p.stem for p in (REPO / "content/authors").glob("*.md") if "." not in p.stem)
    assert len(profiles) >= 5
    # the Russian edition's profiles translate each one (x.ru.md beside x.md)
    assert {p.stem for p in (REPO / "content/authors").glob("*.ru.md")} == {
        f"{slug}.ru" for slug in profiles
    }
    for slug in profiles:
        svg = (REPO / f"content/authors/{slug}.svg").read_text(encoding="utf-8")
        assert "placeholder portrait" in svg and "<image" not in svg
    text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.md"))
    assert text.count("series: central-asia-connectivity") >= 3
    assert "corrections:" in text
    pages = {p.name for p in (REPO / "content/pages").glob("*.md")}
    assert pages >= {"about.md", "methodology.md", "about.ru.md", "methodology.ru.md"}
    assert "menu:" in (REPO / "briefgen.yaml").read_text(encoding="utf-8")
