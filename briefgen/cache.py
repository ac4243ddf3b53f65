"""The persistent build cache: one SQLite file, `<site>/.briefgen-cache/cache.sqlite`.

Owns: storing pickled values by (kind, key) in batches and fetching them in batches, each
entry checked on read. Keys are hashes of everything a value depends on (content bytes,
briefgen's code, registry, config), so a stale entry is simply never asked for; an entry
that fails its checksum or does not unpickle is ignored (and stored afresh), and a file
that is not a readable database is replaced. Deleting the folder is always safe.
Must not: decide what to cache (the pipeline stages do), or ever fail a build.

Trust: every entry is signed with this machine's key (a keyed BLAKE2b MAC; the key is 32
random bytes in the user's cache folder, never in the site: `$BRIEFGEN_KEY_DIR`, else
`$XDG_CACHE_HOME/briefgen`, else `~/.cache/briefgen`). An entry not signed with it (a cache
committed to a repository, copied from another machine) is ignored and never unpickled.
Without a key (no writable cache folder) nothing is cached. A cache folder, database or
journal that is a symbolic link is never followed: the folder is refused, a file is
replaced.

Kinds: "parse" and "analysis" (load/loader.py: two per briefing), "page" (one per output
page, render/pagecache.py), "related" (the related index, one per edition:
enrich/enricher.py), "template" (compiled templates: render/bytecode.py), images and PDFs
(render/images.py, render/pdf.py).

Why one database and not a file per entry: a cold build stores two entries per briefing
(three with its page), and at 10,000 briefings creating 20,000 small files cost more than
a tenth of the build; one transaction into one file costs a small part of that. A
connection is opened and closed within each batch, so none is open when worker processes
are forked.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.diagnostics import Diagnostic, warning
from briefgen.safefs import read_small

try:
    import sqlite3
except ImportError:  # a Python built without SQLite: builds still run, uncached
    sqlite3 = None  # type: ignore[assignment]

log = logging.getLogger("briefgen")
CACHE_DIR = ".briefgen-cache"
DATABASE = "cache.sqlite"
TIMEOUT = 2.0  # seconds to wait for another briefgen (a dev server) writing the cache
_LEGACY = ("parse", "analysis")  # one file per entry: what briefgen used before SQLite
_BATCH = 500  # keys per SELECT, well under SQLite's limit on bound parameters
_STORE_BATCH = 500  # entries per transaction when storing results as they arrive
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
    "checksum BLOB NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID"
)


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


def encode(value: Any) -> bytes:
    """A value as the cache stores it. Workers encode their results themselves, so the
    main process only decodes them (it must anyway) and stores the very same bytes."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode(payload: bytes) -> Any:
    return pickle.loads(payload)


KEY_FILE = "cache-key"
KEY_ENV = "BRIEFGEN_KEY_DIR"
_KEY_BYTES = 32


def key_dir() -> Path:
    """Where this machine's cache key lives: outside every site."""
    chosen = os.environ.get(KEY_ENV)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "briefgen"


def machine_key() -> bytes | None:
    """This machine's cache key, made on first use (None: no usable key, so no cache)."""
    try:
        folder = key_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError) as exc:
        log.debug("cache: no key folder: %s", exc)
        return None
    path = folder / KEY_FILE
    key = read_small(path, _KEY_BYTES)
    if key is None and not os.path.lexists(path):
        # Made whole under a temporary name, then linked into place: a second briefgen
        # starting at the same moment reads either no key or the whole one.
        temp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(secrets.token_bytes(_KEY_BYTES))
            os.link(temp, path)
        except OSError as exc:
            log.debug("cache: cannot make a key: %s", exc)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        key = read_small(path, _KEY_BYTES)
    return key if key is not None and len(key) == _KEY_BYTES else None


def cache_folder(root: Path) -> Path | None:
    """`root/.briefgen-cache`, or None when a link (or anything but a folder) stands there:
    it is never followed, so a link cannot make briefgen write or delete elsewhere."""
    folder = root / CACHE_DIR
    try:
        return folder if stat.S_ISDIR(os.lstat(folder).st_mode) else None
    except FileNotFoundError:
        return folder
    except OSError:
        return None


def open_cache(root: Path, use: bool = True) -> tuple[Cache, list[Diagnostic]]:
    """The site's cache, and a warning when its folder is a link (the build runs uncached)."""
    if not use:
        return Cache(None), []
    folder = cache_folder(root)
    if folder is not None:
        return Cache(folder), []
    return Cache(None), [
        warning(
            "unsafe-cache",
            f"`{CACHE_DIR}` is a symbolic link or not a folder; it is not used (built uncached)",
            CACHE_DIR,
            0,
            f"delete `{CACHE_DIR}`; briefgen makes a new cache folder",
        )
    ]


