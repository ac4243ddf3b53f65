"""Rendered pages: which exist, what they show, escaping, drafts, links and templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, one, page, read_json

KZ_BODY = """
Kazakhstan raised its grain export quota for the season, officials in Astana said on Monday.

## What Kazakhstan wants

Kazakhstan wants new buyers in the Gulf and a second rail route to China for its wheat.
"""


def site_with(tmp_path: Path, files: dict[str, str], **config: object) -> Path:
    root = make_site(tmp_path / "s", files)
    result = build_site(root, **config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A three-briefing site built once for the read-only tests of this module."""
    return site_with(
        tmp_path_factory.mktemp("small"),
        {
            "content/2024/grain.md": briefing(
                "Kazakhstan raises grain quota",
                date="2024-05-01",
                body=KZ_BODY,
                authors="[Aigerim Sadykova, Jöhn Smith]",
                topics="[kazakhstan]",
                type="analysis",
                aliases="[/2024/05/grain-quota/]",
                key_points='["Quota up by a fifth.", "Rail is the bottleneck."]',
                sources='\n  - {title: "Ministry statement", url: "https://example.gov/kz"}'
                "\n  - Interview notes",
            ),
            "content/2024/eu.md": briefing(
                "The EU and Central Asia",
                date="2024-03-10",
                body="The EU met Central Asian foreign ministers. The EU promised new funds.",
                authors="[Aigerim Sadykova]",
            ),
            "content/2023/old.md": briefing("Uzbekistan's cotton reform", date="2023-11-28"),
        },
    )


def test_every_kind_of_page_is_built(small):
    site = small / "site"
    for rel in (
        "index.html",
        "404.html",
        "briefings/grain/index.html",
        "briefings/eu/index.html",
        "briefings/old/index.html",
        "topics/index.html",
        "topics/kazakhstan/index.html",
        "topics/kazakhstan/feed.xml",
        "authors/index.html",
        "authors/aigerim-sadykova/index.html",
        "authors/john-smith/index.html",
        "archive/index.html",
        "2024/05/grain-quota/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "api/briefings.json",
        "api/topics.json",
    ):
        assert (site / rel).is_file(), rel
    assert len(list((site / "static").glob("style.*.css"))) == 1


def test_home_lists_briefings_newest_first(small):
    html = page(small, "index.html")
    titles = re.findall(r'<h2 class="card-title"><a href="([^"]+)">([^<]+)</a>', html)
    assert titles == [
        ("/briefings/grain/", "Kazakhstan raises grain quota"),
        ("/briefings/eu/", "The EU and Central Asia"),
        ("/briefings/old/", "Uzbekistan&#39;s cotton reform"),
    ]
    assert "<title>Test Desk</title>" in html


def test_home_is_paginated(tmp_path):
    files = {
        f"content/b{i}.md": briefing(f"Briefing {i}", date=f"2024-01-{i + 1:02d}") for i in range(5)
    }
    root = site_with(tmp_path, files, per_page=2)
    first, second, third = (
        page(root, "index.html"),
        page(root, "page/2/index.html"),
        page(root, "page/3/index.html"),
    )
    assert "Briefing 4" in first and "Briefing 3" in first and "Briefing 2" not in first
    assert "Briefing 2" in second and "Briefing 1" in second
    assert "Briefing 0" in third
    assert '<a rel="next" href="/page/2/">' in first
    assert '<a rel="prev" href="/">' in second and '<a rel="next" href="/page/3/">' in second
    assert "<span>Page 3 of 3</span>" in third
    assert not (root / "site" / "page" / "4").exists()


def test_briefing_page(small):
    html = page(small, "briefings/grain/index.html")
    assert "<h1>Kazakhstan raises grain quota</h1>" in html
    assert '<time datetime="2024-05-01T00:00:00Z">1 May 2024</time>' in html
    assert '<span class="type type-analysis">Analysis</span>' in html
    assert '<a href="/authors/aigerim-sadykova/">Aigerim Sadykova</a>' in html
    assert '<a href="/authors/john-smith/">Jöhn Smith</a>' in html
    assert '<a class="chip chip-country" href="/topics/kazakhstan/">Kazakhstan</a>' in html
    assert '<ul class="key-points"><li>Quota up by a fifth.</li>' in html
    assert '<a href="https://example.gov/kz" rel="noopener">Ministry statement</a>' in html
    assert "<li>Interview notes</li>" in html
    assert '<link rel="canonical" href="https://example.org/briefings/grain/">' in html
    assert '<meta property="og:type" content="article">' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    data = json.loads(ld)
    assert data["headline"] == "Kazakhstan raises grain quota"
    assert data["@type"] == "Article"
    assert data["mainEntityOfPage"] == "https://example.org/briefings/grain/"
    assert [a["name"] for a in data["author"]] == ["Aigerim Sadykova", "Jöhn Smith"]


