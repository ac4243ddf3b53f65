"""A multilingual site: one edition per language, enriched and rendered on its own, merged.

Owns: each language's config (title, description, base URL or prefix), splitting briefings
by language, which pages translate which (hreflang alternates, the language switcher),
and merging the editions' outputs into one tree (the default language at the root, the
others under their prefix; one /static/, one `_headers`, one `_redirects`).
Must not: write anything, or be used for a site with one language (pipeline.py builds
that exactly as before).

Each edition is a whole site of its own to the later stages: related briefings, topic
pages, feeds, the sitemap, the JSON API and the search index are per language, because
enrich and render only ever see one edition's briefings.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from briefgen.cache import Cache
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error
from briefgen.enrich.enricher import EnrichMemo, enrich_site
from briefgen.languages import Edition, Language
from briefgen.load.bundles import Bundles
from briefgen.localise.registry import localise_registry
from briefgen.model import Briefing, Desk, OutputFile, Registry, Site
from briefgen.options import BuildOptions
from briefgen.render.deskplan import desk_pages
from briefgen.render.hosting import hosting_files
from briefgen.render.images import ImageStore
from briefgen.render.plan import plan_site
from briefgen.render.renderer import Rendered, RenderMemo, render_site

HOSTING = ("_headers", "_redirects")
EditionMemo = tuple[EnrichMemo | None, RenderMemo | None]  # what an edition's next build reuses


@dataclass(frozen=True, slots=True)
class Editions:
    site: Site  # the default language's
    sites: tuple[Site, ...]  # every language's, in config order
    rendered: Rendered
    memos: Mapping[str, EditionMemo] = field(default_factory=dict)  # by language code


def edition_configs(config: SiteConfig) -> list[SiteConfig]:
    """Each language's config; its `link()` and `absolute()` lead into its own folder."""
    default = config.languages[0]
    homes = [_base_url(config, lang) for lang in config.languages]
    listing = tuple(
        (x.code, x.label, home) for x, home in zip(config.languages, homes, strict=True)
    )
    out = []
    for lang, base_url in zip(config.languages, homes, strict=True):
        own_host = bool(lang.base_url)
        edition = Edition(
            lang=lang.code,
            default=default.code,
            languages=listing,
            folder=f"{lang.prefix}/" if lang.prefix else "",
            static_base=(_path_of(base_url) if own_host else config.base_path) + "static/",
            own_host=own_host,
            origin=_origin(base_url),
        )
        out.append(
            replace(
                config,
                title=lang.title or config.title,
                description=lang.description or config.description,
                language=lang.code,
                base_url=base_url,
                edition=edition,
                menu=config.menu.localised(lang.code),
            )
        )
    return out


def _base_url(config: SiteConfig, lang: Language) -> str:
    if lang.base_url:
        return lang.base_url
    return config.base_url + (f"{lang.prefix}/" if lang.prefix else "")


def _origin(base_url: str) -> str:
    scheme, _, rest = base_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _path_of(base_url: str) -> str:
    rest = base_url.split("://", 1)[-1]
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return path if path.endswith("/") else path + "/"


def build_editions(
    config: SiteConfig,
    options: BuildOptions,
    registry: Registry,
    briefings: list[Briefing],
    cache: Cache,
    bundles: Bundles | None = None,
    images: ImageStore | None = None,
    desk: Desk | None = None,
    previous: Mapping[str, EditionMemo] | None = None,
) -> tuple[Editions, list[Diagnostic]]:
    """Every edition enriched and rendered on its own (reusing `previous`: each language's
    memos from the last build), merged into one tree."""
    configs = edition_configs(config)
    desks = desk.editions if desk is not None else {}
    previous = previous or {}
    sites, enriched = [], {}
    for c in configs:
        site, enriched[c.language] = enrich_site(
            c,
            localise_registry(registry, c.language, config.languages[0].code),
            [b for b in briefings if b.lang == c.language],
            previous.get(c.language, (None, None))[0],
            cache,
        )
        # the language's profiles, series, pages
        sites.append(replace(site, desk=desks.get(c.language, Desk())))
    alternates = _alternates(sites)
    diags: list[Diagnostic] = []
    files: list[OutputFile] = []
    pages: dict = {}
    keys: list[str] = []
    count = cached = 0
    memos: dict[str, EditionMemo] = {}
    final: list[Site] = []
    for site, alt in zip(sites, alternates, strict=True):
        edition = replace(
            site.config.edition,  # type: ignore[arg-type]
            alternates=alt,
            elsewhere=_elsewhere(site, sites),
        )
        site = replace(site, config=replace(site.config, edition=edition))
        if bundles is not None:
            site = replace(site, bundles=bundles.for_site(site))
        final.append(site)
        data = bundles.data if bundles else None
        last = previous.get(site.config.language, (None, None))[1]
        rendered, problems, memo = render_site(site, options, last, data, images, cache)
        memos[site.config.language] = (enriched[site.config.language], memo)
        diags += problems
        files += _moved(rendered.files, site, first=not final[:-1])
        pages.update({edition.folder + p: v for p, v in rendered.pages.items()})
        keys.append(rendered.key)
        count += rendered.rendered
        cached += rendered.cached
    files += _hosting(final, files)
    files.sort(key=lambda f: f.path)
    diags += _clashes(files)
    key = hashlib.sha256("|".join(keys).encode()).hexdigest()
    merged = Rendered(tuple(files), pages, count, key, cached)
    return Editions(final[0], tuple(final), merged, memos), diags


