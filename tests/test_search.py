"""The search index (briefgen/render/search.py): Pagefind over the briefing pages.

Built for real with the Pagefind binary from `pagefind-bin`; the browser side (queries,
filters, the search page) is in test_browser_site.py. Regression tests for issue 8.
"""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pytest
from conftest import SMALL_TOPICS, briefing, build_site, make_site
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.load.registry import load_registry
from briefgen.model import OutputFile
from briefgen.render import search
from briefgen.render.search import (
    SIGNATURE,
    _decode,
    _encode,
    search_files,
    search_terms,
    stable_files,
)

needs_pagefind = pytest.mark.skipif(
    search.pagefind_executable() is None, reason="pagefind-bin is not installed"
)

# Many filter values (topics, authors, years, types), so that any unordered output shows.
FILES = {
    f"content/{year}/{name}.md": briefing(
        f"{name.capitalize()} on the route",
        date=f"{year}-0{month}-01",
        authors=f"[{author}]",
        topics=topics,
        type=kind,
        body=body,
    )
    for year, month, name, author, topics, kind, body in [
        (2022, 3, "alpha", "Jane Doe", "[eu]", "brief", "Brussels met Astana."),
        (2023, 4, "bravo", "Ann Lee", "[russia, eu]", "analysis", "Moscow and the EU."),
        (2023, 5, "charlie", "Bob Roe", "[georgia]", "report", "Tbilisi and the Caucasus."),
        (2024, 6, "delta", "Cy Young", "[kazakhstan]", "commentary", "Astana grain quotas."),
        (2024, 7, "echo", "Di Ross", "[uzbekistan, eu]", "brief", "Tashkent water talks."),
        (
            2025,
            8,
            "foxtrot",
            "Ed Wu",
            "[middle-corridor]",
            "analysis",
            "Freight on the Trans-Caspian route grew, with ferries full at Aktau.",
        ),
    ]
}


def rendered(root: Path):
    result = build_site(root, write=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.site, result.rendered.files


def fragments(files: list[OutputFile]) -> dict[str, dict]:
    """Pagefind's per-page records (JSON after the signature) by URL."""
    out = {}
    for f in files:
        if f.path.startswith("pagefind/fragment/"):
            record = json.loads(gzip.decompress(f.data)[len(SIGNATURE) :])
            out[record["url"]] = record
    return out


@needs_pagefind
def test_issue_8_index_holds_every_briefing_with_filters_and_meta(site_dir: Path) -> None:
    site, files = rendered(make_site(site_dir, FILES))
    index, diags = search_files(site, files)
    assert diags == []
    paths = {f.path for f in index}
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"} <= paths
    assert any(p.endswith(".pf_meta") for p in paths)
    assert not any("-ui." in p or "highlight" in p for p in paths)  # the theme has its own UI
    records = fragments(index)
    assert sorted(records) == sorted(e.briefing.url for e in site.briefings)
    foxtrot = records["/briefings/foxtrot/"]
    assert foxtrot["meta"]["title"] == "Foxtrot on the route"
    assert foxtrot["meta"]["date"] == "1 August 2025"
    assert foxtrot["meta"]["type"] == "Analysis"
    assert json.loads(foxtrot["meta"]["topics"]) == [
        ["Middle Corridor", "/topics/middle-corridor/"]
    ]
    assert foxtrot["filters"] == {
        "author": ["Ed Wu"],
        "topic": ["Middle Corridor"],
        "type": ["Analysis"],
        "year": ["2025"],
    }
    # The page never says "Middle Corridor" in its text; its topic's name is indexed with it.
    assert "Middle Corridor" not in FILES["content/2025/foxtrot.md"]
    assert "Middle Corridor" in foxtrot["content"]
    # Navigation, citation and related reading are not part of what is searched.
    assert "Cite this briefing" not in foxtrot["content"]
    assert "min read" not in foxtrot["content"]


@needs_pagefind
def test_issue_8_index_is_byte_identical_across_runs(site_dir: Path) -> None:
    site, files = rendered(make_site(site_dir, FILES))
    runs = []
    for _ in range(3):
        index, diags = search_files(site, files)
        assert diags == []
        runs.append({f.path: f.data for f in index})
    assert runs[0] == runs[1] == runs[2]
    assert any(p.startswith("pagefind/filter/") for p in runs[0])


@needs_pagefind
def test_stable_files_sort_what_pagefind_leaves_unordered(site_dir: Path) -> None:
    site, files = rendered(make_site(site_dir, FILES))
    pages = search.searchable_pages(site, files)
    raw = search.run_pagefind(pages, "en")
    stable = stable_files(raw)
    entry = json.loads(stable["pagefind-entry.json"])
    meta_name = f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert meta_name in stable
    meta, _ = _decode(gzip.decompress(stable[meta_name])[len(SIGNATURE) :], 0)
    filters = meta[3]
    assert [name for name, _ in filters] == sorted(name for name, _ in filters)
    for name, digest in filters:
        body = gzip.decompress(stable[f"filter/{digest}.pf_filter"])[len(SIGNATURE) :]
        value, _ = _decode(body, 0)
        assert value[0] == name
        assert [v for v, _ in value[1]] == sorted(v for v, _ in value[1])
    # Everything else is passed through untouched.
    assert {p: d for p, d in raw.items() if p.startswith(("fragment/", "index/", "wasm."))} == {
        p: d for p, d in stable.items() if p.startswith(("fragment/", "index/", "wasm."))
    }


@needs_pagefind
def test_an_unchanged_site_reuses_the_last_index(site_dir: Path, monkeypatch) -> None:
    site, files = rendered(make_site(site_dir, FILES))
    first, _, memo = search.search_index(site, files)
    again, diags, kept = search.search_index(site, files, memo)
    assert (again, diags) == (first, []) and kept is memo
    # Issue 14: the binary is an input too; another binary (here a missing one) is not
    # answered from the memo.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site_dir / "no-such-binary"))
    index, diags, _ = search.search_index(site, files, memo)
    assert index == [] and [d.code for d in diags] == ["search-index"]


def test_issue_8_a_missing_binary_is_a_warning_and_no_index(site_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site_dir / "no-such-binary"))
    site, files = rendered(make_site(site_dir, FILES))
    index, diags = search_files(site, files)
    assert index == []
    assert [(d.code, d.severity.value) for d in diags] == [("search-index", "warning")]
    assert "search index not built" in diags[0].message


