"""Markdown rendering: the only markdown-it set-up in briefgen.

Owns: Markdown -> sanitised HTML, and the prose blocks (paragraphs, list items, quotes,
headings, table cells, captions, footnotes) that summaries and topic detection read.
Must not: know about topics or summaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.model import Block, Document
from briefgen.slug import slugify

_CONTAINERS = {
    "heading_open": "heading",
    "blockquote_open": "quote",
    "list_item_open": "li",
    "th_open": "cell",
    "td_open": "cell",
    "footnote_open": "footnote",
}
_WORD = re.compile(r"\w+")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=slugify)
    return md


def render_markdown(text: str, first_line: int = 1, iframe_hosts: Sequence[str] = ()) -> Document:
    """Render a briefing body; `first_line` is the file line where `text` starts."""
    md = _parser()
    tokens = md.parse(text)
    html = md.renderer.render(tokens, md.options, {})
    if any(t.type in ("html_block", "html_inline") for t in _walk(tokens)):
        html = sanitize_html(html, tuple(iframe_hosts))
    blocks = tuple(_blocks(tokens, first_line - 1))
    words = sum(len(_WORD.findall(b.text)) for b in blocks)
    has_notes = any(t.type == "footnote_block_open" for t in tokens)
    return Document(html, blocks, words, has_notes)


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from token.children


def _blocks(tokens: list[Token], line_offset: int) -> list[Block]:
    blocks: list[Block] = []
    stack: list[str] = []
    after_figure = False
    for token in tokens:
        if token.type in _CONTAINERS:
            stack.append(_CONTAINERS[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _CONTAINERS:
            stack.pop()
        elif token.type == "inline":
            text, only_image, only_emphasis = _inline_text(token.children or [])
            kind = stack[-1] if stack else "p"
            if kind == "p" and (only_image or (after_figure and only_emphasis)):
                kind = "caption"
            after_figure = only_image
            line = (token.map[0] + 1 + line_offset) if token.map else line_offset + 1
            if text.strip():
                blocks.append(Block(kind, " ".join(text.split()), line))
    return blocks


def _inline_text(children: list[Token]) -> tuple[str, bool, bool]:
    """Plain text of an inline token, whether it is only an image, only emphasis."""
    parts: list[str] = []
    kinds = set()
    depth = 0
    for child in children:
        if child.type in ("em_open", "strong_open"):
            depth += 1
        elif child.type in ("em_close", "strong_close"):
            depth -= 1
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
            if child.content.strip():
                kinds.add("emph" if depth else "text")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            kinds.add("image")
    return "".join(parts), kinds == {"image"}, kinds == {"emph"}


_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}


def sanitize_html(html: str, iframe_hosts: tuple[str, ...] = ()) -> str:
    """Clean raw HTML with an allow-list for briefings; iframes only from allowed hosts."""

    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "iframe" and attr == "src":
            host = value.split("://", 1)[-1].split("/", 1)[0].lower()
            return value if value.startswith("https://") and host in iframe_hosts else None
        if attr == "style" and not re.fullmatch(r"text-align:\s*(left|right|center)", value):
            return None
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
