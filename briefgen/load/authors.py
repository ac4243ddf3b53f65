"""Author profiles: authors.yaml (a list) or content/authors/<slug>.md (bio as the body).

Owns: the profile schema (name, slug, role, affiliation, bio, photo, links, variants), the
links' normal form (an ORCID iD becomes its orcid.org URL, an email a mailto: link), the
photo (a file beside the profile, copied to /authors/<slug>/<name>), and the lookup from
every spelling to one profile. Must not: look at briefings (load/desk.py checks usage).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.load.deskfiles import Fields, read_list, read_markdown
from briefgen.load.discover import is_ignored
from briefgen.load.markdown import render_body
from briefgen.load.translations import file_language
from briefgen.model import AuthorProfile
from briefgen.slug import is_slug, slugify

PROFILE_KEYS = ("name", "slug", "role", "affiliation", "bio", "photo", "links", "variants")
PHOTO_TYPES = ("png", "jpg", "jpeg", "webp", "svg")
MAX_PHOTO_BYTES = 5 * 1024 * 1024
LINK_LABELS = {
    "orcid": "ORCID",
    "email": "Email",
    "website": "Website",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "twitter": "X (Twitter)",
    "x": "X (Twitter)",
}
_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_EMAIL = re.compile(r"(?:mailto:)?([^@\s/]+@[^@\s/]+\.[^@\s/]+)")
_UNSAFE_SVG = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)


def load_profiles(
    config: SiteConfig, lang: str = ""
) -> tuple[list[AuthorProfile], dict[str, bytes], list[Diagnostic]]:
    """Every profile (sorted by slug), the photos to copy (output path -> bytes), problems.

    `lang` (a multilingual site): the profiles of that language's edition. A value may be
    a mapping by language (`bio: {en: ..., ru: ...}`), and `content/authors/<slug>.<lang>.md`
    translates the profile `<slug>` (its fields over the original's, its body the bio; with
    no original it is a profile of that language only), as Hugo's translated term pages."""
    codes = tuple(x.code for x in config.languages) if lang else ()
    records, diags = read_list(config.root / "authors.yaml", "authors.yaml")
    found = [(r.localised(lang, codes) if lang else r, "", 0) for r in records]
    translated = []
    folder = config.content_path / "authors"
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            if is_ignored(path.name):
                continue
            rel = f"authors/{path.name}"  # relative to content/, as briefings are named
            suffix = file_language(rel, codes)[0] if lang else ""
            if suffix and suffix not in (lang, codes[0]):
                continue  # another language's translation
            fields, body, body_line, problems = read_markdown(path, rel)
            diags += problems
            if fields is None:
                continue
            if suffix and suffix == lang != codes[0]:
                translated.append((fields, body, body_line))
            else:
                found.append((fields.localised(lang, codes) if lang else fields, body, body_line))
    profiles: dict[str, AuthorProfile] = {}
    photos: dict[str, bytes] = {}
    for fields, body, body_line in found:
        profile, photo = _profile(config, fields, body, body_line)
        diags += fields.diags
        if profile is None:
            continue
        if profile.slug in profiles:
            other = profiles[profile.slug]
            diags.append(
                error(
                    "duplicate-profile",
                    f"/authors/{profile.slug}/ already has a profile ({other.file}:{other.line})",
                    profile.file,
                    profile.line,
                    "keep one profile per person; list other spellings under variants:",
                )
            )
            continue
        profiles[profile.slug] = profile
        if photo is not None:
            photos[profile.photo.lstrip("/")] = photo
    for fields, body, body_line in translated:
        diags += _translate(config, profiles, photos, (fields, body, body_line), lang)
    return [profiles[s] for s in sorted(profiles)], photos, diags


def _translate(
    config: SiteConfig,
    profiles: dict[str, AuthorProfile],
    photos: dict[str, bytes],
    found: tuple[Fields, str, int],
    lang: str,
) -> list[Diagnostic]:
    """Put a translated profile file's profile into `profiles` (over its original's)."""
    fields, body, body_line = found
    stem = Path(fields.file).stem.removesuffix(f".{lang}")
    original = profiles.get(fields.text("slug") or stem)
    if original is not None:
        fields.data.setdefault("name", original.name)
    profile, photo = _profile(config, fields, body, body_line, stem)
    if profile is None:
        return fields.diags
    if photo is not None:
        photos[profile.photo.lstrip("/")] = photo
    if original is not None:
        given = {str(k) for k in fields.data}
        names = (original.name, *original.variants, *profile.variants)
        profile = replace(
            profile,
            role=profile.role if "role" in given else original.role,
            affiliation=profile.affiliation if "affiliation" in given else original.affiliation,
            bio_html=profile.bio_html or original.bio_html,
            photo=profile.photo or original.photo,
            links=profile.links if "links" in given else original.links,
            variants=tuple(
                dict.fromkeys(n for n in names if n.casefold() != profile.name.casefold())
            ),
        )
    profiles[profile.slug] = profile
    return fields.diags


