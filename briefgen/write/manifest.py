"""The manifest: the record of what briefgen wrote into an output folder.

Owns: its name, reading and (atomically) writing it, and the sha256 digests it holds
(given the last in-place write's memo, pages reused from the last build hash once). A
preview build (drafts, the dev server's serve mode) says so in `"preview"`, so that
`publish --no-build` can refuse it.
Must not: write site files.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.model import OutputFile
from briefgen.safefs import create_temp, read_json

MANIFEST = ".briefgen-manifest.json"


def read_manifest(output: Path) -> dict[str, str]:
    """What the manifest in `output` lists; {} for a missing or damaged one (a link, a FIFO,
    not JSON, nested too deeply to parse)."""
    data = read_json(output / MANIFEST)
    files = data.get("files", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def manifest_damaged(output: Path) -> bool:
    """A manifest is there as a regular file but cannot be read as one (cut short, not
    JSON, nested too deeply): the folder is briefgen's, but which files it wrote is lost."""
    path = output / MANIFEST
    try:
        regular = stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
    data = read_json(path)
    return regular and not (isinstance(data, dict) and data.get("generator") == "briefgen")


def read_preview(output: Path) -> tuple[str, ...] | None:
    """What made the build in `output` a preview (empty: none); None if unreadable."""
    data = read_json(output / MANIFEST)  # never through a link, never a RecursionError
    if not isinstance(data, dict):
        return None
    flags = data.get("preview", [])
    if not isinstance(flags, list):
        return None
    return tuple(str(f) for f in flags)


@dataclass(frozen=True, slots=True)
class WriteMemo:
    """What an in-place write left (part of the build state, for the dev server): each
    file's bytes and sha256 by path, and each manifest line with the digest it was made for."""

    files: Mapping[str, tuple[bytes | str, str]] = field(default_factory=dict)
    lines: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def digests(
    files: list[OutputFile], last: Mapping[str, tuple[bytes | str, str]] | None = None
) -> dict[str, str]:
    """path -> sha256 for every file; a file whose bytes are the very object `last` holds
    for its path (a page reused from the last build) is not hashed again."""
    last = last or {}
    out = {}
    for f in files:
        hit = last.get(f.path)
        if f.source:
            out[f.path] = f.digest
        else:
            out[f.path] = hit[1] if hit is not None and hit[0] is f.data else sha256(f.data)
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_manifest(
    folder: Path,
    files: dict[str, str],
    *,
    staging: bool = False,
    lines: Mapping[str, tuple[str, str]] | None = None,
    preview: tuple[str, ...] = (),
) -> dict[str, tuple[str, str]]:
    """Write the manifest; its lines, for the next call to reuse."""
    # Atomic: a build killed at any moment leaves a readable manifest, so the folder stays
    # recognisably briefgen's and the next build can clean it up.
    text, fresh = manifest_lines(files, staging=staging, lines=lines, preview=preview)
    temp = folder / f"{MANIFEST}.tmp-{os.getpid()}"
    create_temp(temp, text.encode("utf-8"))  # a link planted there is removed, not followed
    os.replace(temp, folder / MANIFEST)
    return fresh


def manifest_text(files: dict[str, str], *, staging: bool = False) -> str:
    """What `json.dumps` with `indent=0` writes for the manifest, one file per line."""
    return manifest_lines(files, staging=staging)[0]


def manifest_lines(
    files: dict[str, str],
    *,
    staging: bool = False,
    lines: Mapping[str, tuple[str, str]] | None = None,
    preview: tuple[str, ...] = (),
) -> tuple[str, dict[str, tuple[str, str]]]:
    """`manifest_text`, reusing the `lines` of unchanged files (the dev server rewrites the
    manifest on every edit); and the lines, for next time."""
    lines = lines or {}
    fresh: dict[str, tuple[str, str]] = {}
    for path in sorted(files):
        digest = files[path]
        hit = lines.get(path)
        line = hit[1] if hit is not None and hit[0] == digest else f'{json.dumps(path)}: "{digest}"'
        fresh[path] = (digest, line)
    listed = "{\n" + ",\n".join(line for _, line in fresh.values()) + "\n}" if fresh else "{}"
    flag = ',\n"staging": true' if staging else ""
    if preview:
        flag += ',\n"preview": ' + json.dumps(sorted(preview))
    return f'{{\n"generator": "briefgen",\n"files": {listed}{flag}\n}}\n', fresh
