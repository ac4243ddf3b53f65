"""Page bundles: the files beside a briefing, and links written as source paths.

Owns: finding the non-Markdown files under content/, resolving every relative URL of a
briefing body (`chart.png`, `data/x.csv`, `../2022/borrell-samarkand.md#anchor`), its
`image:` and `attachments:` to files or briefings; which files are copied where
(/briefings/<slug>/<name>); the `missing-file`, `broken-link`, `unreferenced-file` and
`unsafe-svg` diagnostics. Must not: read image pixels or change HTML beyond recording which
attribute values to rewrite (the render stage applies them).

Decisions: a file is copied only when a published briefing uses it, so a draft's files
never leak; a file that no briefing (drafts included) uses is a warning and is not copied.
Files in the briefing's own folder keep their relative path under the page; a file from
elsewhere in content/ (`../shared/map.svg`) is copied under its base name. Every resolved
URL is written root-relative under the base path, so it works in any page that shows it.
An SVG holding scripts, event handlers or javascript: URLs is refused: opened directly, it
would run on the site's origin.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, closest, warning
from briefgen.load.bodylinks import html_value
from briefgen.load.discover import DESK_FOLDERS, is_ignored
from briefgen.model import Asset, Attachment, Briefing, Bundle, Site
from briefgen.sitefiles import walk

ATTACHMENT_TYPES = {
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "Excel",
    "xls": "Excel",
    "docx": "Word",
    "doc": "Word",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "pptx": "PowerPoint",
    "zip": "ZIP",
    "json": "JSON",
    "txt": "Text",
}
MAX_ASSET_BYTES = 100 * 1024 * 1024
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_UNSAFE_SVG = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Bundles:
    """Every published briefing's bundle, and the bytes of the files they use."""

    by_source: Mapping[str, Bundle]  # content-relative source path -> its bundle
    data: Mapping[str, bytes]  # content-relative source -> bytes, for every copied file

    def for_site(self, site: Site) -> dict[str, Bundle]:
        """The bundles of `site`'s briefings, by slug (what Site.bundles holds)."""
        return {e.briefing.slug: self.by_source[e.briefing.source] for e in site.briefings}


def find_files(content: Path, site: Path) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Every regular, non-Markdown, non-hidden file under content/, and why any other
    cannot be read: links are followed only inside the site (briefgen.sitefiles). Markdown
    files and linked folders are discover's to report."""
    found, problems = walk(content, site)
    files = {f.rel: f.path for f in found if not f.rel.endswith(".md") and _bundled(f.rel)}
    diags = [
        d
        for d in problems
        if not d.file.endswith(".md")
        and _bundled(d.file)
        and not (d.code.startswith("symlink") and (content / d.file).is_dir())
    ]
    return files, diags


def _bundled(rel: str) -> bool:
    """Not hidden or a temp file, and not in a desk folder at the top of content/."""
    parts = rel.split("/")
    return not any(is_ignored(p) for p in parts) and not (
        len(parts) > 1 and parts[0] in DESK_FOLDERS
    )


def load_bundles(
    config: SiteConfig, briefings: Iterable[Briefing], everything: Iterable[Briefing]
) -> tuple[Bundles, list[Diagnostic]]:
    """Bundles of the published `briefings`; `everything` (drafts too) decides which files
    are used at all."""
    files, problems = find_files(config.content_path, config.root)
    published = list(briefings)
    urls = {b.source: b.url for b in published}
    drafts = {b.source for b in everything} - set(urls)
    resolver = _Resolver(config, files, urls, drafts)
    by_source = {b.source: resolver.bundle(b) for b in published}
    used = set(resolver.used)
    for b in everything:
        if b.source not in urls:  # a draft left out: its files are used, just not copied
            used.update(_claims(b, files))
    diags = problems + resolver.diags
    for rel in sorted(set(files) - used):
        diags.append(
            warning(
                "unreferenced-file",
                "no briefing links to this file; it is not copied",
                rel,
                0,
                "link it from a briefing (![...](file) or [...](file)), list it under "
                "attachments:, or delete it",
            )
        )
    return Bundles(by_source, resolver.data), diags


