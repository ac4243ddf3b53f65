"""The dev server's write: update the output folder in place, file by file.

Owns: writing only files whose bytes changed (each atomically), deleting files the manifest
lists but the build no longer makes, and the folders that leaves empty. Must not: follow a
symlink out of the output or delete what briefgen did not write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from briefgen.model import OutputFile
from briefgen.safefs import clear, copy_checked, create
from briefgen.write.checks import (
    SameFile,
    WriteStats,
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


def write_changed(
    files: Iterable[OutputFile],
    output: Path,
    last: WriteMemo | None = None,
    preview: tuple[str, ...] = (),
) -> WriteStats:
    """Update `output` in place (the dev server): write changed files, delete stale ones.

    Each file is replaced atomically (write to a temporary name, then rename). Nothing is
    written through a symlink, and only files the manifest lists are deleted. `last` is what
    this process wrote there the previous time: a file with the same path and bytes is
    neither checked nor touched again, so a one-page edit costs one write, not a stat per
    page (the dev server's output folder is its own).
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
        real_root = output.resolve()
        same = SameFile(output)
        # What this process wrote last time is what the manifest says (no need to parse it).
        old = {p: d for p, (_, d) in memo.files.items()} if last else read_manifest(output)
        sums = digests(files, memo.files)
        damaged = not old and manifest_damaged(output)
        theirs = [
            f.path for f in files if not damaged and f.path not in old and exists_in(output, f.path)
        ]
        if theirs:
            return refused([clash_diagnostic(theirs)])  # type: ignore[list-item]
        manifest, written = {}, 0
        for f in files:
            digest = sums[f.path]
            manifest[f.path] = digest
            if old.get(f.path) == digest and last.get(f.path) == f.content:
                continue
            target = safe_path(output, f.path)
            if old.get(f.path) == digest and same(target, f.length):
                continue
            check_inside(target, real_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            clear(temp)  # a stale temp file or a planted link: removed, never followed
            if f.source:
                copy_checked(f.source, temp, f.digest)
            else:
                create(temp, f.data)
            os.replace(temp, target)
            written += 1
        stale = sorted(set(old) - set(manifest))
        _remove_stale(output, real_root, stale)
        lines = memo.lines
        if manifest != old or not last:  # the first write also records `preview`
            lines = write_manifest(output, manifest, lines=memo.lines, preview=preview)
    except OSError as exc:
        return refused([os_error(exc)])
    kept = WriteMemo({f.path: (f.content, sums[f.path]) for f in files}, lines)
    return WriteStats(written, len(manifest) - written, len(stale), memo=kept)


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
