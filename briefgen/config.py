"""Site configuration: the frozen SiteConfig and its validation.

Owns: reading briefgen.yaml, defaults, and a problem list naming each bad key and its line.
Must not: read content or templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.languages import Edition, Language, read_languages
from briefgen.yamltext import Parsed, line_of, parse_yaml

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
    serve_mode: bool = False
    publish: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    languages: tuple[Language, ...] = ()  # two or more: a multilingual site (languages.py)
    edition: Edition | None = None  # set for each language's build of a multilingual site

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
    "publish": dict,
    "headers": dict,
    "extra": dict,
    "languages": (list, dict),
}


def load_config(
    root: Path, overrides: Mapping[str, Any] | None = None
) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read `root/briefgen.yaml` (optional) and apply command-line overrides."""
    path = root / CONFIG_FILE
    values: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return SiteConfig(root=root), [error("config-read", f"cannot read: {exc}", CONFIG_FILE)]
        parsed, diags = parse_yaml(text, CONFIG_FILE)
        if parsed is not None:
            values, more = _validate(parsed)
            diags += more
    values.update(overrides or {})
    return _make(root, values), diags


def _validate(parsed: Parsed) -> tuple[dict[str, Any], list[Diagnostic]]:
    data = parsed.value
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [
            error(
                "config-shape", "briefgen.yaml must be a mapping of keys to values", CONFIG_FILE, 1
            )
        ]
    values: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    for key, value in data.items():
        line = line_of(parsed, key)
        expected = _TYPES.get(str(key))
        if expected is None:
            guess = closest(str(key), _TYPES)
            hint = f"did you mean `{guess}`?" if guess else "known keys: " + ", ".join(_TYPES)
            diags.append(
                warning(
                    "config-unknown-key", f"unknown config key `{key}`", CONFIG_FILE, line, hint
                )
            )
            continue
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            name = expected.__name__ if isinstance(expected, type) else "value"
            diags.append(
                error("config-type", f"`{key}` must be a {name}, not {value!r}", CONFIG_FILE, line)
            )
            continue
        if expected is int and value < 1:
            diags.append(error("config-value", f"`{key}` must be at least 1", CONFIG_FILE, line))
            continue
        values[str(key)] = value
    if "languages" in values:
        languages, more = read_languages(
            values.pop("languages"), line_of(parsed, "languages"), CONFIG_FILE
        )
        diags += more
        if len(languages) > 1:
            values["languages"] = languages
        if languages:
            values["language"] = languages[0].code
    if "base_url" in values and "://" not in values["base_url"]:
        diags.append(
            error(
                "config-value",
                "`base_url` must be an absolute URL such as https://example.org/",
                CONFIG_FILE,
                line_of(parsed, "base_url"),
            )
        )
        del values["base_url"]
    return values, diags


def _make(root: Path, values: dict[str, Any]) -> SiteConfig:
    known = {f.name for f in fields(SiteConfig)}
    clean = {k: v for k, v in values.items() if k in known}
    if "iframe_hosts" in clean:
        clean["iframe_hosts"] = tuple(str(h) for h in clean["iframe_hosts"])
    if "base_url" in clean and not clean["base_url"].endswith("/"):
        clean["base_url"] += "/"
    return SiteConfig(root=root, **clean)