def spellings(profiles: list[AuthorProfile]) -> tuple[dict[str, str], list[Diagnostic]]:
    """casefolded name or variant -> profile slug; a spelling two profiles claim is an error."""
    out: dict[str, str] = {}
    diags = []
    for p in profiles:
        for name in (p.name, *p.variants):
            key = name.casefold()
            if out.get(key, p.slug) != p.slug:
                diags.append(
                    error(
                        "duplicate-spelling",
                        f"`{name}` already names the profile `{out[key]}`",
                        p.file,
                        p.line,
                        "a spelling can belong to one profile only",
                    )
                )
                continue
            out[key] = p.slug
    return out, diags


def _profile(
    config: SiteConfig, f: Fields, body: str, body_line: int, stem: str = ""
) -> tuple[AuthorProfile | None, bytes | None]:
    f.check_keys(PROFILE_KEYS)
    name = f.text("name", required=True)
    stem = stem or (Path(f.file).stem if f.file.endswith(".md") else "")
    slug = f.text("slug") or stem or slugify(name)
    if slug and not is_slug(slug):
        f.err("bad-slug", f"slug `{slug}` is not URL-safe", "slug", hint=f"use {slugify(slug)}")
        return None, None
    if not name or not slug:
        return None, None
    bio = body if f.file.endswith(".md") else f.text("bio", one_line=False)
    first = body_line if f.file.endswith(".md") else f.line("bio") + 1
    html, problems = render_body(bio, f.file, first, (), config.base_path) if bio else (None, [])
    f.diags += problems
    photo_path, photo = _photo(config, f, slug)
    profile = AuthorProfile(
        slug=slug,
        name=name,
        file=f.file,
        line=f.line() if f.path else 1,
        role=f.text("role"),
        affiliation=f.text("affiliation"),
        bio_html=html.html if html else "",
        photo=photo_path,
        links=_links(f),
        variants=tuple(v for v in f.strings("variants") if v.casefold() != name.casefold()),
    )
    return profile, photo


def _photo(config: SiteConfig, f: Fields, slug: str) -> tuple[str, bytes | None]:
    """The photo's site path and bytes; it is a file beside the profile (authors.yaml: in
    the site folder), never outside the site."""
    value = f.text("photo")
    if not value:
        return "", None
    in_content = f.file.endswith(".md")
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(f.file), value))
    ext = rel.rsplit(".", 1)[-1].lower()
    path = (config.content_path if in_content else config.root) / rel
    shown = f"{config.content_dir}/{rel}" if in_content else rel
    if "://" in value or rel.startswith("..") or value.startswith("/"):
        f.err("bad-photo", f"photo `{value}` must be a file beside the profile", "photo")
        return "", None
    if ext not in PHOTO_TYPES:
        f.err("bad-photo", f"photo `{value}` must be one of: " + ", ".join(PHOTO_TYPES), "photo")
        return "", None
    if not path.is_file() or path.is_symlink():
        f.diags.append(
            warning(
                "missing-file",
                f"photo `{value}` not found",
                f.file,
                f.line("photo"),
                f"put the file at {shown}",
            )
        )
        return "", None
    data = path.read_bytes()
    if len(data) > MAX_PHOTO_BYTES or (ext == "svg" and _UNSAFE_SVG.search(data)):
        f.err("bad-photo", f"photo `{value}` is over 5 MB or an SVG with scripts", "photo")
        return "", None
    return f"/authors/{slug}/{posixpath.basename(rel)}", data


def _links(f: Fields) -> tuple[tuple[str, str], ...]:
    value = f.data.get("links")
    if value is None:
        return ()
    if not isinstance(value, dict):
        f.err(
            "field-type",
            "`links` must map kinds to addresses",
            "links",
            hint="write links: {orcid: 0000-0002-1825-0097, website: https://...}",
        )
        return ()
    out = []
    for key, raw in value.items():
        kind, text = str(key).lower(), str(raw or "").strip()
        url = _link_url(kind, text)
        if not url:
            f.err(
                "bad-link",
                f"`{key}: {text}` is not a usable link",
                "links",
                key,
                hint="ORCID as 0000-0000-0000-0000, email as name@host, others as https://...",
            )
            continue
        out.append((LINK_LABELS.get(kind, str(key).replace("_", " ").title()), url))
    return tuple(out)


def _link_url(kind: str, text: str) -> str:
    if kind == "orcid":
        match = _ORCID.fullmatch(text)
        return f"https://orcid.org/{match[1]}" if match else ""
    if kind == "email":
        match = _EMAIL.fullmatch(text)
        return f"mailto:{match[1]}" if match else ""
    return text if text.lower().startswith(("https://", "http://")) and " " not in text else ""
