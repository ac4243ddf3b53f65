"""Updating an output folder in place: write only what changed, as one commit.

Owns: writing the files whose bytes changed and deleting the files the manifest lists but
the build no longer makes (and the folders that leaves empty), in two phases. First every
changed file is written into a staging folder beside the output (siblings.py), and every
path checked: a failure then (disk full, a folder in the way, Ctrl-C) removes the staging
folder, and the output is exactly as it was; a build killed then leaves only that folder,
which the next build removes (siblings.clean_leftovers). Then, with Ctrl-C and `kill` held,
the folders new pages need are made and the files renamed over their targets. Just before
that the manifest becomes a journal: each path about to be replaced is listed with the
digest PENDING, so a build killed by SIGKILL between two renames leaves a folder that is
still briefgen's, that `publish --no-build` refuses, and that the next build stages whole
(write_site never updates a folder in place while an entry is PENDING). The dev server
writes this way on every edit; so does a CLI build that changes few files (staged.py
decides).
Must not: follow a symlink out of the output, write outside it and its staging folder, or
delete what briefgen did not write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.model import OutputFile
from briefgen.safefs import copy_checked, create
from briefgen.write.checks import (
    SameFile,
    WriteStats,
    check_folder_inside,
    check_inside,
    clash_diagnostic,
    exists_in,
    os_error,
    plan_problems,
    real_output,
    refused,
    safe_path,
)
from briefgen.write.manifest import (
    WriteMemo,
    digests,
    manifest_damaged,
    read_manifest,
    write_manifest,
)
from briefgen.write.siblings import make_staging, remove_tree, staging_path
from briefgen.write.threads import each, io_pool

HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # see _signals_held
PENDING = ""  # the manifest's digest for a file being replaced (see the module docstring)
POOLED = 16  # more changed files than this are written on the thread pool


class HalfCommitted(OSError):
    """A rename failed after others had been made: the site is partly updated."""


def write_changed(
    files: Iterable[OutputFile],
    output: Path,
    last: WriteMemo | None = None,
    preview: tuple[str, ...] = (),
) -> WriteStats:
    """Update `output` in place (the dev server): write changed files, delete stale ones.

    Nothing is written through a symlink, and only files the manifest lists are deleted.
    `last` is what this process wrote there the previous time: a file with the same path and
    bytes is neither checked nor touched again, so a one-page edit costs one write, not a
    stat per page (the dev server's output folder is its own).
    """
    files = list(files)
    memo = last or WriteMemo()
    last = {p: content for p, (content, _) in memo.files.items()}
    same_paths = len(files) == len(last) and all(f.path in last for f in files)
    problems = [] if same_paths else plan_problems(files)
    if problems:
        return refused(problems)
    output = real_output(output)
    try:
        output.mkdir(parents=True, exist_ok=True)
        # What this process wrote last time is what the manifest says (no need to parse it).
        old = {p: d for p, (_, d) in memo.files.items()} if last else read_manifest(output)
        sums = digests(files, memo.files)
        damaged = not old and manifest_damaged(output)
        theirs = [
            f.path for f in files if not damaged and f.path not in old and exists_in(output, f.path)
        ]
        if theirs:
            return refused([clash_diagnostic(theirs)])  # type: ignore[list-item]
        kept = {
            f.path
            for f in files
            if old.get(f.path) == sums[f.path] and last.get(f.path) == f.content
        }
        written, deleted, lines = commit(
            files,
            output,
            sums,
            old,
            kept=kept,
            lines=memo.lines,
            preview=preview,
            manifest=not last,  # the first write also records `preview`
        )
    except OSError as exc:
        return refused([os_error(exc, partly=isinstance(exc, HalfCommitted))])
    left = WriteMemo({f.path: (f.content, sums[f.path]) for f in files}, lines)
    return WriteStats(written, len(files) - written, deleted, memo=left)


def commit(
    files: list[OutputFile],
    output: Path,
    sums: Mapping[str, str],
    old: Mapping[str, str],
    *,
    kept: Collection[str] = (),
    lines: Mapping[str, tuple[str, str]] | None = None,
    preview: tuple[str, ...] = (),
    manifest: bool = False,
) -> tuple[int, int, Mapping[str, tuple[str, str]]]:
    """Bring `output` (a briefgen folder whose manifest lists `old`) to `files`, in place.

    A file is left alone when its path is in `kept`, or when the manifest has its digest and
    a regular file of its size is there. Raises OSError with the output untouched, except
    HalfCommitted (a rename failed midway: the journal marks the site for a full rewrite).
    `manifest`: rewrite the manifest even if nothing changed. Returns how many files were
    written and deleted, and the manifest's lines (see manifest.py)."""
    same = SameFile(output)
    changed = [
        f
        for f in files
        if f.path not in kept
        and not (old.get(f.path) == sums[f.path] and same(safe_path(output, f.path), f.length))
    ]
    stale = sorted(set(old) - set(sums))
    staging = staging_path(output) if changed else None
    try:
        plan = _prepare(changed, output, staging) if staging else _Plan()
        with _signals_held():  # Ctrl-C or a `kill` now takes effect once the commit is whole
            if plan.renames:
                journal = {**old, **sums} | {f.path: PENDING for f in changed}
                write_manifest(output, journal, lines=lines, preview=preview)
            _apply(plan)
            _remove_stale(output, output.resolve(), stale)
            if plan.renames or stale or manifest or dict(sums) != dict(old):
                lines = write_manifest(output, dict(sums), lines=lines, preview=preview)
    finally:
        if staging:
            remove_tree(staging)
    return len(changed), len(stale), lines or {}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, `kill` and a closed terminal until the block ends (phase two takes
    milliseconds), then act on them as usual; only SIGKILL or a power cut can stop it
    midway, which the journal covers. Python runs signal handlers in the main thread only,
    so the handlers are swapped for one that notes the signal (a mask would not do: the
    kernel gives a signal to any thread that does not block it, a progress bar's, say).
    Elsewhere than in the main thread (which cannot set handlers) nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    kept = {
        number: signal.signal(number, lambda number, frame: noted.append(number))
        for number in HELD
        if signal.getsignal(number) is not None  # None: a handler Python did not set
    }
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)
        for number in noted:
            signal.raise_signal(number)  # now: KeyboardInterrupt, or the process ends


@dataclass(frozen=True, slots=True)
class _Plan:
    """What phase two does: the folders to make (parents first) and the renames."""

    folders: tuple[Path, ...] = ()
    renames: tuple[tuple[Path, Path], ...] = ()


def _prepare(changed: list[OutputFile], output: Path, staging: Path) -> _Plan:
    """Phase one: check every target and write each changed file into `staging`."""
    real_root = output.resolve()
    folders: dict[Path, None] = {}
    jobs: list[tuple[OutputFile, Path]] = []
    renames: list[tuple[Path, Path]] = []
    for number, f in enumerate(changed):
        target = safe_path(output, f.path)
        folders.update(dict.fromkeys(_missing_folders(target.parent, real_root)))
        if target.parent not in folders:
            check_inside(target, real_root)
            _check_replaceable(target)
        jobs.append((f, staging / str(number)))
        renames.append((staging / str(number), target))
    make_staging(staging)
    if len(jobs) > POOLED:
        with io_pool() as pool:
            each(pool, _put, jobs)
    else:
        for job in jobs:
            _put(job)
    return _Plan(tuple(sorted(folders, key=lambda folder: len(folder.parts))), tuple(renames))


def _put(job: tuple[OutputFile, Path]) -> None:
    f, temp = job
    if f.source:
        copy_checked(f.source, temp, f.digest)
    else:
        create(temp, f.data)  # the staging folder is new: nothing may stand there


def _missing_folders(folder: Path, real_root: Path) -> list[Path]:
    """The folders to create for `folder` to exist, after checking that the nearest one that
    does is a real folder inside the output (not reached through a symlink)."""
    missing: list[Path] = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    check_folder_inside(folder, real_root)
    if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a file, or a link (staged.py decides)
        raise OSError(errno.ENOTDIR, "a file or link is in the way of a folder", str(folder))
    return missing


def _check_replaceable(target: Path) -> None:
    """A rename may replace a regular file or nothing; a folder in the way is an error now,
    in phase one, not halfway through the renames."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OSError(errno.EISDIR, "a folder or special file is in the way", str(target))


def _apply(plan: _Plan) -> None:
    """Phase two: make the new folders, move every staged file over its target."""
    try:
        for folder in plan.folders:
            os.makedirs(folder, exist_ok=True)
        for temp, target in plan.renames:
            os.replace(temp, target)
    except OSError as exc:
        raise HalfCommitted(exc.errno, exc.strerror, exc.filename) from exc


def _remove_stale(output: Path, real_root: Path, stale: list[str]) -> None:
    """Delete files the manifest lists but the build no longer makes, then the folders that
    this left empty (a deleted briefing's `briefings/<slug>/`); never a non-empty folder."""
    for rel in stale:
        try:
            path = safe_path(output, rel)
            check_inside(path, real_root)
        except (ValueError, OSError):
            continue
        if path.is_file() and not path.is_symlink():
            path.unlink()
            _remove_empty_parents(path.parent, output)


def _remove_empty_parents(folder: Path, output: Path) -> None:
    while folder != output and output in folder.parents:
        try:
            folder.rmdir()  # fails unless empty, which is the point
        except OSError:
            return
        folder = folder.parent
