"""The co-occurrence graph on topic pages (briefgen/render/graph.py, partials/graph.html).

Regression tests for issue 8: built at build time as inline SVG, deterministic, accessible
(a title, a role="img" drawing with a text alternative, real links on the nodes).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import briefing, build_site, make_site, page

from briefgen.render.graph import HEIGHT, WIDTH, cooccurrence_graph, wrap

SVG = "{http://www.w3.org/2000/svg}"

FILES = {
    "content/2024/a.md": briefing("A", "2024-01-01", topics="[middle-corridor, kazakhstan, eu]"),
    "content/2024/b.md": briefing("B", "2024-02-01", topics="[middle-corridor, kazakhstan]"),
    "content/2024/c.md": briefing("C", "2024-03-01", topics="[middle-corridor, georgia, eu]"),
    "content/2023/d.md": briefing("D", "2023-04-01", topics="[middle-corridor, caspian-sea]"),
    "content/2023/e.md": briefing("E", "2023-05-01", topics="[russia]"),
}


def built(root: Path):
    result = build_site(make_site(root, FILES))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.site


def test_issue_8_neighbours_are_the_most_frequent_companions(site_dir: Path) -> None:
    site = built(site_dir)
    graph = cooccurrence_graph(site, "middle-corridor")
    assert graph is not None
    assert graph.centre.id == "middle-corridor" and graph.centre.count == 4
    # Two each for EU and Kazakhstan (tie broken by id), then one each, by id.
    assert [(n.id, n.count) for n in graph.nodes] == [
        ("eu", 2),
        ("kazakhstan", 2),
        ("caspian-sea", 1),
        ("georgia", 1),
    ]
    centre_edges = [e for e in graph.edges if e.source == "middle-corridor"]
    assert [(e.target, e.weight) for e in centre_edges] == [(n.id, n.count) for n in graph.nodes]
    between = {(e.source, e.target): e.weight for e in graph.edges if e not in centre_edges}
    assert between == {("eu", "kazakhstan"): 1, ("eu", "georgia"): 1}
    assert "Kazakhstan (2 briefings)" in graph.description


def test_issue_8_layout_is_deterministic_and_inside_the_picture(site_dir: Path) -> None:
    one = cooccurrence_graph(built(site_dir / "one"), "middle-corridor")
    two = cooccurrence_graph(built(site_dir / "two"), "middle-corridor")
    assert one == two
    for node in (one.centre, *one.nodes):
        assert node.r <= node.x <= WIDTH - node.r and node.r <= node.y <= HEIGHT - node.r
        assert 0 < node.label_y < HEIGHT
        assert node.x == round(node.x, 1) and node.y == round(node.y, 1)
    # Stronger companions get bigger circles and thicker lines.
    assert one.nodes[0].r > one.nodes[-1].r
    assert one.edges[0].width > one.edges[-1].width


def test_a_topic_without_companions_has_no_graph(site_dir: Path) -> None:
    site = built(site_dir)
    assert cooccurrence_graph(site, "russia") is None
    assert cooccurrence_graph(site, "no-such-topic") is None
    assert 'class="cograph"' not in page(site_dir, "topics/russia/index.html")


def test_issue_8_topic_page_draws_an_accessible_svg_with_links(site_dir: Path) -> None:
    built(site_dir)
    html = page(site_dir, "topics/middle-corridor/index.html")
    svg_text = re.search(r"<svg class=\"cograph\".*?</svg>", html, re.S).group()
    svg = ET.fromstring(svg_text.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text == "Topics covered together with Middle Corridor"
    drawing = svg.find(f"{SVG}g")
    assert drawing.get("role") == "img"
    assert drawing.get("aria-label").startswith("Graph of the topics most often covered")
    links = svg.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == [
        "/topics/eu/",
        "/topics/kazakhstan/",
        "/topics/caspian-sea/",
        "/topics/georgia/",
    ]
    for a in links:  # each link is named, and drawn as a circle with a label
        assert a.find(f"{SVG}title").text.endswith("with Middle Corridor")
        assert a.find(f"{SVG}circle") is not None and a.find(f"{SVG}text") is not None
    assert "<script" not in svg_text


def test_topic_page_timeline_counts_every_year(site_dir: Path) -> None:
    built(site_dir)
    html = page(site_dir, "topics/middle-corridor/index.html")
    years = re.findall(r'<span class="year"><a href="#y(\d{4})">\1</a></span>', html)
    assert years == ["2023", "2024"]
    assert "3 briefings" in html and "1 briefing<" in html
    assert 'id="y2024"' in html and 'id="y2023"' in html  # the listing, grouped by year


def test_wrap_uses_the_fewest_lines_that_fit() -> None:
    assert wrap("Russia", 16) == ("Russia",)
    assert wrap("Critical raw materials", 16) == ("Critical raw", "materials")
    assert wrap("European Bank for Reconstruction and Development", 16) == (
        "European Bank for",
        "Reconstruction",
        "and Development",
    )
    assert wrap("Supercalifragilisticexpialidocious", 16) == ("Supercalifragilisticexpialidocious",)


def test_long_labels_at_the_top_grow_the_picture_instead_of_leaving_it(site_dir: Path) -> None:
    topics = "\n".join(
        f"- id: t{i}\n  name: {name}\n  kind: theme"
        for i, name in enumerate(
            ["Centre", "European Bank for Reconstruction and Development", "Other", "Third"]
        )
    )
    files = {
        "content/2024/a.md": briefing("A", "2024-01-01", topics="[t0, t1, t1, t2]"),
        "content/2024/b.md": briefing("B", "2024-01-02", topics="[t0, t1, t3]"),
    }
    result = build_site(make_site(site_dir, files, topics=topics + "\n"))
    assert result.ok, [d.format() for d in result.diagnostics]
    graph = cooccurrence_graph(result.site, "t0")
    top = graph.nodes[0]  # the strongest companion sits at the top, its label above it
    assert top.name.startswith("European Bank") and len(top.label) == 3
    assert top.label_y - graph.line_height >= 0
    assert all(
        n.label_y + graph.line_height * (len(n.label) - 1) < graph.height for n in graph.nodes
    )
