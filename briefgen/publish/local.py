"""What gets published: the files of a finished build, read back from the output folder.

Owns: reading the output folder through its `.briefgen-manifest.json` (only files briefgen
wrote are published; the manifest itself is not), checking each file still has the bytes
the build wrote, and finding what makes it a preview: the manifest's `preview` flags (drafts,
the dev server's serve mode) and drafts in `api/briefings.json`. Each file is hashed once, in
every form a target compares (sha256, MD5 for S3 ETags, git blob ids).
Must not: write anything, or read a file through a symlink.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.write import MANIFEST, read_manifest, read_preview, safe_path

API = "api/briefings.json"


class PublishError(Exception):
    """A publish that cannot go on; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # relative, POSIX separators
    size: int
    sha256: str
    md5: str
    git_blob: str  # `git hash-object` of the bytes
    source: Path | None = None  # on disk, or...
    data: bytes | None = None  # ...in memory (files a target adds, such as CNAME)

    def read(self) -> bytes:
        """The bytes, refusing a file that changed since it was hashed."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        data = _read_no_follow(self.source)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PublishError(f"{self.source} changed while publishing; publish again")
        return data


def memory_file(path: str, data: bytes) -> LocalFile:
    return _hashed(path, data, None, data)


@dataclass(frozen=True, slots=True)
class Built:
    files: dict[str, LocalFile]
    briefings: int
    drafts: tuple[str, ...]  # slugs of draft briefings in the API
    preview: tuple[str, ...] = ()  # the manifest's preview flags ("drafts", "serve")


def read_built(output: Path) -> tuple[Built | None, list[str]]:
    """The build in `output`, or every reason it cannot be published."""
    if not (output / MANIFEST).is_file():
        return None, [
            f"`{output}` has no {MANIFEST}: it is not a briefgen build "
            "(run `briefgen build`, or publish without --no-build)"
        ]
    preview = read_preview(output)
    if preview is None:
        return None, [f"`{output / MANIFEST}` is damaged; rebuild the site"]
    root = os.path.realpath(output)
    files: dict[str, LocalFile] = {}
    problems: list[str] = []
    for rel, digest in sorted(read_manifest(output).items()):
        try:
            path = safe_path(output, rel)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if os.path.realpath(path) != os.path.join(root, *rel.split("/")) or not path.is_file():
            problems.append(f"`{path}` is missing or a symlink; rebuild the site")
            continue
        data = _read_no_follow(path)
        local = _hashed(rel, data, path, None)
        if local.sha256 != digest:
            problems.append(f"`{path}` changed since the build; rebuild the site")
            continue
        files[rel] = local
    briefings, drafts = _api(files, problems)
    if problems:
        return None, problems
    return Built(files, briefings, drafts, preview), []


def _api(files: dict[str, LocalFile], problems: list[str]) -> tuple[int, tuple[str, ...]]:
    if API not in files:
        problems.append(f"the build has no {API}; rebuild the site")
        return 0, ()
    try:
        rows = json.loads(files[API].read())["briefings"]
        drafts = tuple(str(r.get("slug")) for r in rows if r.get("draft"))
        return len(rows), drafts
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problems.append(f"cannot read {API}: {exc}; rebuild the site")
        return 0, ()


def _hashed(path: str, data: bytes, source: Path | None, memory: bytes | None) -> LocalFile:
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False)
    return LocalFile(
        path,
        len(data),
        hashlib.sha256(data).hexdigest(),
        hashlib.md5(data, usedforsecurity=False).hexdigest(),
        blob.hexdigest(),
        source,
        memory,
    )


def _read_no_follow(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
