"""Undefined values in templates: printed, they leave a marker that becomes a warning.

Owns: the Undefined class of the Jinja environment and reading its markers back out of a
rendered page. `{{ b.titel }}` prints nothing, as before, but the page's bytes carry a marker
(NUL-delimited, so no text of a briefing can forge one) naming the template, its line, the
missing name and the closest existing one; `markers` strips them and turns them into
`undefined` warnings ("did you mean `title`?"). Testing an undefined value (`{% if b.x %}`,
`b.x or "..."`, `b.x is defined`) is how templates ask whether something is there: no warning.
Must not: keep anything between renders. The markers live in the page being rendered and
nowhere else, so parallel and repeated renders stay independent and deterministic.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from types import FrameType
from typing import Any

import jinja2

from briefgen.diagnostics import closest

_MARK = re.compile("\x00u([^\x00]*)\x00")


@dataclasses.dataclass(frozen=True, slots=True)
class Missing:
    """One undefined value that a template printed."""

    template: str  # the template file's path ("" if unknown)
    line: int
    name: str  # `titel`
    owner: str  # the type it is missing from (`Briefing`), "" for a template variable
    guess: str  # the closest existing name, or ""


class WarnUndefined(jinja2.ChainableUndefined):
    """ChainableUndefined (`b.extra.x.y` is still empty) that marks where it was printed."""

    __slots__ = ()

    def __str__(self) -> str:
        template, line = _template_line(inspect.currentframe())
        owner, name, guess = _describe(self)
        fields = (template, str(line), name, owner, guess)
        return "\x00u" + "\x01".join(_clean(f) for f in fields) + "\x00"

    def __html__(self) -> str:  # autoescaping asks for this first
        return str(self)


def markers(data: str) -> tuple[str, list[Missing]]:
    """The page without markers, and what each marker said (in page order)."""
    if "\x00u" not in data:
        return data, []
    found = []
    for match in _MARK.finditer(data):
        parts = match.group(1).split("\x01")
        if len(parts) == 5:
            template, line, name, owner, guess = parts
            found.append(Missing(template, int(line or 0), name, owner, guess))
    return _MARK.sub("", data), found


def _describe(value: jinja2.Undefined) -> tuple[str, str, str]:
    """("Briefing", "titel", "title") for an attribute, ("", "titel", "") for a variable."""
    name = str(value._undefined_name or "")
    owner = value._undefined_obj
    if owner is jinja2.utils.missing:
        return "", name, ""
    return _owner_name(owner), name, closest(name, _names(owner)) or ""


def _names(owner: Any) -> list[str]:
    if isinstance(owner, dict):
        return [str(k) for k in owner]
    if dataclasses.is_dataclass(owner):
        fields = [f.name for f in dataclasses.fields(owner)]
        props = [k for k, v in vars(type(owner)).items() if isinstance(v, property)]
        return fields + props
    return [n for n in dir(owner) if not n.startswith("_")]


def _owner_name(owner: Any) -> str:
    return "dict" if isinstance(owner, dict) else type(owner).__name__


def _template_line(frame: FrameType | None) -> tuple[str, int]:
    """The template file and line of the innermost template code on the stack (Jinja's
    compiled module keeps `debug_info`: template line = code line pairs)."""
    while frame is not None:
        info = frame.f_globals.get("debug_info")
        if isinstance(info, str) and "environment" in frame.f_globals:
            return str(frame.f_globals.get("__file__") or ""), _line(info, frame.f_lineno)
        frame = frame.f_back
    return "", 0


def _line(info: str, code_line: int) -> int:
    best = 0
    for pair in info.split("&") if info else []:
        template_line, _, code = pair.partition("=")
        if code.isdigit() and int(code) <= code_line:
            best = int(template_line)
    return best


def _clean(text: str) -> str:
    """Nothing that would end or split a marker, nor anything autoescaping would change."""
    return re.sub("[\x00\x01<>&\"']", "", text)
