"""File-system calls issued concurrently, for the stage that writes a whole site.

Owns: the thread pool a write uses, and creating a set of new folders once each, parents
before children. A `mkdir`, `open`, `write` or `link` spends its time in the kernel and the
disk with the GIL released, and each costs about a millisecond on a virtual disk: issued one
at a time, 1,365 files and 1,000 folders (1,000 briefings) took two seconds. Threads overlap
that waiting; the bytes written and the paths are exactly those of a serial write.
Must not: decide what is written or where (the callers check every path first), or follow
a symbolic link: folders are created with plain `mkdir`, which never follows one and fails
if anything already stands at the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

THREADS = 8  # enough to keep a disk queue busy; more only adds switching


@contextmanager
def io_pool() -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, on any error or Ctrl-C, drops the calls not yet started."""
    pool = ThreadPoolExecutor(THREADS, thread_name_prefix="briefgen-write")
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def each(pool: ThreadPoolExecutor, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[fn(x) for x in items]` on the pool, in order; the first error is raised."""
    return list(pool.map(fn, items))


def make_folders(pool: ThreadPoolExecutor, root: Path, folders: Iterable[Path]) -> int:
    """Create every folder in `folders` and the ones between it and `root` (which exists
    and is new, so none of them does): once each, a level at a time, each level at once.
    Returns how many were made."""
    wanted: set[Path] = set()
    for folder in folders:
        while folder != root and folder not in wanted:
            if root not in folder.parents:
                raise ValueError(f"{folder} is not inside {root}")
            wanted.add(folder)
            folder = folder.parent
    levels: dict[int, list[Path]] = {}
    for folder in wanted:
        levels.setdefault(len(folder.parts), []).append(folder)
    for depth in sorted(levels):
        each(pool, os.mkdir, sorted(levels[depth]))
    return len(wanted)