class Cache:
    """A SQLite file of signed pickles; `Cache(None)` is a cache that never hits."""

    def __init__(self, folder: Path | None, key: bytes | None = None) -> None:
        self.folder = folder
        self.hits = self.misses = 0
        self._key = key  # this machine's key, read when first needed

    def _secret(self) -> bytes | None:
        if self._key is None:
            self._key = machine_key()
        return self._key

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """The valid entries among `keys`, by key; anything missing or damaged is left out."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        db = self._open(create=False) if wanted else None
        if db is not None:
            try:
                secret = self._secret() or b""
                for start in range(0, len(wanted), _BATCH):
                    found.update(_select(db, secret, kind, wanted[start : start + _BATCH]))
            except sqlite3.DatabaseError as exc:
                log.debug("cache: cannot read %s: %s", self.folder, exc)
                found = {}
                if not isinstance(exc, sqlite3.OperationalError):
                    self._discard()  # a damaged file: start a new one at the next store
            finally:
                db.close()
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def put_many(self, kind: str, entries: Iterable[tuple[str, bytes]]) -> None:
        """Store encoded values in one transaction. A locked, read-only or full disk only
        means they are not stored."""
        entries = list(entries)
        db = self._open(create=True) if entries else None
        if db is None:
            return
        secret = self._secret() or b""
        rows = [(kind, key, _checksum(secret, key, payload), payload) for key, payload in entries]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            log.debug("cache: cannot store %d %s entries: %s", len(rows), kind, exc)
        finally:
            db.close()

    def keep(self, kind: str, entries: Iterable[tuple[str, bytes]]) -> list[Any]:
        """Decode each (key, encoded value) and store it, a batch at a time, so encoded
        values are not all held at once; the decoded values, in order."""
        values: list[Any] = []
        batch: list[tuple[str, bytes]] = []
        for key, payload in entries:
            values.append(decode(payload))
            batch.append((key, payload))
            if len(batch) == _STORE_BATCH:
                self.put_many(kind, batch)
                batch = []
        self.put_many(kind, batch)
        return values

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        """A connection with the table in place; None when there is no usable cache."""
        if self.folder is None or sqlite3 is None or self._secret() is None:
            return None
        path = self.folder / DATABASE
        for attempt in (1, 2):
            if not create and not path.is_file():
                return None
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                if not self._real_files():
                    return None
                db = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None)
            except (OSError, sqlite3.Error) as exc:
                log.debug("cache: cannot open %s: %s", path, exc)
                return None
            try:
                db.execute("PRAGMA journal_mode=WAL")  # a dev server may read while we write
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                if create:
                    self._drop_legacy()
                return db
            except sqlite3.OperationalError as exc:  # locked, read-only, disk full
                log.debug("cache: cannot use %s: %s", path, exc)
                db.close()
                return None
            except sqlite3.DatabaseError as exc:  # not a database: replace it, once
                log.debug("cache: replacing %s: %s", path, exc)
                db.close()
                if attempt == 2 or not create:
                    return None
                self._discard()
        return None

    def _real_files(self) -> bool:
        """The folder is a real folder, and no database or journal file in it is a link
        (one is removed: SQLite would write through it)."""
        assert self.folder is not None
        try:
            if not stat.S_ISDIR(os.lstat(self.folder).st_mode):
                return False
        except OSError:
            return False
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = self.folder / (DATABASE + suffix)
            if path.is_symlink():
                log.debug("cache: removing the link %s", path)
                path.unlink()
        return True

    def _drop_legacy(self) -> None:
        """Remove the file-per-entry folders an older briefgen left: never read again."""
        assert self.folder is not None
        for name in _LEGACY:
            folder = self.folder / name
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)

    def _discard(self) -> None:
        assert self.folder is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                (self.folder / (DATABASE + suffix)).unlink(missing_ok=True)
            except OSError as exc:
                log.debug("cache: cannot remove %s%s: %s", DATABASE, suffix, exc)


def _select(db: sqlite3.Connection, secret: bytes, kind: str, keys: list[str]) -> dict[str, Any]:
    marks = ",".join("?" * len(keys))
    rows = db.execute(
        f"SELECT key, checksum, payload FROM entries WHERE kind = ? AND key IN ({marks})",
        [kind, *keys],
    )
    found = {}
    for key, checksum, payload in rows:
        value = _checked(secret, key, checksum, payload)
        if value is not None:
            found[key] = value
    return found


def _checked(secret: bytes, key: str, checksum: bytes, payload: bytes) -> Any | None:
    if not hmac.compare_digest(_checksum(secret, key, payload), checksum):
        log.debug("cache: ignoring an entry not signed by this machine (or damaged): %s", key)
        return None  # never unpickled
    try:
        return decode(payload)
    except Exception:  # a payload written by another Python, or damaged before the checksum
        log.debug("cache: ignoring an entry that does not unpickle: %s", key)
        return None


def _checksum(secret: bytes, key: str, payload: bytes) -> bytes:
    """A MAC of the entry under this machine's key (keyed BLAKE2b, as fast as a checksum)."""
    data = len(key).to_bytes(4, "little") + key.encode() + payload
    return hashlib.blake2b(data, key=secret, digest_size=16).digest()
