"""Markdown rendering: the only markdown-it set-up in briefgen.

Owns: Markdown -> sanitised HTML, and the prose blocks (paragraphs, list items, quotes,
headings, table cells, captions, footnotes) that summaries and topic detection read.
Must not: know about topics or summaries.

Safety, in order: links and images in Markdown keep only http(s), mailto and relative URLs
(`safe_link`); raw HTML goes through nh3 with an allow-list; nesting deeper than
MAX_NESTING (markdown-it's guard against recursion) is reported, because markdown-it
silently drops everything nested below it; raw HTML nested deeper than MAX_HTML_DEPTH is
refused before it reaches nh3, whose parser is quadratic in nesting depth.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.diagnostics import Diagnostic, error
from briefgen.load import figures
from briefgen.load.anchors import anchors
from briefgen.load.bodylinks import collect_refs, prefix_root, safe_link
from briefgen.model import Block, Document, Registry

_CONTAINERS = {
    "heading_open": "heading",
    "blockquote_open": "quote",
    "list_item_open": "li",
    "th_open": "cell",
    "td_open": "cell",
    "footnote_open": "footnote",
    # callouts: prose for topic detection, never the summary (like quotes)
    **{f"container_{name}_open": "quote" for name in figures.CALLOUTS},
}
_WORD = re.compile(r"\w+")
MAX_NESTING = 40  # block levels (a list item is two); each costs a few Python frames
MAX_HTML_DEPTH = 256


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.options["maxNesting"] = MAX_NESTING
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors)  # h2-h4 ids, linear in the number of headings
    md.validateLink = safe_link
    md.core.ruler.push("briefgen_refs", collect_refs)  # before figures reshape inlines
    figures.install(md)
    _report_cut_content(md)
    return md


def _report_cut_content(md: MarkdownIt) -> None:
    """Record in env["too_deep"] the first line markdown-it drops for being too deeply nested.

    markdown-it's block tokenizer skips the rest of its range once `state.level` reaches
    maxNesting; the level does not change between its loop turns, so checking on entry sees
    exactly what it is about to drop.
    """
    tokenize = md.block.tokenize

    def checked(state: StateBlock, start: int, end: int) -> None:
        if state.level >= MAX_NESTING:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["too_deep"] = min(state.env.get("too_deep", line), line)
        tokenize(state, start, end)

    md.block.tokenize = checked  # type: ignore[method-assign]


def render_markdown(text: str, first_line: int = 1, iframe_hosts: Sequence[str] = ()) -> Document:
    """Render Markdown (a briefing body, a topic description); problems are dropped."""
    return render_body(text, "", first_line, iframe_hosts)[0]


def render_body(
    text: str,
    file: str,
    first_line: int = 1,
    iframe_hosts: Sequence[str] = (),
    base_path: str = "/",
    registry: Registry | None = None,
) -> tuple[Document, list[Diagnostic]]:
    """Render a briefing body; `first_line` is the file line where `text` starts;
    root-relative URLs are put under `base_path`, `topic:` links resolved in `registry`."""
    md = _parser()
    env: dict = {"base_path": base_path, "registry": registry, "first_line": first_line}
    tokens = md.parse(text, env)
    diags: list[Diagnostic] = figures.check_tokens(tokens, text.split("\n"), file, first_line)
    if "too_deep" in env:
        diags.append(
            error(
                "markdown-too-deep",
                "lists or quotes are nested too deeply; the content from here on would be lost",
                file,
                first_line + env["too_deep"],
                f"flatten the nesting: at most {MAX_NESTING // 2} nested lists "
                f"or {MAX_NESTING} nested quotes",
            )
        )
    html = md.renderer.render(tokens, md.options, env)
    if any(t.type in ("html_block", "html_inline") for t in _walk(tokens)):
        depth, line = _html_depth(tokens)
        if depth > MAX_HTML_DEPTH:
            diags.append(
                error(
                    "html-too-deep",
                    f"raw HTML nested {depth} levels deep; at most {MAX_HTML_DEPTH}",
                    file,
                    first_line + line,
                    "close the HTML tags you open",
                )
            )
            html = ""
        else:
            html = sanitize_html(html, tuple(iframe_hosts))
    html = prefix_root(html, base_path)
    blocks = tuple(_blocks(tokens, first_line - 1))
    words = sum(len(_WORD.findall(b.text)) for b in blocks)
    has_notes = any(t.type == "footnote_block_open" for t in tokens)
    return Document(html, blocks, words, has_notes, tuple(env.get("refs", ()))), diags


# Elements that never nest (void) or close themselves when a sibling opens.
_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr")
_SELF_CLOSING = ("p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot")
_FLAT = frozenset((*_VOID, *_SELF_CLOSING, "source", "track", "optgroup", "colgroup"))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")


def _html_depth(tokens: list[Token]) -> tuple[int, int]:
    """(deepest nesting of raw HTML tags, 0-based line where it is reached), in linear time."""
    depth = deepest = where = line = 0
    for block in tokens:
        line = block.map[0] if block.map else line
        for token in (block, *(block.children or ())):
            if token.type not in ("html_block", "html_inline"):
                continue
            for match in _TAG.finditer(token.content):
                closing, name, self_closing = match.groups()
                if name.lower() in _FLAT or self_closing:
                    continue
                depth = max(depth - 1, 0) if closing else depth + 1
                if depth > deepest:
                    deepest, where = depth, line
    return deepest, where


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
            if stack:  # a stray close (the footnote plugin on self-nesting notes)
                stack.pop()
        elif token.type == "inline":
            text, only_image, only_emphasis = _inline_text(token.children or [])
            kind = stack[-1] if stack else "p"
            if kind == "p" and (
                only_image or (after_figure and only_emphasis) or token.meta.get("figure")
            ):
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
    "div": {"role"},  # callouts are role="note"
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
