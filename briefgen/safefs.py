"""File operations that never follow a symbolic link planted at the path they write.

Owns: creating files with O_CREAT|O_EXCL|O_NOFOLLOW (a temporary name where something
already stands is removed first: a link there is unlinked, never written through), copying
and hashing large files a block at a time (a 1.5 GB static file costs a 1 MB buffer, not
1.5 GB of memory), and reading small bookkeeping files (the manifest, the up-to-date
stamp) only when they are regular files of bounded size (never a FIFO, never through a
link). Must not: decide what is written where.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
from pathlib import Path

BLOCK = 1 << 20
STREAM_BYTES = 4 << 20  # static files larger than this are copied from disk, not held
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def create(path: Path, data: bytes) -> None:
    """Write a new file at `path`; fails if anything (a link included) stands there."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def create_temp(path: Path, data: bytes) -> None:
    """`create` at a temporary name briefgen owns: whatever stands there (a stale temp
    file, a planted link) is removed first, never followed."""
    clear(path)
    create(path, data)


def clear(path: Path) -> None:
    """Remove a file or link at `path` (a folder there is an error)."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISDIR(os.lstat(path).st_mode):
            raise OSError(errno.EISDIR, "a folder is in the way", str(path))
        os.unlink(path)


def hash_file(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, read a block at a time."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while block := file.read(BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def copy_checked(source: str, target: Path, digest: str) -> None:
    """Copy `source` to a new file `target` a block at a time; fail if its bytes are no
    longer the ones planned (it changed during the build)."""
    check = hashlib.sha256()
    fd = os.open(target, _CREATE, 0o666)
    try:
        with open(source, "rb") as file:
            while block := file.read(BLOCK):
                check.update(block)
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    if check.hexdigest() != digest:
        raise OSError(errno.EAGAIN, "the file changed during the build; build again", source)


def read_small(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None: a link, a FIFO, a
    folder, a huge or unreadable file are all treated as no file."""
    try:
        fd = os.open(path, _READ)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def read_json(path: Path, limit: int = 256 << 20) -> object | None:
    """A small bookkeeping JSON file, parsed; None when it is missing, not a regular file,
    too large, not JSON or nested so deeply that parsing it would overflow the stack (a
    damaged file: the caller rebuilds)."""
    data = read_small(path, limit)
    if data is None:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