def _moved(files: tuple[OutputFile, ...], site: Site, *, first: bool) -> list[OutputFile]:
    """An edition's files at their place in the merged tree."""
    edition = site.config.edition
    assert edition is not None
    out = []
    for f in files:
        if f.path in HOSTING:
            continue
        if (
            not first
            and not edition.own_host
            and (f.path.startswith("static/") or f.path == "robots.txt")
        ):
            continue  # one /static/ and one robots.txt for every language on the site's host
        out.append(replace(f, path=edition.folder + f.path))
    return out


def _hosting(sites: list[Site], files: list[OutputFile]) -> list[OutputFile]:
    """One `_headers` for every path, one `_redirects` with every language's aliases."""
    own, _ = hosting_files(sites[0], [f.path for f in files])
    redirects = own[1].data
    for site in sites[1:]:
        more = hosting_files(site, [])[0][1].data.split(b"\n", 1)[1]
        redirects += more
    return [own[0], OutputFile("_redirects", redirects)]


def _clashes(files: list[OutputFile]) -> list[Diagnostic]:
    seen: set[str] = set()
    clashes = sorted({f.path for f in files if f.path in seen or seen.add(f.path)})  # type: ignore[func-returns-value]
    return [
        error(
            "output-clash",
            f"two pages would be written to `{path}`",
            "",
            0,
            "an alias or slug of one language leads into another language's folder",
        )
        for path in clashes
    ]


def _alternates(sites: list[Site]) -> list[dict[str, tuple[tuple[str, str], ...]]]:
    """Per edition: page path -> ((code, absolute URL), ...) of every language that has the
    page (itself included), for pages that exist in more than one language."""
    codes = [s.config.language for s in sites]
    paths = [_page_paths(s) for s in sites]
    group_urls: dict[str, dict[str, str]] = defaultdict(dict)  # original source -> code -> url
    group_of: list[dict[str, str]] = []
    for code, site in zip(codes, sites, strict=True):
        mine = {}
        for e in site.briefings:
            group = e.briefing.translation_of or e.briefing.source
            group_urls[group][code] = e.briefing.url
            mine[e.briefing.url] = group
        group_of.append(mine)
    out = []
    for i in range(len(sites)):
        table: dict[str, tuple[tuple[str, str], ...]] = {}
        for path in sorted(paths[i]):
            if path in group_of[i]:
                urls = group_urls[group_of[i][path]]
                found = [
                    (c, sites[j].config.absolute(urls[c])) for j, c in enumerate(codes) if c in urls
                ]
            else:
                found = [
                    (c, sites[j].config.absolute(path))
                    for j, c in enumerate(codes)
                    if path in paths[j]
                ]
            if len(found) > 1:
                table[path] = tuple(found)
        out.append(table)
    return out


def _elsewhere(site: Site, sites: list[Site]) -> dict[str, tuple[tuple[str, str, str, int], ...]]:
    """Per topic: how many briefings each other language has on it, and where."""
    labels = {code: label for code, label, _ in site.config.edition.languages}  # type: ignore[union-attr]
    out: dict[str, tuple[tuple[str, str, str, int], ...]] = {}
    for topic in site.registry.topics:
        found = tuple(
            (o.config.language, labels[o.config.language], o.config.absolute(topic.url), n)
            for o in sites
            if o.config.language != site.config.language
            and (n := len(o.by_topic.get(topic.id, ())))
        )
        if found:
            out[topic.id] = found
    return out


def _page_paths(site: Site) -> set[str]:
    """The URL path of every HTML page the edition will have."""
    specs, _ = plan_site(site)
    specs += desk_pages(site, {})
    return {
        spec.context["page_path"]
        for spec in specs
        if spec.path.endswith(".html") and spec.context.get("page_path")
    }
