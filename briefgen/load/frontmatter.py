"""Split a briefing's text into front matter and body.

Owns: text normalisation (BOM, CRLF/CR line endings) and the `---` fences.
Must not: interpret the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.diagnostics import Diagnostic, error


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
