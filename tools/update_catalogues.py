"""Add the default theme's new msgids to its shipped catalogues (templates/locales/*).

Run after wrapping a new word of a template in `_()` / `ngettext()`:

    python tools/update_catalogues.py [--ru translations.json]

Every msgid the theme's templates use and a catalogue lacks is added with an empty
msgstr (English is the source language, so the `en` catalogue stays empty; another
language then shows the word in English and `briefgen check` lists it until it is
translated). `--ru FILE` fills Russian entries from a JSON object msgid -> msgstr (a list
of three forms for a plural). Existing entries and their comments are left as they are.
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from briefgen.localise.catalog import extract_messages, po_path

THEME = Path(__file__).resolve().parents[1] / "templates"


def theme_messages() -> dict[str, tuple[object, str, int]]:
    """msgid -> (message as extracted: text or (singular, plural), file, line)."""
    out: dict[str, tuple[object, str, int]] = {}
    for msgid, message, filename, lineno in extract_messages(THEME):
        out.setdefault(msgid, (message, f"templates/{filename}", lineno))
    return out


def update(lang: str, fill: dict[str, object]) -> int:
    path = po_path(THEME / "locales", lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    added = 0
    for msgid, (message, file, line) in sorted(theme_messages().items()):
        plural = isinstance(message, tuple)
        key = tuple(message[:2]) if plural else msgid  # type: ignore[index]
        entry = catalog.get(msgid)
        if entry is None:
            empty = ("",) * catalog.num_plurals if plural else ""
            catalog.add(key, empty, locations=[(file, line)], flags=_flags(message))
            entry, added = catalog.get(msgid), added + 1
        wanted = fill.get(msgid)
        if wanted and not (all(entry.string) if plural else entry.string):
            entry.string = tuple(wanted) if plural else wanted  # type: ignore[arg-type]
    out = io.BytesIO()
    write_po(out, catalog, width=100)
    path.write_bytes(out.getvalue().rstrip(b"\n") + b"\n")
    return added


def _flags(message: object) -> list[str]:
    text = " ".join(message) if isinstance(message, tuple) else str(message)
    return ["python-format"] if "%(" in text else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ru", type=Path, help="JSON: msgid -> Russian msgstr")
    args = parser.parse_args()
    fill = json.loads(args.ru.read_text(encoding="utf-8")) if args.ru else {}
    for lang in sorted(p.name for p in (THEME / "locales").iterdir() if p.is_dir()):
        added = update(lang, fill if lang == "ru" else {})
        print(f"{lang}: {added} new entries")


if __name__ == "__main__":
    main()
