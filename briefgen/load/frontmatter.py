"""Turn a briefing's bytes into clean text, and split it into front matter and body.

Owns: decoding (UTF-8 only, with a hint for UTF-16/32), text normalisation (BOM, CRLF/CR
line endings, invisible characters, also inside parsed YAML strings) and the `---` fences.
Must not: interpret the YAML.

Invisible characters are removed, never kept: control characters (they make feeds
ill-formed XML and can drive a terminal that prints a diagnostic), zero-width spaces and
bidirectional overrides/isolates (they hide or reorder text, "Trojan Source" style); one
`invisible-chars` warning per file names the first line with one. Zero-width joiners
(ZWJ/ZWNJ) and LRM/RLM marks stay: Persian, Indic scripts and emoji need them and they
cannot reorder text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.yamltext import Parsed, line_of

# C0 controls but tab and newline, DEL, C1 controls, zero-width space, word joiner,
# zero-width no-break space (a BOM inside the text), bidi embeddings/overrides/isolates,
# and the two noncharacters XML refuses.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


@dataclass(frozen=True, slots=True)
class Split:
    front: str  # YAML text between the fences
    body: str
    body_line: int  # 1-based line of the first body line in the file


def normalise(text: str) -> str:
    """Strip a BOM and turn CRLF/CR line endings into LF."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def strip_invisible(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(text without invisible characters, [(offset, character) removed]).

    Call after `normalise`: CR is a control character too.
    """
    if not INVISIBLE.search(text):
        return text, []
    found = [(m.start(), m.group()) for m in INVISIBLE.finditer(text)]
    return INVISIBLE.sub("", text), found


def describe_invisible(chars: list[str]) -> str:
    """Names such as `U+202E RIGHT-TO-LEFT OVERRIDE` for the first few kinds of character."""
    kinds = sorted(set(chars), key=chars.index)
    names = [f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in kinds[:3]]
    return ", ".join(names) + (", ..." if len(kinds) > 3 else "")


def decode(raw: bytes, rel: str) -> tuple[str | None, list[tuple[int, str]], list[Diagnostic]]:
    """(clean text, [(line or 0, character) removed], problems); text None if not UTF-8.

    Only the first removed character keeps its line: the warning names where to look.
    """
    try:
        text = normalise(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [], [_not_utf8(rel, raw, exc)]
    cleaned, removed = strip_invisible(text)
    found = [
        (text.count("\n", 0, offset) + 1 if i == 0 else 0, char)
        for i, (offset, char) in enumerate(removed)
    ]
    return cleaned, found, []


def _not_utf8(rel: str, raw: bytes, exc: UnicodeDecodeError) -> Diagnostic:
    encoding = next((name for bom, name in _BOMS.items() if raw.startswith(bom)), None)
    hint = "save the file as UTF-8"
    if encoding:
        hint = f"the file is {encoding} (it starts with a {encoding} byte order mark); " + hint
    line = raw[: exc.start].count(b"\n") + 1
    return error("not-utf8", f"file is not valid UTF-8 (byte {exc.start})", rel, line, hint)


def display_lines(raw: bytes) -> list[str]:
    """The file's lines as diagnostics show them: never with control or bidi characters,
    which would garble (or drive) the terminal that prints them."""
    text = normalise(raw.decode("utf-8", "replace"))
    return strip_invisible(text)[0].split("\n")


def clean_values(parsed: Parsed, found: list[tuple[int, str]]) -> dict[str, Any]:
    r"""Front matter with invisible characters removed from every string (YAML escapes such
    as "\u202e" or "\x1b" bypass the file-level clean-up) and keys made text.

    Walks with an explicit stack; the YAML layer already bounded depth and refused cycles.
    """
    data: dict[str, Any] = {}
    for key, value in parsed.value.items():
        removed: list[str] = []
        value = _clean_tree(value, removed)
        key, _ = strip_invisible(str(key)) if key is not None else ("null", [])
        if removed:
            found.append((line_of(parsed, key), removed[0]))
            found += [(0, char) for char in removed[1:]]
        data[key] = value
    return data


def _clean_tree(value: Any, removed: list[str]) -> Any:
    def clean(text: str) -> str:
        text, chars = strip_invisible(text)
        removed.extend(char for _, char in chars)
        return text

    if isinstance(value, str):
        return clean(value)
    stack = [value]
    done: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in done:
            continue
        done.add(id(item))
        if isinstance(item, list):
            for index, child in enumerate(item):
                if isinstance(child, str):
                    item[index] = clean(child)
                elif isinstance(child, list | dict):
                    stack.append(child)
        elif isinstance(item, dict):
            pairs = list(item.items())
            item.clear()
            for key, child in pairs:
                if isinstance(child, str):
                    child = clean(child)
                elif isinstance(child, list | dict):
                    stack.append(child)
                item[clean(key) if isinstance(key, str) else key] = child
    return value


def invisible_warning(rel: str, found: list[tuple[int, str]]) -> list[Diagnostic]:
    if not found:
        return []
    line = min((line for line, _ in found if line), default=1)
    chars = [char for _, char in found]
    return [
        warning(
            "invisible-chars",
            f"removed {len(chars)} invisible or control character{'s' * (len(chars) != 1)} "
            f"({describe_invisible(chars)})",
            rel,
            line,
            "they can hide or reorder text; retype the text around them",
        )
    ]


def split_front_matter(text: str, file: str) -> tuple[Split | None, list[Diagnostic]]:
    """Expect `---` on the first line and a closing `---` (or `...`) line."""
    if not text.strip():
        return None, [
            error(
                "empty-file",
                "file is empty",
                file,
                1,
                "add front matter with at least `title:` and `date:`",
            )
        ]
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return None, [
            error(
                "no-front-matter",
                "file does not start with front matter (`---`)",
                file,
                1,
                "start the file with ---, then title: and date:, then ---",
            )
        ]
    offset = 0
    for number, line in enumerate(rest.split("\n"), start=2):
        if line.rstrip() in ("---", "..."):
            front = rest[:offset]
            body = rest[offset + len(line) + 1 :]
            return Split(front, body, number + 1), []
        offset += len(line) + 1
    return None, [
        error(
            "unclosed-front-matter",
            "front matter opened here is never closed",
            file,
            1,
            "add a line with only --- after the last front matter key",
        )
    ]