class _Resolver:
    def __init__(
        self,
        config: SiteConfig,
        files: dict[str, Path],
        urls: dict[str, str],
        drafts: set[str],
    ) -> None:
        self.config, self.files, self.urls, self.drafts = config, files, urls, drafts
        self.used: set[str] = set()
        self.data: dict[str, bytes] = {}
        self.diags: list[Diagnostic] = []

    def bundle(self, b: Briefing) -> Bundle:
        assets: dict[str, Asset] = {}
        attachments: list[Attachment] = []
        rewrites: dict[str, str] = {}
        links: dict[str, int] = {}
        first_image = None
        reported: set[str] = set()
        for ref in b.doc.refs:
            known = len(self.diags)
            target = self._resolve(b, ref.url, ref.line, ref.kind, assets)
            if target is None:
                links.setdefault(ref.href, ref.line)
                if len(self.diags) > known:
                    reported.add(ref.href)  # the link checker need not say it again
                continue
            new = html_value(target, self.config.base_path)
            rewrites[ref.href] = new
            links.setdefault(new, ref.line)
            asset = assets.get(_join(b.folder, _path_of(ref.url)))
            if asset and ref.kind == "image" and first_image is None:
                first_image = target
            elif asset and ref.kind == "link" and _ext(asset.source) in ATTACHMENT_TYPES:
                attachments.append(_attachment(asset, asset.source.rsplit("/", 1)[-1]))
        for spec in b.attachments:
            target = self._resolve(b, spec.file, spec.line, "attachment", assets)
            asset = assets.get(_join(b.folder, spec.file)) if target else None
            if asset:
                attachments = [a for a in attachments if a.url != "/" + asset.path]
                attachments.append(_attachment(asset, spec.title))
        image = first_image
        if b.image:
            image = (
                self._resolve(b, b.image, b.image_line, "image", assets)
                if _relative(b.image)
                else b.image
            )
        return Bundle(
            assets=tuple(sorted(assets.values(), key=lambda a: a.path)),
            attachments=_unique(attachments),
            image=image,
            links=links,
            rewrites=tuple(sorted(rewrites.items())),
            reported=frozenset(reported),
        )

    def _resolve(
        self, b: Briefing, url: str, line: int, kind: str, assets: dict[str, Asset]
    ) -> str | None:
        """The site path `url` leads to, or None when it is not a relative URL (or broken:
        then a diagnostic is recorded)."""
        if not _relative(url):
            return None
        path, _, fragment = url.partition("#")
        path = unquote(path.split("?", 1)[0])
        rel = _join(b.folder, path)
        anchor = f"#{fragment}" if fragment else ""
        if rel.endswith(".md"):
            if rel in self.urls:
                return self.urls[rel] + anchor
            why = "is a draft" if rel in self.drafts else "does not exist"
            guess = closest(rel, self.urls)
            self.diags.append(
                warning(
                    "broken-link",
                    f"link to `{url}`: the briefing {rel} {why}",
                    b.source,
                    line,
                    f"did you mean `{posixpath.relpath(guess, b.folder or '.')}`?"
                    if guess
                    else "link to a briefing's .md file, relative to this one",
                )
            )
            return None
        if rel not in self.files:
            near = [f for f in self.files if f.rpartition("/")[0] == rel.rpartition("/")[0]]
            guess = closest(rel, near)
            self.diags.append(
                warning(
                    "missing-file",
                    f"{kind} `{url}` not found (looked for content/{rel})",
                    b.source,
                    line,
                    f"did you mean `{posixpath.relpath(guess, b.folder or '.')}`?"
                    if guess
                    else "put the file beside the briefing (a folder with index.md "
                    "holds a briefing and its files)",
                )
            )
            return None
        asset = self._asset(b, rel, line)
        if asset is None:
            return None
        assets[rel] = asset
        return "/" + asset.path + anchor

    def _asset(self, b: Briefing, rel: str, line: int) -> Asset | None:
        self.used.add(rel)
        data = self.data.get(rel)
        if data is None:
            path = self.files[rel]
            try:
                if path.stat().st_size > MAX_ASSET_BYTES:
                    raise OSError(0, f"larger than {MAX_ASSET_BYTES >> 20} MB")
                data = path.read_bytes()
            except OSError as exc:
                self.diags.append(
                    warning("read-failed", f"cannot copy {rel}: {exc.strerror}", b.source, line)
                )
                return None
            if rel.lower().endswith(".svg") and _UNSAFE_SVG.search(data):
                self.diags.append(
                    warning(
                        "unsafe-svg",
                        f"{rel} holds scripts or event handlers; it is not copied",
                        b.source,
                        line,
                        "export the drawing again without scripts (plain SVG shapes and text)",
                    )
                )
                return None
            self.data[rel] = data
        inside = b.folder == "" or rel.startswith(b.folder + "/")
        name = rel[len(b.folder) + 1 :] if inside and b.folder else rel
        if not inside:
            name = rel.rsplit("/", 1)[-1]
        digest = hashlib.sha256(data).hexdigest()
        return Asset(rel, f"briefings/{b.slug}/{name}", len(data), digest)


def _claims(b: Briefing, files: Mapping[str, Path]) -> set[str]:
    """The files `b` refers to (for a draft: not copied, but not unreferenced either)."""
    names = [r.url for r in b.doc.refs] + [a.file for a in b.attachments]
    names += [b.image] if b.image else []
    found = {_join(b.folder, _path_of(n)) for n in names if _relative(n)}
    return {f for f in found if f in files}


def _relative(url: str) -> bool:
    return bool(url) and not (_SCHEME.match(url) or url.startswith(("/", "#", "?")))


def _path_of(url: str) -> str:
    return unquote(url.partition("#")[0].split("?", 1)[0])


def _join(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path)) if folder else posixpath.normpath(path)


def _ext(rel: str) -> str:
    return rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""


def _attachment(asset: Asset, title: str) -> Attachment:
    kind = ATTACHMENT_TYPES.get(_ext(asset.source), _ext(asset.source).upper() or "File")
    return Attachment(title, "/" + asset.path, kind, asset.size)


def _unique(items: list[Attachment]) -> tuple[Attachment, ...]:
    seen: dict[str, Attachment] = {}
    for item in items:
        seen.setdefault(item.url, item)
    return tuple(seen.values())
