"""The persistent build cache in `<site>/.briefgen-cache/`.

Owns: storing and fetching values by key, each entry checked on read. Keys are hashes of
everything a value depends on (content bytes, briefgen version, registry, config), so a
stale entry is simply never asked for; a corrupt or truncated entry fails its checksum and
is ignored (and rebuilt). Deleting the folder is always safe.
Must not: decide what to cache (the pipeline stages do).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from briefgen import __version__

log = logging.getLogger("briefgen")
CACHE_DIR = ".briefgen-cache"
_MAGIC = b"BGC1"


def _code_version() -> str:
    """briefgen's version plus a hash of its own source, so an edited checkout never reuses
    results computed by older code."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def key_of(*parts: str | bytes) -> str:
    digest = hashlib.blake2b(CODE_VERSION.encode(), digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Cache:
    """A folder of checksummed pickles; `Cache(None)` is a cache that never hits."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            blob = self._path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = _decode(blob, key)
        if value is None:
            self.misses += 1
            log.debug("cache: ignoring corrupt entry %s/%s", kind, key)
        else:
            self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            check = hashlib.blake2b(key.encode() + payload, digest_size=16).digest()
            temp = path.with_name(f".{path.name}.{os.getpid()}")
            temp.write_bytes(_MAGIC + check + payload)
            os.replace(temp, path)
        except (OSError, pickle.PicklingError) as exc:  # a full disk must not fail the build
            log.debug("cache: cannot store %s/%s: %s", kind, key, exc)


def _decode(blob: bytes, key: str) -> Any | None:
    if len(blob) < 20 or not blob.startswith(_MAGIC):
        return None
    check, payload = blob[4:20], blob[20:]
    if hashlib.blake2b(key.encode() + payload, digest_size=16).digest() != check:
        return None
    try:
        return pickle.loads(payload)
    except Exception:
        return None
