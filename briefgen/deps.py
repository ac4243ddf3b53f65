"""What each output depends on, and what a change to an input makes stale.

Owns: the one declaration of the build's dependencies, and the keys made from it. A later
build reuses a part of the last one (briefgen/state.py, and across runs the persistent
cache) only while the key of that part's inputs is the same; keys are digests of values,
never object identities. The dev server and the CLI build through the same keys: the
server keeps the state between builds (after a config edit too), the CLI finds the same
parts in the cache.

  output              depends on
  briefing page       its briefing; the briefings related to or linking to it; the
                      registry; the config; the templates; asset names (fingerprints)
  listing page        every published briefing's title, date, summary, topics, authors;
  (home, archive,     the registry; the config; the templates; asset names
   topic, author)
  feed, sitemap       the briefings they list; config (title, base_url, feed_limit)
  API row             one briefing (api/briefings/<slug>.json) or every one (the lists)
  search record       the rendered page it indexes
  bundled file        the file beside its briefing (images: also their variants)
  static file         static/ of the site and of the theme
  host files          every output path; the config's headers
  author page         its profile (authors.yaml or content/authors/<slug>.md, its photo)
                      and its briefings; series page: series.yaml and its parts
  standalone page     content/pages/<slug>.md; the config's menu (every page's chrome)
  corrections page    every briefing's corrections
  PDF                 its briefing page's bytes and the print stylesheet (content key)

Where in the build each dependency is honoured (anything unsure: redo):
  parsing a file      its bytes + PARSE: the registry's topics, iframe_hosts, base_path
  analysing a file    the parsed briefing + ANALYSIS: the registry's topics, base_path
  related, indexes    every analysis + the whole config and registry (enrich/enricher.py)
  cards, specs, API  their briefing + SITE: the config and the registry (site_key)
  a page's bytes      its template values + the theme key: templates, .po catalogues,
                      config, asset names (render/renderer.py); a page is re-rendered
                      when either differs. Across runs the same, digested: the pickled
                      values, the theme key, the path, template, edition, the Python and
                      Jinja/MarkupSafe/Babel versions, briefgen's code (render/pagecache.py)
  the desk            authors.yaml, series.yaml, content/authors/ and content/pages/ are
                      read again on every build (load/desk.py); changes sort as CONTENT
  a PDF               the digest of the HTML it is laid out from (render/pdf.py, in the cache)
Must not: read files or build anything.
"""

from __future__ import annotations

from enum import Enum

from briefgen.cache import key_of
from briefgen.config import SiteConfig
from briefgen.model import Registry


class ChangeKind(Enum):
    """The kinds of input a change can be (serve/changes.py sorts paths into them)."""

    CONFIG = "config"  # briefgen.yaml (and the overlays it merges)
    TEMPLATES = "templates"  # templates/ (not templates/static)
    TOPICS = "topics"  # topics.yaml
    CONTENT = "content"  # content/: briefings and the files bundled with them
    STYLE = "style"  # static/**.css
    STATIC = "static"  # any other static file


# Which outputs a change of each kind can reach (the table above, by input).
AFFECTS: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.CONTENT: ("pages", "listings", "feeds", "api", "search", "bundled", "hosting"),
    ChangeKind.TOPICS: ("pages", "listings", "feeds", "api", "search", "hosting"),
    ChangeKind.CONFIG: ("pages", "listings", "feeds", "api", "search", "static", "hosting"),
    ChangeKind.TEMPLATES: ("pages", "listings", "feeds", "search"),
    ChangeKind.STYLE: ("static", "hosting", "pages", "listings"),  # fingerprinted names
    ChangeKind.STATIC: ("static", "hosting"),
}


def parse_key(config: SiteConfig, registry: Registry) -> str:
    """What parsing a briefing depends on besides its own bytes (and the parser's code)."""
    return key_of("parse", repr(registry.topics), repr(config.iframe_hosts), config.base_path)


def analysis_key(config: SiteConfig, registry: Registry) -> str:
    """What analysing a parsed briefing (topics, summary, topic links) depends on: the
    parse result it reads, so everything parsing depends on too (issue 13: without
    `iframe_hosts` here, removing a host kept the iframe in the cached topic-linked HTML)."""
    return key_of("analysis", parse_key(config, registry))


def site_key(config: SiteConfig, registry: Registry) -> tuple[SiteConfig, Registry]:
    """What every card, page spec and API row depends on besides its own briefing: the
    config (links, absolute URLs) and the registry (topic names, kinds, parents). A memo
    of them made with another key is dropped whole (render/renderer.py)."""
    return (config, registry)


def affected(kinds: frozenset[ChangeKind]) -> tuple[str, ...]:
    """The kinds of output a batch of changes may reach, in a stable order."""
    found = {out for kind in kinds for out in AFFECTS[kind]}
    return tuple(sorted(found))