def test_topics_index_groups_by_kind_with_counts(small):
    html = page(small, "topics/index.html")
    assert '<h2 id="kind-country">Countries</h2>' in html
    assert '<h2 id="kind-organisation">Organisations</h2>' in html
    assert '<a href="/topics/kazakhstan/">Kazakhstan</a> <span class="count">1</span>' in html


def test_topic_page_lists_its_briefings_and_hierarchy(small):
    kz = page(small, "topics/kazakhstan/index.html")
    assert "<h1>Kazakhstan</h1>" in kz
    assert 'part of <a href="/topics/central-asia/">Central Asia</a>' in kz
    assert "Kazakhstan raises grain quota" in kz
    assert "The EU and Central Asia" not in kz
    assert '<h2 id="list-h">1 briefing</h2>' in kz
    assert '<a href="/topics/kazakhstan/feed.xml">' in kz
    ca = page(small, "topics/central-asia/index.html")
    assert '<a class="chip chip-country" href="/topics/uzbekistan/">Uzbekistan</a>' in ca


def test_author_pages(small):
    index = page(small, "authors/index.html")
    assert (
        '<a href="/authors/aigerim-sadykova/">Aigerim Sadykova</a> <span class="count">2</span>'
        in index
    )
    assert '<a href="/authors/john-smith/">Jöhn Smith</a> <span class="count">1</span>' in index
    aigerim = page(small, "authors/aigerim-sadykova/index.html")
    assert "<h1>Aigerim Sadykova</h1>" in aigerim
    assert "Kazakhstan raises grain quota" in aigerim and "The EU and Central Asia" in aigerim
    assert "cotton reform" not in aigerim


def test_archive_by_year_and_month(small):
    html = page(small, "archive/index.html")
    assert html.index('<h2 id="h2024">2024</h2>') < html.index('<h2 id="h2023">2023</h2>')
    assert '<h3 id="y2024-05">May 2024</h3>' in html
    assert '<h3 id="y2024-03">March 2024</h3>' in html
    assert '<h3 id="y2023-11">November 2023</h3>' in html
    assert '<time datetime="2023-11-28T00:00:00Z">28 Nov</time>' in html


def test_404_page(small):
    html = page(small, "404.html")
    assert "<h1>Page not found</h1>" in html
    assert '<li><a href="/briefings/grain/">Kazakhstan raises grain quota</a></li>' in html


def test_alias_redirects_to_the_briefing(small):
    html = page(small, "2024/05/grain-quota/index.html")
    assert '<meta http-equiv="refresh" content="0; url=/briefings/grain/">' in html
    assert '<link rel="canonical" href="https://example.org/briefings/grain/">' in html
    assert '<meta name="robots" content="noindex">' in html


def test_titles_and_raw_html_are_escaped(tmp_path):
    root = site_with(
        tmp_path,
        {
            "content/x.md": briefing(
                "<script>alert(1)</script> & friends",
                authors='["<b>Bold</b> Author"]',
                body=(
                    "Safe text <script>alert(2)</script> and "
                    '<a href="javascript:alert(3)" onclick="x()">a link</a>.\n\n'
                    '<iframe src="https://evil.example/x"></iframe>'
                ),
            )
        },
    )
    site = root / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "<script>alert" not in text, path
            assert "<b>Bold</b>" not in text, path
            assert "javascript:" not in text and "onclick" not in text, path
            assert "evil.example" not in text, path
    html = page(root, "briefings/x/index.html")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends</h1>" in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends — Test Desk</title>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Author" in html
    assert ">a link</a>" in html
    assert "\\u003cscript\\u003e" in html  # JSON-LD
    # JSON is data, not markup: the title is kept as written
    row = read_json(root, "api/briefings.json")["briefings"][0]
    assert row["title"] == "<script>alert(1)</script> & friends"


