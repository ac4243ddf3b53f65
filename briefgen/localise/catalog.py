"""The theme's words in each language: gettext catalogues compiled with Babel.

Owns: finding the catalogues (the theme's `locales/`, then the site's own `locales/` over
it), compiling `.po` to `.mo` in memory at build time (so a site ships only `.po` files,
nothing is written anywhere, and the same `.po` always gives the same words), the
fallback to English for a missing entry, and listing the entries a language lacks
(`briefgen check`).
Must not: render or write.

Layout (Babel's and GNU gettext's): `locales/<lang>/LC_MESSAGES/messages.po`. The theme's
English catalogue has every msgid with an empty msgstr (English is the source language);
a site may still override English words with its own `locales/en/`.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.templatedirs import template_dirs, theme_dir

DOMAIN = "messages"
# How Jinja's i18n calls look to Babel's extractor (jinja2.ext.babel_extract).
EXTRACT_MAP = [("**.html", "jinja2"), ("**.xml", "jinja2")]
EXTRACT_OPTIONS = {
    "**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"},
    "**.xml": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"},
}


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One `.po` file read and compiled: its translations and what was wrong with it."""

    path: Path
    translations: gettext.GNUTranslations | None
    catalog: Catalog | None
    problems: tuple[Diagnostic, ...] = ()


def locale_dirs(config: SiteConfig) -> list[Path]:
    """Where catalogues come from, the site's own first (it overrides the theme's)."""
    own = config.root / "locales"
    theme = theme_dir() / "locales"
    return [own, theme] if own.resolve() != theme.resolve() else [theme]


def po_path(folder: Path, lang: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_key(config: SiteConfig) -> str:
    """Changes whenever a catalogue this build's language reads changes."""
    digest = hashlib.sha256(config.language.encode())
    for folder in locale_dirs(config):
        path = po_path(folder, config.language)
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_catalogue(path: Path, lang: str, root: Path) -> Catalogue:
    """A `.po` file read and compiled to `.mo` in memory; a broken one is an error that
    names its line, and the build goes on with the words of the next catalogue."""
    shown = _shown(path, root)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        line = line if isinstance(line, int) else 0
        hint = "check the quotes and msgid/msgstr pairs; `pybabel compile` shows the same"
        return Catalogue(path, None, None, (error("locale-invalid", str(exc), shown, line, hint),))
    except OSError as exc:
        return Catalogue(path, None, None, (error("locale-invalid", str(exc), shown),))
    problems = []
    for message, errors in list(catalog.check()):  # e.g. a placeholder the msgid lacks
        problems += [
            error(
                "locale-invalid",
                f"`{_msgid(message.id)}`: {problem}",
                shown,
                message.lineno,
                "keep the msgid's %(name)s placeholders; the English words are used meanwhile",
            )
            for problem in errors
        ]
        catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Catalogue(path, gettext.GNUTranslations(buffer), catalog, tuple(problems))


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def catalogues(config: SiteConfig, lang: str | None = None) -> list[Catalogue]:
    """The language's catalogues that exist, the site's own first."""
    lang = lang or config.language
    found = [po_path(folder, lang) for folder in locale_dirs(config)]
    return [read_catalogue(p, lang, config.root) for p in found if p.is_file()]


def theme_translations(
    config: SiteConfig,
) -> tuple[gettext.NullTranslations, list[Diagnostic]]:
    """The translations for this build's language, the site's over the theme's, English
    (the msgid itself) for anything neither has; and the catalogues' problems."""
    chain: gettext.NullTranslations = gettext.NullTranslations()
    problems: list[Diagnostic] = []
    for found in reversed(catalogues(config)):  # the theme's first, so the site's wins
        problems += found.problems
        if found.translations is not None:
            found.translations.add_fallback(chain)
            chain = found.translations
    return chain, problems


def extract_messages(folder: Path) -> Iterator[tuple[str, object, str, int]]:
    """Each theme word the templates in `folder` ask for, in file order, as
    (msgid, message as extracted: text or (singular, plural), file relative to
    `folder`, line). Scaffold templates (`briefgen new`'s) are left out."""
    found = extract_from_dir(
        str(folder), EXTRACT_MAP, options_map=EXTRACT_OPTIONS, strip_comment_tags=True
    )
    for filename, lineno, message, _comments, _context in found:
        if "scaffold" not in Path(filename).parts:
            yield _msgid(message), message, filename, lineno


def template_messages(config: SiteConfig) -> dict[str, tuple[str, int]]:
    """Every msgid the templates in use ask for -> (template file, line) of its first use."""
    out: dict[str, tuple[str, int]] = {}
    for folder in reversed(template_dirs(config)):  # the site's own last: its lines win
        for msgid, _message, filename, lineno in extract_messages(folder):
            out[msgid] = (_shown(folder / filename, config.root), lineno)
    return dict(sorted(out.items()))


def missing_entries(config: SiteConfig) -> list[Diagnostic]:
    """A warning for each template word a non-default language has no translation of
    (the page shows it in English)."""
    codes = [x.code for x in config.languages[1:]] or (
        [config.language] if config.language != "en" else []
    )
    if not codes:
        return []
    wanted = template_messages(config)
    out: list[Diagnostic] = []
    for code in codes:
        have: set[str] = set()
        for found in catalogues(config, code):
            out += found.problems
            if found.catalog is not None:
                have |= {_msgid(m.id) for m in found.catalog if m.id and _translated(m)}
        for msgid, (file, line) in wanted.items():
            if msgid not in have:
                out.append(
                    warning(
                        "missing-translation",
                        f"`{msgid}` has no `{code}` translation: shown in English",
                        file,
                        line,
                        f"add it to locales/{code}/LC_MESSAGES/{DOMAIN}.po",
                    )
                )
    return out


def _msgid(value: str | tuple[str, ...]) -> str:
    return value[0] if isinstance(value, tuple) else value


def _translated(message: object) -> bool:
    strings = message.string  # type: ignore[attr-defined]
    values = strings if isinstance(strings, tuple) else (strings,)
    return all(values) and not message.fuzzy  # type: ignore[attr-defined]
