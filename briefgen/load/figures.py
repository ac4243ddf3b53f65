"""Figures, callouts and fence checks: markdown-it rules the body renderer installs.

Owns: `![Alt](chart.png "Caption")` alone in a paragraph (optionally followed by a line
`Source: ...`) rendered as <figure> + <figcaption>; `::: note`, `::: warning` and
`::: box "Title"` containers; the `unclosed-fence` and `missing-alt` warnings.
Must not: resolve URLs (bodylinks.py does) or know about files.

Decisions: an image alone in a paragraph without a title or Source line stays a plain
image (as CommonMark renders it); the caption is the image's title, which is then dropped
from the <img> (a tooltip repeating the caption helps nobody); the callout's title is
text, never Markdown, and is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from briefgen.diagnostics import Diagnostic, warning

CALLOUTS = {"note": "Note", "warning": "Warning", "box": ""}
_SOURCE = re.compile(r"^\s*(Source|Sources)\s*:\s*", re.IGNORECASE)
_TITLE = re.compile(r'^\s*\w+\s*(?:"([^"]*)"|(.*))\s*$')


def install(md: MarkdownIt) -> None:
    """Callouts and figures; install after rules that must see the original inlines."""
    for name in CALLOUTS:
        container_plugin(md, name, render=_render_callout)
    md.core.ruler.push("briefgen_figures", _figures)


def _render_callout(self, tokens: Sequence[Token], idx: int, _options, env) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    name = token.info.strip().split(" ", 1)[0]
    match = _TITLE.match(token.info.strip())
    title = ((match.group(1) or match.group(2) or "").strip() if match else "") or CALLOUTS[name]
    label = f'<p class="callout-title">{escapeHtml(title)}</p>\n' if title else ""
    return f'<div class="callout callout-{name}" role="note">\n{label}'


def _figures(state: StateCore) -> None:
    """A paragraph of one image (+ an optional Source line) becomes a figure."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        para, inline, close = tokens[i], tokens[i + 1], tokens[i + 2]
        if para.type != "paragraph_open" or inline.type != "inline" or para.hidden:
            continue
        children = inline.children or []
        if not children or children[0].type != "image":
            continue
        rest = children[1:]
        source: list[Token] = []
        if rest and rest[0].type in ("softbreak", "hardbreak"):
            first = rest[1] if len(rest) > 1 else None
            if first is None or first.type != "text" or not _SOURCE.match(first.content):
                continue
            source = [_text(first.content.lstrip()), *rest[2:]]
        elif rest:
            continue
        image = children[0]
        caption = str(image.attrGet("title") or "")
        if not caption and not source:
            continue
        if image.attrs and "title" in image.attrs:
            del image.attrs["title"]
        para.tag = close.tag = "figure"
        inline.meta = {**(inline.meta or {}), "figure": True}
        parts = [image, _open("figcaption")]
        if caption:
            parts.append(_text(caption))
        if source:
            if caption:
                parts += [_void("br"), _text(" ")]
            parts += [_open("span", "figure-source"), *source, _close("span")]
        inline.children = [*parts, _close("figcaption")]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _open(tag: str, cls: str = "") -> Token:
    token = Token(f"{tag}_open", tag, 1)
    if cls:
        token.attrSet("class", cls)
    return token


def _close(tag: str) -> Token:
    return Token(f"{tag}_close", tag, -1)


def _void(tag: str) -> Token:
    return Token(tag, tag, 0)


def check_tokens(
    tokens: list[Token], lines: list[str], file: str, first_line: int
) -> list[Diagnostic]:
    """`unclosed-fence` and `missing-alt` warnings, each at the line it is about."""
    diags: list[Diagnostic] = []
    for token in tokens:
        if token.type == "fence" and token.map and not _closed(token, lines):
            diags.append(
                warning(
                    "unclosed-fence",
                    "this code fence is never closed: everything after it is shown as code",
                    file,
                    first_line + token.map[0],
                    f"close it with a line of {token.markup}",
                )
            )
        if token.type != "inline" or not token.map:
            continue
        offset = 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "image" and not child.content.strip():
                diags.append(
                    warning(
                        "missing-alt",
                        f"image `{child.attrGet('src')}` has no alt text",
                        file,
                        first_line + token.map[0] + offset,
                        "describe what the image shows: ![Wheat exports by route, 2024](chart.png)",
                    )
                )
    return diags


def _closed(token: Token, lines: list[str]) -> bool:
    """Whether the fence's last line is its closing marker (markdown-it ends an unclosed
    fence at the end of its container, usually the end of the document)."""
    assert token.map is not None
    start, end = token.map
    if end - start < 2 or end > len(lines):
        return False
    last = lines[end - 1].strip()
    return len(last) >= len(token.markup) and set(last) == {token.markup[0]}