def test_iframes_only_from_allowed_hosts(tmp_path):
    body = (
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n\n'
        '<iframe src="https://evil.example/y"></iframe>'
    )
    root = make_site(
        tmp_path / "s",
        {"content/x.md": briefing("Video", body=body)},
        config="title: T\niframe_hosts: [www.youtube-nocookie.com]\n",
    )
    assert build_site(root).ok
    html = page(root, "briefings/x/index.html")
    assert 'src="https://www.youtube-nocookie.com/embed/x"' in html
    assert "evil.example" not in html


DRAFTS = {
    "content/pub.md": briefing("Published piece", topics="[eu]"),
    "content/wip.md": briefing("Secret draft", draft="true", topics="[eu]"),
}


def test_drafts_are_excluded_by_default(tmp_path):
    root = site_with(tmp_path, DRAFTS)
    site = root / "site"
    assert not (site / "briefings" / "wip").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "Secret draft" not in path.read_text(encoding="utf-8"), path


def test_drafts_are_included_with_drafts_true(tmp_path):
    root = site_with(tmp_path, DRAFTS, drafts=True)
    html = page(root, "briefings/wip/index.html")
    assert '<p class="draft-banner" role="note">Draft — not published</p>' in html
    assert '<article class="briefing is-draft">' in html
    assert "Secret draft" in page(root, "index.html")
    rows = {r["slug"]: r["draft"] for r in read_json(root, "api/briefings.json")["briefings"]}
    assert rows == {"pub": False, "wip": True}


def test_sub_path_base_url_prefixes_every_link(tmp_path):
    root = make_site(
        tmp_path / "s",
        {"content/x.md": briefing("Kazakhstan today", body=KZ_BODY, aliases="[/old/x/]")},
        config="title: T\nbase_url: https://example.org/desk\n",
    )
    assert build_site(root).ok
    html = page(root, "briefings/x/index.html")
    assert '<a class="topic-link" href="/desk/topics/kazakhstan/"' in html
    assert '<link rel="canonical" href="https://example.org/desk/briefings/x/">' in html
    assert '<a class="brand" href="/desk/">T</a>' in html
    hrefs = re.findall(r'(?:href|src)="(/[^"]*)"', html)
    assert hrefs and all(h.startswith("/desk/") for h in hrefs), hrefs
    assert 'url=/desk/briefings/x/"' in page(root, "old/x/index.html")
    assert "<loc>https://example.org/desk/briefings/x/</loc>" in page(root, "sitemap.xml")


# --- first-mention topic links ------------------------------------------------------------


def body_html(root: Path, slug: str = "x") -> str:
    html = page(root, f"briefings/{slug}/index.html")
    return html.split('<div class="body">', 1)[1].split("</div>", 1)[0]


def test_first_mention_is_linked_once(tmp_path):
    root = site_with(
        tmp_path,
        {
            "content/x.md": briefing(
                "Kazakhstan and the EU",
                body="Kazakhstan met the EU. Kazakhstan and the EU agreed.\n\nKazakhstan again.",
            )
        },
    )
    body = body_html(root)
    kz = '<a class="topic-link" href="/topics/kazakhstan/" title="Kazakhstan">Kazakhstan</a>'
    eu = '<a class="topic-link" href="/topics/eu/" title="European Union">EU</a>'
    assert body.count('class="topic-link"') == 2
    assert body.startswith(f"\n<p>{kz} met the {eu}. Kazakhstan and the EU agreed.</p>")


def test_links_skip_existing_links_headings_and_code(tmp_path):
    body = """
## Kazakhstan in a heading

See the [Kazakhstan portal](https://example.com/kz), `Kazakhstan` in code and:

```
Kazakhstan in a code block
```

Here Kazakhstan is plain text.
"""
    root = site_with(tmp_path, {"content/x.md": briefing("Kazakhstan", body=body)})
    html = body_html(root)
    assert html.count('class="topic-link"') == 1
    assert '<h2 id="kazakhstan-in-a-heading">Kazakhstan in a heading</h2>' in html
    assert '<a href="https://example.com/kz">Kazakhstan portal</a>' in html
    assert "<code>Kazakhstan</code>" in html
    assert "<pre><code>Kazakhstan in a code block\n</code></pre>" in html
    assert '<p>Here <a class="topic-link" href="/topics/kazakhstan/"' in html


