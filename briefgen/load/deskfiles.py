"""Reading the publishing desk's own files: YAML lists (authors.yaml, series.yaml) and
Markdown files with front matter (content/authors/*.md, content/pages/*.md).

Owns: turning such a file into (mapping, body, line lookup) or diagnostics, and a field
reader that names each key's line. Must not: know what the fields mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.load.frontmatter import decode, split_front_matter
from briefgen.yamltext import Parsed, line_of, parse_yaml, preview


@dataclass(slots=True)
class Fields:
    """One record's fields (a list item or a front matter), reporting at their lines."""

    file: str
    data: dict[str, Any]
    parsed: Parsed
    path: tuple[Any, ...] = ()  # where the record sits in `parsed` (a list index)
    diags: list[Diagnostic] = field(default_factory=list)

    def line(self, *keys: Any) -> int:
        return line_of(self.parsed, *self.path, *keys)

    def err(self, code: str, message: str, *keys: Any, hint: str = "") -> None:
        self.diags.append(error(code, message, self.file, self.line(*keys), hint))

    def warn(self, code: str, message: str, *keys: Any, hint: str = "") -> None:
        self.diags.append(warning(code, message, self.file, self.line(*keys), hint))

    def text(self, key: str, *, required: bool = False, one_line: bool = True) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.err(f"missing-{key}", f"`{key}` is missing", hint=f'add {key}: "..."')
            return ""
        if isinstance(value, bool | dict | list | set | bytes):
            self.err("field-type", f"`{key}` must be text", key, hint=f'write {key}: "..."')
            return ""
        return " ".join(str(value).split()) if one_line else str(value).strip()

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.err("field-type", f"`{key}` must be a list of text items", key)
            return ()
        return tuple(" ".join(str(v).split()) for v in value if v is not None and str(v).strip())

    def localised(self, lang: str, codes: tuple[str, ...]) -> Fields:
        """These fields in one language of a multilingual site: a value that is a mapping
        by language code (`bio: {en: ..., ru: ...}`) becomes that language's value, else
        the default language's (the first code), else none."""
        return Fields(
            self.file,
            {k: _in_language(v, lang, codes) for k, v in self.data.items()},
            self.parsed,
            self.path,
        )

    def check_keys(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if str(key) not in known:
                guess = closest(str(key), known)
                self.warn(
                    "unknown-key",
                    f"unknown key `{preview(str(key))}`",
                    key,
                    hint=f"did you mean `{guess}`?" if guess else "known keys: " + ", ".join(known),
                )


def _in_language(value: Any, lang: str, codes: tuple[str, ...]) -> Any:
    if not isinstance(value, dict) or not value or any(str(k) not in codes for k in value):
        return value
    return value.get(lang, value.get(codes[0]))


def read_list(path: Path, rel: str) -> tuple[list[Fields], list[Diagnostic]]:
    """A YAML file holding a list of mappings; [] when the file does not exist."""
    if not path.is_file():
        return [], []
    text, diags = _text(path, rel)
    if text is None:
        return [], diags
    parsed, diags = parse_yaml(text, rel)
    if parsed is None or parsed.value is None:
        return [], diags
    if not isinstance(parsed.value, list):
        return [], [error("file-shape", f"{rel} must be a list of entries (`- name: ...`)", rel, 1)]
    out = []
    for index, item in enumerate(parsed.value):
        if isinstance(item, dict):
            out.append(Fields(rel, item, parsed, (index,)))
        else:
            diags.append(
                error(
                    "file-shape",
                    "each entry must be a mapping of keys",
                    rel,
                    line_of(parsed, index),
                )
            )
    return out, diags


def read_markdown(path: Path, rel: str) -> tuple[Fields | None, str, int, list[Diagnostic]]:
    """(front matter fields, body, the body's first line, problems) of a Markdown file."""
    text, diags = _text(path, rel)
    if text is None:
        return None, "", 0, diags
    split, diags = split_front_matter(text, rel)
    if split is None:
        return None, "", 0, diags
    parsed, diags = parse_yaml(split.front, rel, first_line=2)
    if parsed is None:
        return None, "", 0, diags
    value = parsed.value if parsed.value is not None else {}
    if not isinstance(value, dict):
        return None, "", 0, [error("front-matter-shape", "front matter must be a mapping", rel, 2)]
    return Fields(rel, value, parsed), split.body, split.body_line, []


def _text(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("read-failed", f"cannot read file: {exc.strerror}", rel)]
    text, _, diags = decode(raw, rel)
    return text, diags
