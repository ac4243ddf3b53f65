"""Standalone pages (content/pages/<slug>.md at /<slug>/) and the series list (series.yaml).

Owns: their schemas and diagnostics. A page's body is rendered like a briefing's (so its
root-relative links get the sub-path of base_url). Must not: look at briefings.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error
from briefgen.load.deskfiles import read_list, read_markdown
from briefgen.load.discover import is_ignored
from briefgen.load.linkfields import GENERATED
from briefgen.load.markdown import render_body
from briefgen.load.translations import file_language
from briefgen.model import SeriesInfo, StandalonePage
from briefgen.slug import is_reserved, is_slug, slugify

PAGE_KEYS = ("title", "description", "slug", "draft")
SERIES_KEYS = ("id", "title", "description", "order")
# Besides GENERATED (load/briefing.py): URLs the desk itself makes.
TAKEN = {
    **GENERATED,
    "briefings": "the briefings",
    "series": "the series pages",
    "corrections": "the corrections page",
    "search": "the search page",
    "pagefind": "the search index",
}


def load_pages(config: SiteConfig, lang: str = "") -> tuple[list[StandalonePage], list[Diagnostic]]:
    """The standalone pages; `lang` (a multilingual site): that language's, as Hugo has
    them: `about.ru.md` is the Russian page at /ru/about/ (the translation of `about.md`
    when there is one, so the two pair), and a page exists only in the languages it has a
    file for."""
    folder = config.content_path / "pages"
    if not folder.is_dir():
        return [], []
    codes = tuple(x.code for x in config.languages) if lang else ()
    pages, diags = [], []
    for path in sorted(folder.glob("*.md")):
        if is_ignored(path.name):
            continue
        rel = f"pages/{path.name}"
        suffix = file_language(rel, codes)[0] if lang else ""
        if lang and (suffix or codes[0]) != lang:
            continue
        page, problems = _page(config, path, rel, suffix)
        diags += problems
        if page is not None:
            pages.append(page)
    return pages, diags


def _page(
    config: SiteConfig, path: Path, rel: str, suffix: str = ""
) -> tuple[StandalonePage | None, list]:
    fields, body, body_line, diags = read_markdown(path, rel)
    if fields is None:
        return None, diags
    fields.check_keys(PAGE_KEYS)
    title = fields.text("title", required=True)
    slug = fields.text("slug") or slugify(path.stem.removesuffix(f".{suffix}" if suffix else ""))
    draft = fields.data.get("draft") is True
    if not is_slug(slug) or is_reserved(slug):
        fields.err("bad-slug", f"slug `{slug}` is not URL-safe", "slug", hint="use lowercase-words")
        return None, diags + fields.diags
    if slug in TAKEN:
        fields.diags.append(
            error(
                "duplicate-url",
                f"`/{slug}/` is already used by {TAKEN[slug]}",
                rel,
                fields.line("slug") or 1,
                "give the page another file name or slug:",
            )
        )
        return None, diags + fields.diags
    doc, problems = render_body(body, rel, body_line, config.iframe_hosts, config.base_path)
    diags += fields.diags + problems
    if not title or (draft and not config.drafts):
        return None, diags
    page = StandalonePage(slug, title, rel, doc.html, fields.text("description"))
    return page, diags


def load_series(config: SiteConfig, lang: str = "") -> tuple[list[SeriesInfo], list[Diagnostic]]:
    """The series; `lang` (a multilingual site): with `title` and `description` in that
    language where they are mappings by language (`title: {en: ..., ru: ...}`)."""
    records, diags = read_list(config.root / "series.yaml", "series.yaml")
    codes = tuple(x.code for x in config.languages)
    out: dict[str, SeriesInfo] = {}
    for f in [r.localised(lang, codes) for r in records] if lang else records:
        f.check_keys(SERIES_KEYS)
        sid, title = f.text("id", required=True), f.text("title", required=True)
        order = f.text("order") or "date"
        if order not in ("date", "part"):
            f.err("bad-order", f"order `{order}` is not `date` or `part`", "order")
            order = "date"
        if sid and not is_slug(sid):
            f.err("bad-series", f"series id `{sid}` is not URL-safe", "id", hint=slugify(sid))
            sid = ""
        if sid in out:
            f.err("duplicate-series", f"series `{sid}` is already defined", "id")
            sid = ""
        diags += f.diags
        if not sid or not title:
            continue
        text = f.text("description", one_line=False)
        html = ""
        if text:
            doc, problems = render_body(
                text, f.file, f.line("description") + 1, (), config.base_path
            )
            html, diags = doc.html, diags + problems
        out[sid] = SeriesInfo(sid, title, f.file, f.line(), html, order)
    return [out[k] for k in sorted(out)], diags
