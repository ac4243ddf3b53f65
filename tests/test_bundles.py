"""Issue 16: page bundles, copied files, responsive images, figures, downloads, card images,
links by source path and under a sub-path base_url, callouts, unclosed fences."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from conftest import briefing, build_site, headline, make_site, page, read_json
from PIL import Image

SUMMIT = briefing(
    "Summit in Samarkand",
    "2025-04-04",
    body="""
    Kazakhstan and the EU met. See [the earlier note](../../2024/old.md#background) and
    [Kazakhstan](topic:kazakhstan).

    ![Grain exports by route](chart.png "Grain exports, 2024")
    Source: [Statistics office](https://stat.example.org/)

    ![Map of the routes](map.svg)

    Read [the full report](report.pdf).

    ::: box "Key figures"
    - 12 million tonnes
    :::
    """,
    attachments='[{file: data.csv, title: "The data"}]',
)
OLD = briefing("Old note", "2024-01-01", body="## Background\n\nKazakhstan text.")
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">'
    '<title>Map</title><rect width="400" height="300" fill="#ddd"/></svg>'
)


def png(width: int = 1200, height: int = 800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#3366cc").save(out, "PNG")
    return out.getvalue()


def bundle_site(root: Path, config: str = "title: T\nbase_url: https://example.org/\n") -> Path:
    make_site(
        root,
        {
            "content/2025/summit/index.md": SUMMIT,
            "content/2024/old.md": OLD,
            "content/2025/summit/map.svg": SVG,
            "content/2025/summit/report.pdf": "%PDF-1.4\n%%EOF\n",
            "content/2025/summit/data.csv": "route,tonnes\nnorth,1\n",
        },
        config=config,
    )
    (root / "content/2025/summit/chart.png").write_bytes(png())
    return root


def body(root: Path, slug: str = "summit") -> str:
    html = page(root, f"briefings/{slug}/index.html")
    return html[html.index('<div class="body">') : html.index("</article>")]


def test_issue_16_bundle_files_are_copied_beside_the_page(tmp_path):
    root = bundle_site(tmp_path / "s")
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    out = root / "site" / "briefings" / "summit"
    assert (out / "chart.png").read_bytes() == (root / "content/2025/summit/chart.png").read_bytes()
    assert (out / "map.svg").read_text() == SVG
    assert (out / "report.pdf").is_file() and (out / "data.csv").is_file()
    assert 'src="/briefings/summit/map.svg"' in body(root)


def test_issue_16_files_beside_a_plain_briefing_when_referenced(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/2024/note.md": briefing("Note", body="![A chart](chart.png)"),
            "content/2024/stray.txt": "nobody links here",
        },
    )
    (root / "content/2024/chart.png").write_bytes(png(300, 200))
    result = build_site(root)
    assert (root / "site/briefings/note/chart.png").is_file()
    assert not (root / "site/briefings/note/stray.txt").exists()
    assert [headline(d) for d in result.diagnostics] == [
        "2024/stray.txt: warning: no briefing links to this file; it is not copied "
        "[unreferenced-file]"
    ]


def test_issue_16_a_drafts_files_never_leak(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/2025/secret/index.md": briefing("Secret", draft="true", body="![M](map.svg)"),
            "content/2025/secret/map.svg": SVG,
            "content/2025/public.md": briefing("Public"),
        },
    )
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    assert not any("map.svg" in p.name for p in (root / "site").rglob("*"))
    assert "secret" not in json.dumps(read_json(root, "api/briefings.json"))


def test_issue_16_raster_images_get_size_variants_and_webp(tmp_path):
    root = bundle_site(tmp_path / "s")
    build_site(root)
    out = root / "site/briefings/summit"
    for name, width in [("chart-480w.png", 480), ("chart-960w.png", 960), ("chart-480w.webp", 480)]:
        with Image.open(out / name) as image:
            assert image.width == width and image.height == round(800 * width / 1200)
    with Image.open(out / "chart.webp") as image:
        assert image.format == "WEBP" and image.size == (1200, 800)
    html = body(root)
    img = re.search(r'<img src="/briefings/summit/chart.png"[^>]*>', html).group(0)
    assert 'width="1200" height="800"' in img and 'decoding="async"' in img
    assert "loading" not in img  # the first image of the page loads at once
    assert "/briefings/summit/chart-480w.png 480w" in img and "chart.png 1200w" in img
    assert '<source srcset="/briefings/summit/chart-480w.webp 480w' in html
    assert 'type="image/webp"' in html
    svg = re.search(r'<img src="/briefings/summit/map.svg"[^>]*>', html).group(0)
    assert 'width="400" height="300" loading="lazy" decoding="async"' in svg


def test_issue_16_variants_are_not_made_again_on_rebuild(tmp_path):
    root = bundle_site(tmp_path / "s")
    first = build_site(root)
    assert first.images.made == 5  # 480, 960 (PNG + WebP) and the full-size WebP
    before = (root / "site/briefings/summit/chart-960w.webp").read_bytes()
    old = root / "content/2024/old.md"
    old.write_text(old.read_text() + "\nOne more line.\n")  # a real rebuild, same images
    second = build_site(root)
    assert second.images.made == 0
    assert (root / "site/briefings/summit/chart-960w.webp").read_bytes() == before


def test_issue_16_figures_have_captions_and_a_source_line(tmp_path):
    root = bundle_site(tmp_path / "s")
    build_site(root)
    html = body(root)
    figure = html[html.index("<figure>") : html.index("</figure>")]
    assert "<figcaption>Grain exports, 2024" in figure
    assert '<span class="figure-source">Source: <a href="https://stat.example.org/">' in figure
    assert 'title="' not in figure  # the caption is not repeated as a tooltip
    assert '<div class="callout callout-box" role="note">' in html
    assert '<p class="callout-title">Key figures</p>' in html


def test_issue_16_card_image_and_og_image(tmp_path):
    root = bundle_site(
        tmp_path / "s", "title: T\nbase_url: https://example.org/\ncard_image: /static/card.png\n"
    )
    build_site(root)
    html = page(root, "briefings/summit/index.html")
    og = 'property="og:image" content="https://example.org/briefings/summit/chart.png"'
    assert og in html and 'name="twitter:card" content="summary_large_image"' in html
    home = page(root, "index.html")
    assert '<img class="card-image" src="/briefings/summit/chart-480w.png" alt=""' in home
    assert 'content="https://example.org/static/card.png"' in page(root, "briefings/old/index.html")
    row = next(
        r for r in read_json(root, "api/briefings.json")["briefings"] if r["slug"] == "summit"
    )
    assert row["image"] == "https://example.org/briefings/summit/chart.png"


def test_issue_16_front_matter_image_wins(tmp_path):
    root = bundle_site(tmp_path / "s")
    index = root / "content/2025/summit/index.md"
    index.write_text(index.read_text().replace("date:", "image: map.svg\ndate:", 1))
    build_site(root)
    html = page(root, "briefings/summit/index.html")
    assert 'og:image" content="https://example.org/briefings/summit/map.svg"' in html


def test_issue_16_downloads_box_and_api(tmp_path):
    root = bundle_site(tmp_path / "s")
    build_site(root)
    html = page(root, "briefings/summit/index.html")
    box = html[html.index('<section class="downloads"') :]
    box = box[: box.index("</section>")]
    assert '<a href="/briefings/summit/report.pdf" download>report.pdf</a>' in box
    assert "(PDF, 15 bytes)" in box
    assert '<a href="/briefings/summit/data.csv" download>The data</a>' in box
    row = next(
        r for r in read_json(root, "api/briefings.json")["briefings"] if r["slug"] == "summit"
    )
    assert row["attachments"] == [
        {
            "size": 15,
            "title": "report.pdf",
            "type": "PDF",
            "url": "https://example.org/briefings/summit/report.pdf",
        },
        {
            "size": 21,
            "title": "The data",
            "type": "CSV",
            "url": "https://example.org/briefings/summit/data.csv",
        },
    ]


def test_issue_16_links_by_source_path_and_topic(tmp_path):
    root = bundle_site(tmp_path / "s")
    build_site(root)
    html = body(root)
    assert '<a href="/briefings/old/#background">the earlier note</a>' in html
    assert '<a href="/topics/kazakhstan/" class="topic-link">Kazakhstan</a>' in html


def test_issue_16_sub_path_base_url_in_markdown_and_raw_html(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/a.md": briefing(
                "A",
                body="See [topics](/topics/) and ![Logo](/static/favicon.svg).\n\n"
                '<a href="/archive/">archive</a> <a href="//cdn.example.org/x">cdn</a>\n\n'
                "[B](b.md) and [K](topic:kazakhstan)",
            ),
            "content/b.md": briefing("B"),
        },
        config="title: T\nbase_url: https://example.org/briefings-site/\n",
    )
    build_site(root)
    html = body(root, "a")
    assert 'href="/briefings-site/topics/"' in html
    assert 'src="/briefings-site/static/favicon.svg"' in html
    assert 'href="/briefings-site/archive/"' in html
    assert 'href="//cdn.example.org/x"' in html
    assert 'href="/briefings-site/briefings/b/"' in html
    assert 'href="/briefings-site/topics/kazakhstan/"' in html


def test_issue_16_broken_source_links_and_missing_files_name_file_and_line(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/2025/x.md": briefing(
                "X",
                body="Intro.\n\nSee [old](../2024/olde.md).\n\n![Chart](chrat.png)\n\n"
                "[Data](data.csv)",
            ),
            "content/2024/old.md": briefing("Old"),
            "content/2025/chart.png": "not used",
        },
    )
    (root / "content/2025/chart.png").write_bytes(png(10, 10))
    lines = [headline(d) for d in build_site(root).diagnostics]
    assert (
        "2025/x.md:8: warning: link to `../2024/olde.md`: the briefing 2024/olde.md does not "
        "exist [broken-link]" in lines
    )
    assert (
        "2025/x.md:10: warning: image `chrat.png` not found (looked for content/2025/chrat.png) "
        "[missing-file]" in lines
    )
    assert (
        "2025/x.md:12: warning: link `data.csv` not found (looked for content/2025/data.csv) "
        "[missing-file]" in lines
    )


def test_issue_16_unclosed_fence_and_missing_alt(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/x.md": briefing(
                "X", body="Intro.\n\n![](pic.png)\n\n```python\nprint(1)\n\nMore."
            )
        },
    )
    (root / "content/pic.png").write_bytes(png(10, 10))
    diags = {d.code: headline(d) for d in build_site(root).diagnostics}
    assert diags["unclosed-fence"] == (
        "x.md:10: warning: this code fence is never closed: everything after it is shown as code "
        "[unclosed-fence]"
    )
    assert diags["missing-alt"] == "x.md:8: warning: image `pic.png` has no alt text [missing-alt]"


def test_issue_16_svg_with_script_is_not_copied(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/x/index.md": briefing("X", body="![Map](map.svg)"),
            "content/x/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        },
    )
    result = build_site(root)
    assert [d.code for d in result.diagnostics] == ["unsafe-svg"]
    assert not (root / "site/briefings/x/map.svg").exists()
