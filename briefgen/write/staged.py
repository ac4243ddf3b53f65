"""A full build's write: stage the whole site beside the output, then swap it in; or, when
few files change, commit those in place (inplace.py).

Owns: choosing between the two, the staged write, hard-linking unchanged files from the
previous output, keeping files briefgen did not write, the atomic exchange (renameat2 where
the OS has it); staging folders and leftovers are siblings.py's. Must not: touch anything
but the output folder and its staging and retired siblings.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import Diagnostic
from briefgen.model import OutputFile
from briefgen.safefs import copy_checked, create
from briefgen.write.checks import (
    SameFile,
    WriteStats,
    clash_diagnostic,
    exists_in,
    is_temp,
    os_error,
    plan_problems,
    real_output,
    refused,
    safe_path,
)
from briefgen.write.inplace import PENDING, commit
from briefgen.write.manifest import (
    MANIFEST,
    digests,
    manifest_damaged,
    read_manifest,
    write_manifest,
)
from briefgen.write.siblings import clean_leftovers, make_staging, remove_tree, staging_path
from briefgen.write.threads import each, io_pool, make_folders

IN_PLACE_SHARE = 10  # a build that changes at most 1 file in 10 updates the site in place


def write_site(
    files: Iterable[OutputFile], output: Path, preview: tuple[str, ...] = ()
) -> WriteStats:
    """Stage the whole site beside `output`, then swap it in. `preview`: see manifest.py."""
    files = list(files)
    problems = plan_problems(files)
    if problems:
        return refused(problems)
    output = real_output(output)
    sums = digests(files)
    staging = staging_path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(output)
        old = read_manifest(output) if output.is_dir() else {}
        if _few_changes(sums, old):
            done = _in_place(files, output, sums, old, preview)
            if done is not None:
                return done
        damaged = output.is_dir() and manifest_damaged(output)
        make_staging(staging)
        written, unchanged = _stage(files, sums, output, staging, old)
        conflict = _keep_foreign(output, staging, old, set(sums), damaged)
        if conflict:
            remove_tree(staging)
            return refused([conflict])
        write_manifest(staging, sums, preview=preview)
        _swap(staging, output)
    except OSError as exc:
        remove_tree(staging)
        return refused([os_error(exc)])
    except BaseException:  # Ctrl-C: leave no half-built folder behind
        remove_tree(staging)
        raise
    return WriteStats(written, unchanged, len(set(old) - set(sums)))


def _few_changes(sums: dict[str, str], old: dict[str, str]) -> bool:
    """Update in place rather than stage: the output is a whole briefgen site (a readable
    manifest, no file left PENDING by an interrupted commit) and at most one file in
    IN_PLACE_SHARE is new, changed or gone. A bigger change is staged and swapped in at
    once, so that a server reading the folder meanwhile never mixes two builds for long."""
    if not old or PENDING in old.values():
        return False
    changes = sum(old.get(path) != digest for path, digest in sums.items())
    changes += sum(path not in sums for path in old)
    return changes <= len(sums) // IN_PLACE_SHARE


def _in_place(
    files: list[OutputFile],
    output: Path,
    sums: dict[str, str],
    old: dict[str, str],
    preview: tuple[str, ...],
) -> WriteStats | None:
    """Commit the few changed files in place (inplace.py); None: stage the site instead (a
    file briefgen did not write is in the way, or the commit failed before its renames, so
    the staged write reports what is wrong, or finishes what a failed rename began)."""
    if any(path not in old and exists_in(output, path) for path in sums):
        return None
    try:
        written, deleted, _ = commit(files, output, sums, old, preview=preview, manifest=True)
    except OSError:
        return None
    return WriteStats(written, len(files) - written, deleted)


def _stage(
    files: list[OutputFile],
    digests: dict[str, str],
    output: Path,
    staging: Path,
    old: dict[str, str],
) -> tuple[int, int]:
    """Write every file into `staging`; hard-link the ones whose bytes did not change.

    Each folder is created once, then the files are written or linked on a thread pool
    (see briefgen.write.threads): the same files with the same bytes as one at a time."""
    same = SameFile(output) if output.is_dir() else None

    def put(job: tuple[OutputFile, Path]) -> bool:
        """Write or link one file; True if it was linked (unchanged)."""
        f, target = job
        previous = safe_path(output, f.path)
        if (
            same
            and old.get(f.path) == digests[f.path]
            and same(previous, f.length)
            and _link(previous, target)
        ):
            return True
        if f.source:
            copy_checked(f.source, target, f.digest)
        else:
            create(target, f.data)  # the staging folder is new: nothing may stand there
        return False

    jobs = [(f, safe_path(staging, f.path)) for f in files]
    with io_pool() as pool:
        make_folders(pool, staging, {target.parent for _, target in jobs})
        unchanged = sum(each(pool, put, jobs))
    return len(files) - unchanged, unchanged


def _keep_foreign(
    output: Path, staging: Path, old: dict[str, str], new: set[str], damaged: bool = False
) -> Diagnostic | None:
    """Files, links and folders in the output that briefgen did not write (a CNAME, say)
    survive the swap; a problem if the new site would replace one of them. With a
    `damaged` manifest what briefgen wrote is unknown: a file the new site writes again is
    taken to be briefgen's, every other file is kept."""
    if not output.is_dir():
        return None
    ours = {str(parent) for p in old for parent in PurePosixPath(p).parents}
    clashes: list[str] = []
    for dirpath, dirs, names in os.walk(output):  # never descends into symlinked folders
        here = Path(dirpath)
        for name in sorted(dirs):
            path = here / name
            rel = path.relative_to(output).as_posix()
            if path.is_symlink():
                names.append(name)  # carried over as a link, below
            elif rel not in ours and _empty(path):
                (staging / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            path = here / name
            rel = path.relative_to(output).as_posix()
            if rel == MANIFEST or rel in old or is_temp(name):
                continue
            target = staging / rel
            if damaged and rel in new:
                continue
            if rel in new or target.exists() or target.is_symlink():
                clashes.append(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                os.symlink(os.readlink(path), target)
            elif not _link(path, target):
                shutil.copy2(path, target, follow_symlinks=False)
    return clash_diagnostic(clashes)


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _link(source: Path, target: Path) -> bool:
    try:
        if source.is_symlink() or not source.is_file():
            return False
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    """Replace `output` with `staging`; the old tree is removed only after the swap.

    With renameat2(RENAME_EXCHANGE) the output path always holds a whole site. Without it,
    there is a moment with no output folder; `clean_leftovers` puts the old one back if a
    build dies right then.
    """
    if output.is_dir() and _exchange(staging, output):
        remove_tree(staging)  # now holds the previous site
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    if retired.exists():
        remove_tree(retired)


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, loaded once (finding it runs a subprocess): a constant, not state."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    try:
        renameat2 = _libc().renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    # Any failure (no kernel support, a file system without it) falls back to two renames,
    # which report a real problem (permissions, say) themselves.
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
