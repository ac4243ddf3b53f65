"""Which language each briefing is in, and which briefings translate which.

Owns: reading a briefing's language (a `x.ru.md` file-name suffix, Hugo's convention, or a
`lang:` key), pairing translations with their original (`x.ru.md` beside `x.md`, or
`translation_of:` naming the original's path), the translation's slug, and the errors of
mismatched pairs, each naming the files. Runs only for a multilingual site.
Must not: enrich or render.

Decisions:
- `x.ru.md` with no `x.md` beside it is a Russian-only briefing (as in Hugo); a
  `translation_of:` that names no briefing is an error.
- A translation without its own `slug:` keeps the original's slug, so `/briefings/x/` and
  `/ru/briefings/x/` are one briefing in two languages; otherwise a Cyrillic title or file
  name is transliterated (briefgen.slug).
- Two translations of one original into the same language, a translation in the
  original's own language, and a translation of a translation are errors.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import Briefing
from briefgen.slug import slugify


def file_language(source: str, codes: tuple[str, ...]) -> tuple[str, str]:
    """(language suffix or "", the source path without it): "a/x.ru.md" -> ("ru", "a/x.md")."""
    stem = source.removesuffix(".md")
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix.lower() in codes and base and not base.endswith("/"):
        return suffix.lower(), base + ".md"
    return "", source


def assign_languages(
    briefings: list[Briefing], codes: tuple[str, ...]
) -> tuple[list[Briefing], list[Diagnostic]]:
    """Briefings with `lang` and `translation_of` set (translations take their original's
    slug), and a problem for every file whose language or pairing is wrong."""
    default = codes[0]
    diags: list[Diagnostic] = []
    by_source = {b.source: b for b in briefings}
    langs: dict[str, str] = {}
    targets: dict[str, str] = {}  # translation source -> original source
    for b in briefings:
        suffix, plain = file_language(b.source, codes)
        declared = b.extra.get("lang")
        lang = suffix or default
        if declared is not None:
            code = str(declared).strip().lower()
            if code not in codes:
                diags.append(
                    error(
                        "unknown-language",
                        f"language `{declared}` is not one of the site's ({', '.join(codes)})",
                        b.source,
                        1,
                        "add it to `languages:` in briefgen.yaml, or fix `lang:`",
                    )
                )
                continue
            if suffix and code != suffix:
                diags.append(
                    error(
                        "language-mismatch",
                        f"`lang: {code}` contradicts the file name's `.{suffix}.md`",
                        b.source,
                        1,
                        "remove `lang:` or rename the file",
                    )
                )
                continue
            lang = code
        langs[b.source] = lang
        named = b.extra.get("translation_of")
        if named is not None:
            target = _resolve(str(named).strip(), b.source, by_source)
            if target is None:
                diags.append(
                    error(
                        "translation-of-nothing",
                        f"`translation_of: {named}` names no briefing",
                        b.source,
                        1,
                        "give the original's path relative to content/, e.g. 2025/x.md",
                    )
                )
                continue
            targets[b.source] = target
        elif suffix and plain in by_source and plain != b.source:
            targets[b.source] = plain
    return _pair(briefings, langs, targets, diags)


def _resolve(named: str, source: str, by_source: dict[str, Briefing]) -> str | None:
    """The original's source path: relative to the translation's folder, or to content/."""
    named = named.removeprefix("content/").lstrip("/")
    here = posixpath.normpath(posixpath.join(posixpath.dirname(source), named))
    for candidate in (here, posixpath.normpath(named)):
        if candidate in by_source:
            return candidate
    return None


def _pair(
    briefings: list[Briefing],
    langs: dict[str, str],
    targets: dict[str, str],
    diags: list[Diagnostic],
) -> tuple[list[Briefing], list[Diagnostic]]:
    codes_seen: dict[tuple[str, str], str] = {}  # (original, language) -> translation
    originals = {b.source: b for b in briefings}
    out: list[Briefing] = []
    for b in sorted(briefings, key=lambda b: b.source):
        if b.source not in langs:
            continue
        lang = langs[b.source]
        target = targets.get(b.source)
        if target is None:
            out.append(replace(b, lang=lang, slug=_own_slug(b, langs)))
            continue
        problem = _pair_problem(b, lang, target, langs, targets, codes_seen)
        if problem:
            diags.append(problem)
            continue
        codes_seen[(target, lang)] = b.source
        original = originals[target]
        slug = original.slug if _derived_slug(b) else b.slug
        out.append(replace(b, lang=lang, slug=slug, translation_of=target))
    return out, diags


def _pair_problem(
    b: Briefing,
    lang: str,
    target: str,
    langs: dict[str, str],
    targets: dict[str, str],
    seen: dict[tuple[str, str], str],
) -> Diagnostic | None:
    if target in targets:
        return error(
            "translation-of-translation",
            f"`{target}` is itself a translation (of {targets[target]})",
            b.source,
            1,
            f"point `translation_of:` at {targets[target]}",
        )
    if langs.get(target) == lang:
        return error(
            "translation-same-language",
            f"a translation of {target} in its own language `{lang}`",
            b.source,
            1,
            "set `lang:` to the translation's language",
        )
    if (target, lang) in seen:
        return error(
            "duplicate-translation",
            f"{target} already has a `{lang}` translation: {seen[(target, lang)]}",
            b.source,
            1,
            "keep one translation per language; remove or re-point the other",
        )
    return None


def _derived_slug(b: Briefing) -> bool:
    """The slug came from the file name (front matter set none, or set the same)."""
    return b.slug == slugify(b.source.rsplit("/", 1)[-1].removesuffix(".md"))


def _own_slug(b: Briefing, langs: dict[str, str]) -> str:
    """An untranslated briefing's slug: `y.ru.md` is `y`, not `y-ru`."""
    if not _derived_slug(b):
        return b.slug
    stem = b.source.rsplit("/", 1)[-1].removesuffix(".md")
    lang = langs[b.source]
    return slugify(stem.removesuffix("." + lang)) if stem.endswith("." + lang) else b.slug
