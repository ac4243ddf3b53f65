"""Site configuration: the frozen SiteConfig and its validation.

Owns: reading briefgen.yaml, defaults, and a problem list naming each bad key and its line.
Must not: read content or templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.languages import Edition, Language, read_languages
from briefgen.menu import Menu, read_menu
from briefgen.yamltext import Parsed, line_of, parse_yaml, preview

CONFIG_FILE = "briefgen.yaml"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path = Path(".")
    title: str = "Briefings"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    organisation: str = ""
    copyright: str = ""
    content_dir: str = "content"
    output_dir: str = "site"
    topics_file: str = "topics.yaml"
    per_page: int = 10
    feed_limit: int = 20
    related_count: int = 5
    words_per_minute: int = 220
    iframe_hosts: tuple[str, ...] = ()
    drafts: bool = False
    search: bool = True
    card_image: str = ""  # site path or URL of the default og:image / card image
    pdf: bool = False  # a PDF of every briefing (needs the briefgen[pdf] extra)
    menu: Menu = field(default_factory=lambda: Menu())  # header and footer links
    publish: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    languages: tuple[Language, ...] = ()  # two or more: a multilingual site (languages.py)
    edition: Edition | None = None  # set for each language's build of a multilingual site
    config_files: tuple[str, ...] = ()  # the config files read, base first (absolute paths)

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. "/briefings/" for a sub-path host."""
        rest = self.base_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"

    def link(self, path: str) -> str:
        """Link target for a site path like "/briefings/x/", honouring a sub-path base_url."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        """Absolute URL for a site path like "/briefings/x/" (an absolute URL stays as is)."""
        if "://" in path:
            return path
        return self.base_url + path.lstrip("/")


_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "organisation": str,
    "copyright": str,
    "content_dir": str,
    "output_dir": str,
    "topics_file": str,
    "per_page": int,
    "feed_limit": int,
    "related_count": int,
    "words_per_minute": int,
    "iframe_hosts": list,
    "drafts": bool,
    "search": bool,
    "card_image": str,
    "pdf": bool,
    "menu": dict,
    "publish": dict,
    "headers": dict,
    "extra": dict,
    "languages": (list, dict),
}


def load_config(
    root: Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    env: str = "",
) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read the config (`root/briefgen.yaml`, optional, or `config_file`), then the overlay
    of environment `env` beside it (`briefgen.production.yaml` for "production") merged
    over it, then the command-line overrides."""
    base = config_file if config_file is not None else root / CONFIG_FILE
    files = [base] if base.is_file() or config_file is not None else []
    if env:
        files.append(overlay_path(base, env))
    values: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    used: list[str] = []
    for path in files:
        more_values, more = _read_file(path, _shown(path, root))
        diags += more
        if more_values is None:
            continue
        used.append(str(path.absolute()))
        values = merged(values, more_values)
    values.update(overrides or {})
    values["config_files"] = tuple(used)
    return _make(root, values), diags


def overlay_path(base: Path, env: str) -> Path:
    """`briefgen.yaml` + "production" -> `briefgen.production.yaml`, beside it."""
    return base.with_name(f"{base.stem}.{env}{base.suffix or '.yaml'}")


def merged(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """`overlay` over `base`: mappings (publish:, headers:, extra:) merge key by key, any
    other value replaces the base's."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def _shown(path: Path, root: Path) -> str:
    """How diagnostics name a config file: relative to the site when it is inside it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def _read_file(path: Path, name: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [error("config-missing", "no such config file", name)]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error("config-read", f"cannot read: {exc}", name)]
    parsed, diags = parse_yaml(text, name)
    if parsed is None:
        return {}, diags
    values, more = _validate(parsed, name)
    return values, diags + more


def _validate(parsed: Parsed, name: str = CONFIG_FILE) -> tuple[dict[str, Any], list[Diagnostic]]:
    data = parsed.value
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [error("config-shape", f"{name} must be a mapping of keys to values", name, 1)]
    values: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    for key, value in data.items():
        line = line_of(parsed, key)
        expected = _TYPES.get(str(key))
        if expected is None:
            guess = closest(str(key), _TYPES)
            hint = f"did you mean `{guess}`?" if guess else "known keys: " + ", ".join(_TYPES)
            diags.append(
                warning("config-unknown-key", f"unknown config key `{key}`", name, line, hint)
            )
            continue
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            diags.append(error("config-type", type_message(key, expected, value), name, line))
            continue
        if expected is int and value < 1:
            diags.append(error("config-value", f"`{key}` must be at least 1", name, line))
            continue
        values[str(key)] = value
    if "headers" in values:
        diags += _header_problems(parsed, values["headers"], name)
    if "languages" in values:
        languages, more = read_languages(
            values.pop("languages"), line_of(parsed, "languages"), name
        )
        diags += more
        if len(languages) > 1:
            values["languages"] = languages
        if languages:
            values["language"] = languages[0].code
    if "menu" in values:
        menu, more = read_menu(values["menu"], parsed, CONFIG_FILE)
        values["menu"] = menu.localised(str(values.get("language") or "en"))
        diags += more
    if "base_url" in values and "://" not in values["base_url"]:
        diags.append(
            error(
                "config-value",
                "`base_url` must be an absolute URL such as https://example.org/",
                name,
                line_of(parsed, "base_url"),
            )
        )
        del values["base_url"]
    return values, diags


_TYPE_NAMES = {
    int: "a whole number",
    str: "text",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
}


def type_message(key: object, expected: type | tuple[type, ...], value: object) -> str:
    """ "`per_page` must be a whole number, not 'ten'" (never "must be a int")."""
    kinds = expected if isinstance(expected, tuple) else (expected,)
    wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
    return f"`{key}` must be {wanted}, not {value!r}"


_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # an RFC 9110 token


def _header_problems(parsed: Parsed, headers: dict, name: str) -> list[Diagnostic]:
    """Each `headers:` entry must be `Name: value` with a token name and a one-line text
    value; the hosting stage would otherwise have to drop it."""
    diags = []
    for key, value in headers.items():
        line = line_of(parsed, "headers", key)
        if not isinstance(key, str) or not _HEADER_NAME.fullmatch(key):
            diags.append(
                error(
                    "config-value",
                    f"`headers`: `{preview(key)}` is not an HTTP header name",
                    name,
                    line,
                    "use letters, digits and hyphens, e.g. X-Frame-Options: DENY",
                )
            )
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            diags.append(
                error(
                    "config-value",
                    f"`headers`: the value of `{key}` must be text, not {preview(value)}",
                    name,
                    line,
                    'quote it: X-Frame-Options: "DENY"',
                )
            )
        elif not str(value).strip() or any(c in str(value) for c in "\r\n\0"):
            diags.append(
                error(
                    "config-value",
                    f"`headers`: the value of `{key}` must be one non-empty line",
                    name,
                    line,
                    "write the whole value on one line",
                )
            )
    return diags


def _make(root: Path, values: dict[str, Any]) -> SiteConfig:
    known = {f.name for f in fields(SiteConfig)}
    clean = {k: v for k, v in values.items() if k in known}
    if "iframe_hosts" in clean:
        clean["iframe_hosts"] = tuple(str(h) for h in clean["iframe_hosts"])
    if "base_url" in clean and not clean["base_url"].endswith("/"):
        clean["base_url"] += "/"
    return SiteConfig(root=root, **clean)
