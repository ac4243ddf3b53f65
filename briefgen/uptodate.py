"""The whole-build short cut: nothing changed since the last good build, nothing to do.

Owns: a fingerprint of every input (briefgen version, config, registry, content files,
templates and static files, the output folder's path) stored with the last successful
build's counts and warnings in the cache folder. When the fingerprint matches and every
file the last build wrote is still in place, the build is skipped and its warnings are
reported again. Any doubt (missing stamp, unreadable manifest, a missing output file)
means a real build.
Must not: write anything but its own stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache import CACHE_DIR, CODE_VERSION, cache_folder
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, Severity
from briefgen.load.discover import DESK_FILES, is_ignored
from briefgen.options import BuildOptions
from briefgen.safefs import STREAM_BYTES, create_temp, hash_file, read_json
from briefgen.sitefiles import walk
from briefgen.templatedirs import template_dirs
from briefgen.write import has_leftovers, read_manifest

STAMP = "last-build.json"


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: str
    outputs: str
    briefings: int
    topics: int
    diagnostics: tuple[Diagnostic, ...]
    until: str = ""  # ISO date-time when a briefing's window opens or closes ("" never)


def inputs_key(config: SiteConfig, options: BuildOptions) -> str:
    """A digest of everything a build reads, and of what kind of build it is."""
    text = f"{CODE_VERSION}|{config!r}|{options!r}"
    digest = hashlib.blake2b(text.encode(), digest_size=20)
    digest.update(b"\0dir\0" + str(config.content_path).encode())
    for path in _files(config.content_path):
        _add(digest, path)
    for folder in [config.root / "static", config.root / "locales", *template_dirs(config)]:
        # Read as the render stage reads them: links only inside the site. A refused link
        # is part of the key, so a build with it is never skipped (it fails).
        digest.update(b"\0dir\0" + str(folder).encode())
        files, problems = walk(folder, config.root if folder.parent == config.root else folder)
        for f in files:
            _add(digest, f.path)
        digest.update(repr(problems).encode())
    for single in (
        config.root / config.topics_file,
        *map(Path, config.config_files),
        *(config.root / n for n in DESK_FILES),
    ):
        if single.is_file():
            digest.update(os.fsencode(single) + b"\0" + single.read_bytes())
    return digest.hexdigest()


def _add(digest: hashlib.blake2b, path: Path) -> None:
    """A file's path and bytes (a large one by its sha256, read a block at a time)."""
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= STREAM_BYTES else hash_file(path)[0].encode()
    except OSError:
        data = b"\0unreadable"
    digest.update(os.fsencode(path) + b"\0" + data)


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not is_ignored(name) and path.is_file():  # never open a FIFO or a device
                found.append(path)
    return found


def check(config: SiteConfig, key: str, now: dt.datetime | None = None) -> Stamp | None:
    if cache_folder(config.root) is None:
        return None
    stamp = _read(config.root / CACHE_DIR / STAMP)
    if stamp is None or stamp.inputs != key:
        return None
    if stamp.until and dt.datetime.fromisoformat(stamp.until) <= (now or _now()):
        return None  # a scheduled briefing is due (or one expired) since the last build
    if stamp.outputs != outputs_key(config) or has_leftovers(config.output_path):
        return None
    return stamp


def _moment(text: str) -> str:
    """`text` if it is an ISO date-time or "" (ValueError otherwise: the stamp is bad)."""
    if text:
        dt.datetime.fromisoformat(text)
    return text


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def outputs_key(config: SiteConfig) -> str:
    """Size and modification time of every file the last build wrote ("" if any is gone)."""
    manifest = read_manifest(config.output_path)
    digest = hashlib.blake2b(digest_size=20)
    for rel in sorted(manifest):
        try:
            info = (config.output_path / rel).stat()
        except OSError:
            return ""
        digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest() if manifest else ""


def record(
    config: SiteConfig,
    inputs: str,
    counts: tuple[int, int],
    diags: tuple[Diagnostic, ...],
    until: dt.datetime | None = None,
) -> None:
    """After a build that wrote the site: the stamp the next `check` compares with, good
    until `until` (a scheduled briefing is due, or one expires, then)."""
    stamp = Stamp(inputs, outputs_key(config), *counts, diags, until.isoformat() if until else "")
    save(config, stamp)


def save(config: SiteConfig, stamp: Stamp) -> None:
    folder = config.root / CACHE_DIR
    data = {
        "inputs": stamp.inputs,
        "outputs": stamp.outputs,
        "briefings": stamp.briefings,
        "topics": stamp.topics,
        "diagnostics": [
            [d.severity.value, d.code, d.message, d.file, d.line, d.hint, d.source_line]
            for d in stamp.diagnostics
        ],
        "until": stamp.until,
    }
    try:
        if cache_folder(config.root) is None:
            return  # a cache folder that is a link is never written through
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{STAMP}.{os.getpid()}"
        create_temp(temp, json.dumps(data).encode("utf-8"))  # a planted link is removed
        os.replace(temp, folder / STAMP)
    except OSError:
        pass  # a missing stamp only means the next build does the work


def _read(path: Path) -> Stamp | None:
    data = read_json(path)  # None for a link, a FIFO, a damaged or too deeply nested file
    try:
        if not isinstance(data, dict):
            return None
        diags = tuple(
            Diagnostic(Severity(s), c, m, f, int(ln), h, src)
            for s, c, m, f, ln, h, src in data["diagnostics"]
        )
        return Stamp(
            str(data["inputs"]),
            str(data["outputs"]),
            int(data["briefings"]),
            int(data["topics"]),
            diags,
            _moment(str(data.get("until", ""))),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