@pytest.mark.parametrize(
    "script",
    [
        "#!/bin/sh\necho 'not base64 at all,'\n",  # talks nonsense
        "#!/bin/sh\nexit 3\n",  # dies at once
        "#!/bin/sh\nexec sleep 30\n",  # hangs: the timeout ends it
    ],
    ids=["nonsense", "dies", "hangs"],
)
def test_a_broken_binary_is_a_warning_not_a_crash(
    site_dir: Path, tmp_path: Path, monkeypatch, script: str
) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text(script)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    monkeypatch.setattr(search, "TIMEOUT_BASE", 1.0)
    site, files = rendered(make_site(site_dir, FILES))
    index, diags = search_files(site, files)
    assert index == []
    assert [d.code for d in diags] == ["search-index"]


@needs_pagefind
def test_output_it_cannot_make_stable_is_kept_with_a_warning(site_dir: Path, monkeypatch) -> None:
    """A Pagefind whose files are not as expected: search still works, a warning says why."""

    def unexpected(files: dict[str, bytes]) -> dict[str, bytes]:
        raise ValueError("missing Pagefind signature")

    monkeypatch.setattr(search, "stable_files", unexpected)
    site, files = rendered(make_site(site_dir, FILES))
    index, diags = search_files(site, files)
    assert any(f.path == "pagefind/pagefind.js" for f in index)
    assert [(d.code, d.severity.value) for d in diags] == [("search-unstable", "warning")]


def test_issue_8_build_still_succeeds_without_search(site_dir: Path, monkeypatch) -> None:
    """With the index step failing, the build writes the site and reports a warning."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site_dir / "no-such-binary"))
    root = make_site(site_dir, FILES)
    result = build_site(root)
    assert result.ok
    assert [d.code for d in result.diagnostics] == ["search-index"]
    assert (root / "site" / "search" / "index.html").is_file()
    assert not (root / "site" / "pagefind").exists()


@needs_pagefind
def test_issue_8_build_writes_the_index_and_the_search_page(site_dir: Path) -> None:
    root = make_site(site_dir, FILES)
    result = build_site(root)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    out = root / "site"
    assert (out / "pagefind" / "pagefind.js").is_file()
    page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind="/pagefind/pagefind.js"' in page
    assert 'role="search"' in page
    for name in ("topic", "type", "author", "year"):
        assert f'data-filter="{name}"' in page


def test_search_terms_carry_names_and_only_aliases_that_add_words(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text(SMALL_TOPICS, encoding="utf-8")
    registry, problems = load_registry(tmp_path / "topics.yaml", "topics.yaml")
    assert problems == []
    assert search_terms(registry, ("middle-corridor", "unknown", "georgia")) == (
        ("Middle Corridor", ("Trans-Caspian International Transport Route", "TITR")),
        ("Georgia", ()),
    )


def test_index_language_is_an_iso_639_1_code() -> None:
    assert search.index_language("en-GB") == "en"
    assert search.index_language("pt_BR") == "pt"
    assert search.index_language("") == "en"


def test_no_briefings_no_index(site_dir: Path) -> None:
    site, files = rendered(make_site(site_dir, {}))
    assert search_files(site, files) == ([], [])


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.text()
    | st.binary(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@settings(deadline=None)
@given(cbor_values)
def test_cbor_round_trips(value: object) -> None:
    data = _encode(value)
    decoded, end = _decode(data, 0)
    assert end == len(data)
    assert decoded == value
    assert _encode(decoded) == data
