"""Languages of a multilingual site: the `languages:` config key and each edition's settings.

Owns: the Language record (code, title, description, URL prefix or own base_url), reading
and validating `languages:` with a problem per bad entry, and the Edition a language's
build is given (which language, where the others live, each page's translations).
Must not: read content, or import a pipeline stage.

Decisions (the issue is silent on these; Hugo's behaviour where it has one):
- `languages: [en, ru]`, a list of mappings (`- code: ru` ...) or a mapping by code are all
  accepted; the first is the default language and lives at the site root.
- The others live under `/<code>/` unless `prefix:` says otherwise, or under their own
  `base_url:` (another host); either way their files go into `<output>/<prefix>/`.
- One language (or none) is a monolingual site: it builds exactly as without the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.diagnostics import Diagnostic, error, warning

LANGUAGE_KEYS = ("code", "title", "description", "prefix", "base_url", "name")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")
_PREFIX = re.compile(r"[a-z0-9][a-z0-9-]*")
# Names for the switcher when `name:` is not given (each language in its own words).
NATIVE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "uz": "Oʻzbekcha",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "de": "Deutsch",
    "fr": "Français",
}


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    title: str = ""  # "" means the site's title
    description: str = ""
    prefix: str = ""  # output folder and URL path segment: "" for the default, "ru" for ru
    base_url: str = ""  # its own host; "" means the site's base_url + prefix
    name: str = ""  # shown in the language switcher

    @property
    def label(self) -> str:
        return self.name or NATIVE_NAMES.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class Edition:
    """What one language's build knows of the others (kept in its SiteConfig)."""

    lang: str
    default: str  # the default language's code (x-default)
    languages: tuple[tuple[str, str, str], ...]  # (code, label, home page absolute URL)
    folder: str  # where this language's files go in the output: "" or "ru/"
    static_base: str  # link path of the /static/ folder its pages use
    own_host: bool = False  # a base_url of its own: it gets its own static/ and robots.txt
    origin: str = ""  # scheme and host of this edition's pages: links there need no host
    # page path in this edition -> ((code, absolute URL), ...) in every language that has it
    alternates: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # topic id -> ((code, label, topic page URL, briefings), ...) in the other languages
    elsewhere: Mapping[str, tuple[tuple[str, str, str, int], ...]] = field(default_factory=dict)

    def also_in(self, topic_id: str) -> tuple[tuple[str, str, str, int], ...]:
        """The topic in the other languages that have briefings on it ("also in English")."""
        return tuple(
            (code, label, self._local(url), n)
            for code, label, url, n in self.elsewhere.get(topic_id, ())
        )

    def versions(self, page_path: str | None) -> tuple[tuple[str, str], ...]:
        return self.alternates.get(page_path or "/", ())

    def switch(self, page_path: str | None, here: str) -> tuple[tuple[str, str, str, bool], ...]:
        """(code, label, URL, is this language) per language: the same page translated,
        or that language's home when there is none; `here` is this page's own link."""
        found = dict(self.versions(page_path))
        return tuple(
            (
                code,
                label,
                here if code == self.lang else self._local(found.get(code, home)),
                code == self.lang,
            )
            for code, label, home in self.languages
        )

    def _local(self, url: str) -> str:
        """A URL on this edition's host as a path (it then works in the dev server too)."""
        if self.origin and url.startswith(self.origin + "/"):
            return url[len(self.origin) :]
        return url


def read_languages(
    value: Any, line: int, file: str
) -> tuple[tuple[Language, ...], list[Diagnostic]]:
    """The `languages:` value as Language records, and a problem per bad entry."""
    entries: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        entries = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                entries.append((str(item.get("code", "")), item))
            else:
                entries.append((str(item), {}))
    else:
        return (), [error("config-type", "`languages` must be a list such as [en, ru]", file, line)]
    out: list[Language] = []
    diags: list[Diagnostic] = []
    for index, (code, settings) in enumerate(entries):
        language, problems = _language(code.strip().lower(), settings, index == 0, line, file)
        diags += problems
        if language is None:
            continue
        if any(o.code == language.code for o in out):
            diags.append(error("config-value", f"language `{code}` is listed twice", file, line))
            continue
        if language.prefix and any(o.prefix == language.prefix for o in out):
            diags.append(
                error("config-value", f"two languages use the prefix `/{language.prefix}/`", file)
            )
            continue
        out.append(language)
    return tuple(out), diags


def _language(
    code: str, settings: Any, first: bool, line: int, file: str
) -> tuple[Language | None, list[Diagnostic]]:
    if not LANGUAGE_CODE.fullmatch(code):
        return None, [
            error(
                "config-value",
                f"`{code}` is not a language code",
                file,
                line,
                "use ISO 639 codes such as en, ru, kk",
            )
        ]
    if settings is None:
        settings = {}
    if not isinstance(settings, Mapping):
        return None, [error("config-type", f"settings of language `{code}` must be a mapping")]
    diags = [
        warning(
            "config-unknown-key",
            f"unknown key `{key}` for language `{code}`",
            file,
            line,
            "known keys: " + ", ".join(LANGUAGE_KEYS),
        )
        for key in settings
        if key not in LANGUAGE_KEYS
    ]
    text = {k: str(settings.get(k) or "").strip() for k in LANGUAGE_KEYS}
    prefix = text["prefix"].strip("/").lower() if "prefix" in settings else ("" if first else code)
    if prefix and not _PREFIX.fullmatch(prefix):
        diags.append(
            error("config-value", f"prefix `{text['prefix']}` of `{code}` is not a path", file)
        )
        prefix = code
    base_url = text["base_url"]
    if base_url and "://" not in base_url:
        diags.append(error("config-value", f"base_url of `{code}` must be absolute", file, line))
        base_url = ""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    if not first and not prefix and not base_url:
        diags.append(
            error(
                "config-value",
                f"language `{code}` needs a prefix or a base_url of its own",
                file,
                line,
                "only the default (first) language lives at the site root",
            )
        )
        prefix = code
    return Language(code, text["title"], text["description"], prefix, base_url, text["name"]), diags