def test_links_skip_footnotes(tmp_path):
    body = "The report cites a source.[^1] Later Kazakhstan is named.\n\n[^1]: Kazakhstan ministry."
    root = site_with(tmp_path, {"content/x.md": briefing("Kazakhstan", body=body)})
    html = body_html(root)
    assert html.count('class="topic-link"') == 1
    assert 'Later <a class="topic-link"' in html
    assert "<p>Kazakhstan ministry." in html


def test_only_topics_of_the_briefing_are_linked(tmp_path):
    root = site_with(
        tmp_path,
        {"content/x.md": briefing("Kazakhstan", body="Kazakhstan spoke; Russia listened.")},
    )
    html = body_html(root)
    assert 'href="/topics/kazakhstan/"' in html
    assert 'href="/topics/russia/"' not in html


def test_signals_are_not_linked(tmp_path):
    root = site_with(
        tmp_path,
        {
            "content/x.md": briefing(
                "Kazakhstan", body="Officials in Astana spoke. Kazakhstan agreed."
            )
        },
    )
    assert body_html(root).count('class="topic-link"') == 1
    assert "Officials in Astana spoke." in body_html(root)


# --- templates ------------------------------------------------------------------------------


def test_site_templates_override_the_theme(tmp_path):
    root = site_with(
        tmp_path,
        {
            "content/x.md": briefing("A"),
            "templates/404.html": (
                "{% extends 'base.html' %}{% block main %}Custom 404{% endblock %}"
            ),
        },
    )
    assert "Custom 404" in page(root, "404.html")
    assert "<h1>Page not found</h1>" not in page(root, "404.html")


@pytest.mark.parametrize(
    ("template", "code", "line"),
    [
        (
            "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
            "template-syntax",
            3,
        ),
        ("{% extends 'nope.html' %}\n", "template-missing", 0),
        (
            "{% extends 'base.html' %}\n{% block main %}\n{{ 1 // 0 }}\n{% endblock %}\n",
            "template-error",
            3,
        ),
    ],
    ids=["syntax", "missing", "error"],
)
def test_template_problems_are_diagnostics(tmp_path, template, code, line):
    root = make_site(
        tmp_path / "s", {"content/x.md": briefing("A"), "templates/home.html": template}
    )
    result = build_site(root)
    diag = one(result.diagnostics, code)
    assert diag.is_error and not result.ok
    assert diag.file.endswith("home.html")
    assert diag.line == line
    assert not (root / "site").exists()


# --- whole-site invariants ------------------------------------------------------------------


def internal_links(site: Path) -> dict[str, set[str]]:
    """{site path: set of output files linking to it} for every href/src starting with /."""
    found: dict[str, set[str]] = {}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r'(?:href|src)="(/(?!/)[^"#?]*)', text):
            found.setdefault(target, set()).add(path.relative_to(site).as_posix())
    return found


def resolves(site: Path, target: str) -> bool:
    rel = target.lstrip("/")
    return (site / rel / "index.html").is_file() if target.endswith("/") else (site / rel).is_file()


def test_output_paths_are_unique(small):
    result = build_site(small, write=False)
    paths = [f.path for f in result.rendered.files]
    assert len(paths) == len(set(paths))


def test_issue_7_every_internal_link_resolves(small):
    site = small / "site"
    broken = {t: sorted(s)[:3] for t, s in internal_links(site).items() if not resolves(site, t)}
    assert broken == {}


def test_issue_6_author_spellings_that_share_a_slug_share_one_page(tmp_path):
    """ "Jöhn Smith" and "John Smith" are one author URL: one page lists both briefings."""
    root = site_with(
        tmp_path,
        {
            "content/a.md": briefing("Alpha report", authors="[Jöhn Smith]"),
            "content/b.md": briefing("Beta report", authors="[John Smith]", date="2024-05-02"),
        },
    )
    result = build_site(root, write=False)
    paths = [f.path for f in result.rendered.files]
    assert len(paths) == len(set(paths)), "two pages rendered to the same path"
    assert build_site(root).ok
    index = page(root, "authors/index.html")
    main = index.split('<main id="main"', 1)[1]
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', main)
    assert len(listed) == 1
    url, _name = listed[0]
    author_page = page(root, url.lstrip("/") + "index.html")
    assert "Alpha report" in author_page and "Beta report" in author_page
