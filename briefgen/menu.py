"""`menu:` in briefgen.yaml: the links of the site header and footer, in order.

Owns: the Menu value and its validation (each problem names its line). A site without
`menu: header:` keeps the theme's own header links. A title may be a mapping by language
(`title: {en: About, ru: О нас}`); each edition shows its own, else the default's.
Must not: check that the links lead somewhere (the link checker does, on the built site).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.languages import LANGUAGE_CODE
from briefgen.yamltext import Parsed, line_of, preview

PLACES = ("header", "footer")
MAX_ITEMS = 20


@dataclass(frozen=True, slots=True)
class MenuItem:
    title: str
    url: str  # a site path (/about/) or an absolute http(s) URL
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) when given by language

    @property
    def external(self) -> bool:
        return "://" in self.url


@dataclass(frozen=True, slots=True)
class Menu:
    header: tuple[MenuItem, ...] = ()
    footer: tuple[MenuItem, ...] = ()

    @property
    def header_links(self) -> tuple[tuple[str, str], ...]:
        """(url, title) of each header item, as the theme's header loop takes them."""
        return tuple((item.url, item.title) for item in self.header)

    def localised(self, lang: str) -> Menu:
        """The menu with each title in `lang` where one is given (else the default's)."""
        return Menu(header=_localised(self.header, lang), footer=_localised(self.footer, lang))


def _localised(items: tuple[MenuItem, ...], lang: str) -> tuple[MenuItem, ...]:
    return tuple(replace(i, title=dict(i.titles).get(lang, i.title)) for i in items)


def read_menu(value: dict, parsed: Parsed, file: str) -> tuple[Menu, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    places: dict[str, tuple[MenuItem, ...]] = {}
    for place, items in value.items():
        line = line_of(parsed, "menu", place)
        if place not in PLACES:
            diags.append(
                warning(
                    "config-unknown-key",
                    f"unknown menu `{preview(str(place))}`",
                    file,
                    line,
                    "menus are `header:` and `footer:`",
                )
            )
            continue
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            diags.append(
                error(
                    "config-type",
                    f"`menu: {place}:` must be a list of at most {MAX_ITEMS} {{title, url}}",
                    file,
                    line,
                )
            )
            continue
        places[place] = tuple(_items(items, parsed, file, place, diags))
    return Menu(**places), diags


def _items(
    items: list[Any], parsed: Parsed, file: str, place: str, diags: list[Diagnostic]
) -> list[MenuItem]:
    out = []
    for index, item in enumerate(items):
        line = line_of(parsed, "menu", place, index)
        raw = item.get("title") if isinstance(item, dict) else None
        titles = _titles(raw) if isinstance(raw, dict) else ()
        title = titles[0][1] if titles else "" if isinstance(raw, dict) else str(raw or "").strip()
        url = str(item.get("url") or "").strip() if isinstance(item, dict) else ""
        if not title or not url:
            diags.append(
                error(
                    "config-value",
                    "a menu item needs a `title` and a `url`",
                    file,
                    line,
                    "write - {title: About, url: /about/} (or title: {en: About, ru: О нас})",
                )
            )
            continue
        if not (url.startswith("/") or url.lower().startswith(("https://", "http://"))):
            diags.append(
                error(
                    "config-value",
                    f"menu link `{preview(url)}` must be a site path (/about/) or an http(s) URL",
                    file,
                    line,
                )
            )
            continue
        out.append(MenuItem(" ".join(title.split()), url, titles))
    return out


def _titles(value: dict) -> tuple[tuple[str, str], ...]:
    """`{en: About, ru: О нас}` as (language, title) pairs; () if it is not that shape."""
    pairs = tuple((str(k), " ".join(str(v).split())) for k, v in value.items())
    good = all(
        isinstance(k, str) and LANGUAGE_CODE.fullmatch(k) and isinstance(v, str) and v.strip()
        for k, v in value.items()
    )
    return pairs if good and pairs else ()
