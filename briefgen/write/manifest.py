"""The manifest: the record of what briefgen wrote into an output folder.

Owns: its name, reading and (atomically) writing it, and the sha256 digests it holds (with
a memo, so pages reused from the last build hash once). Must not: write site files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from briefgen.model import OutputFile

MANIFEST = ".briefgen-manifest.json"


def read_manifest(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


_DIGESTS: dict[int, tuple[bytes, str]] = {}  # id(bytes) -> (bytes, sha256): a memo


def _digest(data: bytes) -> str:
    """sha256 of `data`; pages reused from the last build (same bytes object) hash once."""
    hit = _DIGESTS.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    return hashlib.sha256(data).hexdigest()


def _digests(files: list[OutputFile]) -> dict[str, str]:
    """path -> sha256 for every file; the memo then holds exactly these files' bytes (it
    must not keep the bytes of earlier builds alive)."""
    fresh = {id(f.data): (f.data, _digest(f.data)) for f in files}
    _DIGESTS.clear()
    _DIGESTS.update(fresh)
    return {f.path: fresh[id(f.data)][1] for f in files}


def _write_manifest(folder: Path, files: dict[str, str], *, staging: bool = False) -> None:
    # Atomic: a build killed at any moment leaves a readable manifest, so the folder stays
    # recognisably briefgen's and the next build can clean it up.
    temp = folder / f"{MANIFEST}.tmp-{os.getpid()}"
    temp.write_text(manifest_text(files, staging=staging), encoding="utf-8")
    os.replace(temp, folder / MANIFEST)


_LINES: dict[str, tuple[str, str]] = {}  # path -> (digest, its manifest line): a memo


def manifest_text(files: dict[str, str], *, staging: bool = False) -> str:
    """What `json.dumps` with `indent=0` writes for the manifest, one file per line; lines
    of unchanged files are reused (the dev server rewrites it on every edit)."""
    fresh: dict[str, tuple[str, str]] = {}
    for path in sorted(files):
        digest = files[path]
        hit = _LINES.get(path)
        line = hit[1] if hit is not None and hit[0] == digest else f'{json.dumps(path)}: "{digest}"'
        fresh[path] = (digest, line)
    _LINES.clear()
    _LINES.update(fresh)
    listed = "{\n" + ",\n".join(line for _, line in fresh.values()) + "\n}" if fresh else "{}"
    flag = ',\n"staging": true' if staging else ""
    return f'{{\n"generator": "briefgen",\n"files": {listed}{flag}\n}}\n'
