"""Render the whole site into OutputFiles, skipping pages whose inputs did not change.

Owns: turning PageSpecs into bytes, the JSON API, sitemap, robots.txt and static assets.
Must not: write to disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from briefgen import __version__, deps
from briefgen.cache import Cache
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error
from briefgen.localise.catalog import theme_translations
from briefgen.model import OutputFile, Site
from briefgen.options import BuildOptions
from briefgen.parallel import parallel_map
from briefgen.render.api import ApiMemo, api_files
from briefgen.render.apidesk import authors_json, series_json
from briefgen.render.bytecode import template_cache
from briefgen.render.collisions import case_clashes, owners_of
from briefgen.render.deskplan import desk_pages
from briefgen.render.env import compile_templates, env_key, make_env, template_dirs
from briefgen.render.hosting import HeadersMemo, hosting_files
from briefgen.render.images import ImageStore, prepare_images
from briefgen.render.pagecache import Page, cached_pages, page_digests, store_pages, uses_cache
from briefgen.render.pageerrors import grouped, render_page
from briefgen.render.plan import PageSpec, PlanMemo, plan_site
from briefgen.render.search import SearchMemo, search_index
from briefgen.safefs import STREAM_BYTES, hash_file
from briefgen.sitefiles import SiteFile, walk


@dataclass(frozen=True, slots=True)
class Rendered:
    files: tuple[OutputFile, ...]
    pages: Mapping[str, tuple[PageSpec, bytes]] = field(default_factory=dict)
    rendered: int = 0  # pages actually rendered (the rest were reused)
    key: str = ""  # theme_key: templates, config and version the pages were rendered with
    cached: int = 0  # pages taken from the persistent cache (render/pagecache.py)


@dataclass(frozen=True, slots=True)
class RenderMemo:
    """What the next render may reuse (part of the build state): each page's spec and
    bytes (valid while the theme key is the same), the plan's, API's, host files' and
    search index's memos, and the Jinja environment with its key."""

    key: str = ""
    pages: Mapping[str, tuple[PageSpec, bytes]] = field(default_factory=dict)
    plan: PlanMemo | None = None
    api: ApiMemo | None = None
    headers: HeadersMemo | None = None
    search: SearchMemo | None = None
    env: tuple[str, jinja2.Environment] | None = None
    problems: Mapping[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # by page
    site_key: tuple[object, ...] = ()  # deps.site_key the plan and API memos were made with


def static_files(
    config_root: Path, dirs: list[Path]
) -> tuple[dict[str, OutputFile], dict[str, str], list[Diagnostic]]:
    """Theme static/ first, then the site's own static/ over it: by name, each as an
    OutputFile named for its place in static/ (a large one streamed from disk, not read),
    and where each came from. Links out of the site (or in a loop) are errors
    (briefgen.sitefiles)."""
    files: dict[str, OutputFile] = {}
    origins: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for folder, site, shown in _static_folders(config_root, dirs):
        found, problems = walk(folder, site, shown)
        diags += problems
        for f in found:
            try:
                files[f.rel] = _static_file(f)
                origins[f.rel] = (shown or "the theme's static/") + f.rel
            except OSError as exc:
                diags.append(error("read-failed", f"cannot read: {exc.strerror}", shown + f.rel))
    return files, origins, diags


def _static_folders(config_root: Path, dirs: list[Path]) -> list[tuple[Path, Path, str]]:
    """(folder, the site it must stay inside, how diagnostics name it), theme first."""
    out = []
    for d in reversed(dirs):
        own = d == config_root / "templates"
        out.append((d / "static", config_root if own else d, "templates/static/" if own else ""))
    out.append((config_root / "static", config_root, "static/"))
    return out


def _static_file(f: SiteFile) -> OutputFile:
    if f.size > STREAM_BYTES:
        digest, size = hash_file(f.path)
        return OutputFile(f.rel, b"", str(f.path), digest, size)
    return OutputFile(f.rel, f.path.read_bytes())


def fingerprint(files: Mapping[str, OutputFile], enabled: bool) -> dict[str, str]:
    """style.css -> style.1a2b3c4d.css, so hosts can cache assets for a year."""
    if not enabled:
        return {}
    out = {}
    for name, f in files.items():
        if name.endswith((".css", ".js")):
            stem, dot, ext = name.rpartition(".")
            digest = f.digest if f.source else hashlib.sha256(f.data).hexdigest()
            out[name] = f"{stem}.{digest[:10]}{dot}{ext}"
    return out


def template_files(config: SiteConfig, dirs: list[Path]) -> tuple[list[SiteFile], list[Diagnostic]]:
    """Every template file (static/ and scaffold/ aside) of every template folder; a link
    in the site's own templates/ that leads outside the site is an error."""
    found: list[SiteFile] = []
    diags: list[Diagnostic] = []
    for folder in dirs:
        own = folder == config.root / "templates"
        files, problems = walk(folder, config.root if own else folder, "templates" if own else "")
        diags += problems
        found += [SiteFile(str(f.path), f.path, f.size) for f in files if _is_template(f.rel)]
    locales, problems = walk(config.root / "locales", config.root, "locales")  # the site's .po
    diags += problems
    found += [SiteFile(str(f.path), f.path, f.size) for f in locales]
    return found, diags


def _is_template(rel: str) -> bool:
    first = rel.split("/", 1)[0]
    return "." in rel.rsplit("/", 1)[-1] and first not in ("static", "scaffold")


def theme_key(templates: list[SiteFile], config: SiteConfig, assets: dict[str, str]) -> str:
    """Changes whenever any template, the config or briefgen itself changes."""
    digest = hashlib.sha256(f"{__version__}|{config!r}|{sorted(assets.items())!r}".encode())
    for f in templates:
        digest.update(Path(f.rel).as_posix().encode() + b"\0" + f.path.read_bytes())
    return digest.hexdigest()


def render_site(
    site: Site,
    options: BuildOptions,
    previous: RenderMemo | None = None,
    files_data: Mapping[str, bytes] | None = None,
    images: ImageStore | None = None,
    cache: Cache | None = None,
) -> tuple[Rendered, list[Diagnostic], RenderMemo]:
    """Render every page; pages whose template values equal last build's are reused, and
    pages whose inputs the persistent `cache` holds are taken from it (render/pagecache.py).
    `files_data` holds the bytes of the briefings' own files (load.bundles), `images` the
    store their responsive variants are kept in."""
    previous = previous or RenderMemo()
    config = site.config
    site_key = deps.site_key(config, site.registry)
    if previous.site_key != site_key:  # cards, specs and API rows were made for another site
        previous = replace(previous, plan=None, api=None)
    dirs = template_dirs(config)
    static, origins, unreadable = static_files(config.root, dirs)
    templates, more = template_files(config, dirs)
    unreadable += more
    if any(d.is_error for d in unreadable):  # a link out of the site: nothing is read
        return Rendered(()), unreadable, previous
    assets = fingerprint(static, enabled=options.fingerprint)
    key = theme_key(templates, config, assets)  # + the site's .po files (locales/)
    old = previous.pages if previous.key == key else {}
    copied, infos, media = _media(site, files_data or {}, images or ImageStore())
    specs, plan = plan_site(site, previous.plan, infos)
    specs += desk_pages(site, {slug: c for slug, (_, c) in plan.cards.items()})
    todo = [s for s in specs if not _same(old.get(s.path), s)]
    wanted = env_key(config, assets)
    env = previous.env[1] if previous.env and previous.env[0] == wanted else None
    # compiled once here (or loaded from the cache); forked workers inherit it
    env = env or make_env(config, assets, template_cache(cache))
    fresh, hits = _render_missing(env, todo, key, config, cache)
    files: list[OutputFile] = []
    pages: dict[str, tuple[PageSpec, bytes]] = {}
    by_page: dict[str, tuple[Diagnostic, ...]] = {}  # a reused page keeps its warnings
    for spec in specs:
        if spec.path in fresh:
            data, found = fresh[spec.path]
        else:
            data, found = old[spec.path][1], list(previous.problems.get(spec.path, ()))
        if found:
            by_page[spec.path] = tuple(found)
        if any(d.is_error for d in found):
            continue
        pages[spec.path] = (spec, data)
        files.append(OutputFile(spec.path, data))
    diags = [
        *unreadable,
        *grouped((page, d) for page, found in sorted(by_page.items()) for d in found),
    ]
    diags += theme_translations(config)[1]  # broken .po files
    briefings, topics, api = api_files(site, previous.api)
    files += _extras(briefings, topics, static, assets) + copied + media
    files += [OutputFile(path, data) for path, data in sorted(site.desk.files.items())]
    files += [
        OutputFile("api/authors.json", authors_json(site)),
        OutputFile("api/series.json", series_json(site)),
    ]
    search = previous.search
    if config.search and options.search:  # the dev server skips the (slow) index
        index, problems, search = search_index(site, files, previous.search)
        files += index
        diags += problems
    hosting, headers = hosting_files(site, [f.path for f in files], previous.headers)
    files += hosting
    files.sort(key=lambda f: f.path)
    diags += _clashes(files)
    static_owners = {"static/" + assets.get(n, n): origin for n, origin in origins.items()}
    diags += case_clashes((f.path for f in files), owners_of(site, static_owners))
    memo = RenderMemo(key, pages, plan, api, headers, search, (wanted, env), by_page, site_key)
    rendered = Rendered(tuple(files), pages, len(todo) - len(hits), key, len(hits))
    return rendered, diags, memo


def _render_missing(
    env: jinja2.Environment,
    todo: list[PageSpec],
    theme: str,
    config: SiteConfig,
    cache: Cache | None,
) -> tuple[dict[str, Page], set[str]]:
    """Every page of `todo` by path: from the persistent cache when it holds the page with
    the same inputs, else rendered (on all cores) and stored; and which came from the cache."""
    where = f"{config.language}/{config.edition.folder if config.edition else ''}"
    digests = page_digests(theme, where, todo) if uses_cache(cache) else {}
    found = cached_pages(cache, where, digests) if cache is not None else {}
    missing = [spec for spec in todo if spec.path not in found]
    results = parallel_map(
        _render_one,
        range(len(missing)),
        (env, missing, config.root),
        before_fork=lambda: compile_templates(env),
    )
    fresh = {
        spec.path: (data, tuple(problems))
        for spec, (data, problems) in zip(missing, results, strict=True)
    }
    if cache is not None:
        store_pages(cache, where, digests, fresh)
    return {**fresh, **found}, set(found)


def _clashes(files: list[OutputFile]) -> list[Diagnostic]:
    """Two outputs at one path would silently overwrite each other: an error."""
    paths = [f.path for f in files]
    return (
        [
            error(
                "output-clash",
                f"two pages would be written to `{path}`",
                "",
                0,
                "rename one of the briefings, authors or aliases that lead there",
            )
            for path in sorted({p for p in paths if paths.count(p) > 1})
        ]
        if len(paths) != len(set(paths))
        else []
    )


def _same(before: tuple[PageSpec, bytes] | None, spec: PageSpec) -> bool:
    return bool(
        before
        and (
            before[0] is spec
            or (before[0].template == spec.template and before[0].context == spec.context)
        )
    )


def _render_one(
    context: tuple[jinja2.Environment, list[PageSpec], Path], index: int
) -> tuple[bytes, list[Diagnostic]]:
    env, todo, root = context
    spec = todo[index]
    return render_page(env, spec.template, spec.context, root)


def _media(
    site: Site, data: Mapping[str, bytes], store: ImageStore
) -> tuple[list[OutputFile], dict, list[OutputFile]]:
    """The briefings' files copied beside their pages, image sizes, and image variants."""
    assets = {a.path: a for bundle in site.bundles.values() for a in bundle.assets}
    copied = [OutputFile(path, data[a.source]) for path, a in sorted(assets.items())]
    infos, variants = prepare_images(assets.values(), data, store)
    return copied, infos, variants


def _extras(
    briefings: bytes, topics: bytes, static: dict[str, OutputFile], assets: dict[str, str]
) -> list[OutputFile]:
    files = [
        OutputFile("api/briefings.json", briefings),
        OutputFile("api/topics.json", topics),
    ]
    for name, f in static.items():
        files.append(replace(f, path="static/" + assets.get(name, name)))
    return files
