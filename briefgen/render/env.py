"""The Jinja environment: the only one in briefgen.

Owns: template lookup (a site's templates/ overrides the theme by file name), autoescaping,
filters and globals. Must not: decide which pages exist.
"""

from __future__ import annotations

import datetime as dt
import json

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.localise.catalog import catalogue_key, theme_translations
from briefgen.localise.formats import formats_for
from briefgen.render.gettext import install as install_gettext
from briefgen.render.undefined import WarnUndefined
from briefgen.render.views import Card
from briefgen.templatedirs import template_dirs  # re-exported: render/renderer.py, hosting.py


def env_key(config: SiteConfig, assets: dict[str, str] | None = None) -> str:
    """What an environment is made from: equal keys, interchangeable environments."""
    dirs = [str(d) for d in template_dirs(config)]
    return repr((config, sorted((assets or {}).items()), dirs, catalogue_key(config)))


def make_env(
    config: SiteConfig,
    assets: dict[str, str] | None = None,
    compiled: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """A new environment for this config and these fingerprinted asset names.

    The render stage keeps it in the build state while `env_key` is the same, which keeps
    compiled templates between builds (the dev server) and lets forked render workers
    inherit them; Jinja itself reloads a template whose file changed. `compiled`: where
    compiled templates are kept between runs (render/bytecode.py).
    """
    return _new_env(config, assets or {}, compiled)


def _new_env(
    config: SiteConfig, assets: dict[str, str], compiled: jinja2.BytecodeCache | None
) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=compiled,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=WarnUndefined,  # printed, an undefined value is a warning (undefined.py)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The theme's words in the page's language (localise/catalog.py); a catalogue's
    # problems are reported by the render stage (catalogue_problems), not here.
    translations, _ = theme_translations(config)
    install_gettext(env, translations)  # Jinja's new-style gettext, faster (gettext.py)
    formats = formats_for(config.language, translations)
    env.globals.update(
        config=config,
        link=config.link,
        absolute=config.absolute,
        version=__version__,
        asset=lambda name: _static_base(config) + assets.get(name, name),
        article_ld=lambda card, summary: article_ld(config, card, summary),
        plural_samples=formats.plural_samples,
    )
    env.filters.update(
        datefmt=formats.date,
        number=formats.number,
        reason=formats.reason,
        isodate=isodate,
        tojson_script=tojson_script,
        filesize=filesize,
    )
    return env


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every page template and partial into `env`'s cache, so forked render
    workers inherit them compiled instead of each compiling them again (about 0.25 CPU
    seconds per worker for the default theme). A template that does not compile is left
    for the pages that use it to report."""
    for name in env.list_templates(filter_func=_is_page_template):
        try:
            env.get_template(name)
        except Exception:  # a syntax error, an unreadable file: its pages report it
            continue


def _is_page_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIXES) and not name.startswith(("static/", "scaffold/"))


def _static_base(config: SiteConfig) -> str:
    """Where /static/ is linked from: every language of a site shares the root's."""
    return config.edition.static_base if config.edition else config.link("/static/")


def filesize(size: int) -> str:
    """1536 -> "1.5 KB": decimal units, as file managers show them."""
    if size < 1000:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
    return ""


def isodate(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.isoformat().replace("+00:00", "Z")


def tojson_script(value: object) -> Markup:
    """JSON safe inside <script>: no `</script>`, no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def article_ld(config: SiteConfig, card: Card, summary: str) -> dict[str, object]:
    """schema.org Article / NewsArticle for a briefing page."""
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if card.type == "brief" else "Article",
        "headline": card.title,
        "description": summary,
        "datePublished": isodate(card.date),
        "dateModified": isodate(card.updated or card.date),
        "author": [
            {"@type": "Person", "name": a.name, "url": config.absolute(a.url)} for a in card.authors
        ],
        "about": [
            {"@type": "Thing", "name": t.name, "url": config.absolute(t.url)} for t in card.topics
        ],
        "mainEntityOfPage": config.absolute(card.url),
        "publisher": {"@type": "Organization", "name": config.organisation or config.title},
    }
