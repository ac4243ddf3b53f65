"""One build at a time per output folder: a lock file in the site's cache folder.

Owns: taking the lock (flock, released by the kernel when the process ends, even on
SIGKILL) for the write of one output folder, and the diagnostic a second build gets while
another holds it. Must not: wait: a second build is told at once and changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from briefgen.cache import cache_folder
from briefgen.diagnostics import Diagnostic, error

try:
    import fcntl
except ImportError:  # not POSIX: no lock (builds still refuse a half-written output)
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def output_lock(root: Path, output: Path, *, cached: bool = True) -> Iterator[Diagnostic | None]:
    """Hold the lock on `output` while the body runs; yields the problem instead when
    another build holds it (or None once it is ours, or when no lock can be made). A build
    without the cache (`publish --dry-run` into a folder of its own) leaves the site's cache
    folder untouched, the lock file included: nothing else writes into its output."""
    folder = cache_folder(root) if cached else None
    fd = _open(folder, output) if folder is not None and fcntl is not None else None
    if fd is None:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield _busy(fd, output)
            return
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield None
    finally:
        os.close(fd)  # releases the lock


def _open(folder: Path, output: Path) -> int | None:
    name = hashlib.blake2b(os.fsencode(os.path.realpath(output)), digest_size=8).hexdigest()
    try:
        folder.mkdir(exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        return os.open(folder / f"build-{name}.lock", flags, 0o644)
    except OSError:
        return None


def _busy(fd: int, output: Path) -> Diagnostic:
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    who = f" (process {pid})" if pid.isdigit() else ""
    return error(
        "build-running",
        f"another build is running into `{output}`{who}; nothing was written",
        "",
        0,
        "wait for it to finish (or stop it), then build again",
    )
