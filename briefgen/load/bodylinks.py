"""URLs written in a briefing body: recorded with their lines, `topic:` links resolved,
root-relative URLs given the site's sub-path.

Owns: the `Ref` list of a body (every Markdown link and image, every raw HTML href/src,
with the file line it is on), `[Kazakhstan](topic:kazakhstan)` -> /topics/kazakhstan/,
and prefixing every root-relative href/src of the rendered body with the base path, so a
site under https://org.github.io/repo/ works like one at the root.
Must not: resolve links to other briefings or files (enrich.bundle does, knowing them all).

Ordering: `collect_refs` runs as a core rule after inlines and figures; `prefix_root`
runs on the final (sanitised) HTML, once, so nothing is prefixed twice.
"""

from __future__ import annotations

import re
from html import unescape

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore

from briefgen.model import Ref, Registry
from briefgen.slug import slugify

TOPIC = "topic:"
URL_SCHEMES = frozenset({"http", "https", "mailto", "topic"})  # topic: -> a topic page
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_BLANK = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore these inside a URL's scheme
_RAW_URL = re.compile(
    r"""<(img|a|source|iframe)\b[^>]*?\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)
_ROOT = re.compile(r'(\s(?:href|src)=")/(?!/)')


def safe_link(url: str) -> bool:
    """http(s), mailto, or relative (`/x`, `../x`, `#x`, `x.html`); never javascript:, data:."""
    scheme = _SCHEME.match(_BLANK.sub("", url).lower())
    return scheme is None or scheme.group(1) in URL_SCHEMES


def collect_refs(state: StateCore) -> None:
    """Record every URL of the body in env["refs"]; rewrite `topic:` links."""
    env = state.env
    refs: list[Ref] = env.setdefault("refs", [])
    registry: Registry | None = env.get("registry")
    base = env.get("base_path", "/")
    first = env.get("first_line", 1)
    for token in state.tokens:
        if token.type == "html_block" and token.map:
            _raw_refs(token.content, first + token.map[0], base, refs)
        if token.type != "inline" or not token.map:
            continue
        line = first + token.map[0]
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                url = str(child.attrGet("href") or "")
                if url.startswith(TOPIC):
                    url = topic_url(url[len(TOPIC) :], registry)
                    child.attrSet("href", url)
                    child.attrJoin("class", "topic-link")
                refs.append(Ref("link", url, line, html_value(url, base)))
            elif child.type == "image":
                url = str(child.attrGet("src") or "")
                refs.append(Ref("image", url, line, html_value(url, base)))
            elif child.type == "html_inline":
                _raw_refs(child.content, line, base, refs)


def topic_url(name: str, registry: Registry | None) -> str:
    """/topics/<id>/ for a topic id, name or alias; an unknown one keeps its slug, so the
    link checker reports it with a suggestion."""
    name = name.strip().strip("/")
    topic_id = registry.resolve(name) if registry is not None else None
    return f"/topics/{topic_id or slugify(name)}/"


def _raw_refs(html: str, line: int, base: str, refs: list[Ref]) -> None:
    for match in _RAW_URL.finditer(html):
        url = unescape(next(g for g in match.groups()[2:] if g is not None)).strip()
        if not safe_link(url) or url.lower().startswith(TOPIC):
            continue  # the sanitiser removes it (raw HTML gets no topic: links)
        kind = "link" if match.group(2).lower() == "href" else "image"
        at = line + html.count("\n", 0, match.start())
        refs.append(Ref(kind, url, at, html_value(url, base)))


def html_value(url: str, base: str) -> str:
    """How `url` appears as an attribute value in the rendered body."""
    return escapeHtml(prefixed(url, base))


def prefixed(url: str, base: str) -> str:
    return (
        base + url[1:] if base != "/" and url.startswith("/") and not url.startswith("//") else url
    )


def prefix_root(html: str, base: str) -> str:
    """Every root-relative href/src in `html` under the base path `base` ("/x/")."""
    return html if base == "/" else _ROOT.sub(lambda m: m.group(1) + base, html)
