"""The folders a write makes beside the output: staging folders, named, marked, removed.

Owns: how a staging folder is named (`.<output>.staging-<pid>-<random>`), marking it as
briefgen's the moment it exists, removing one (or a retired site) so that an interruption
at any point leaves it still marked, and cleaning up what interrupted builds left beside
the output (putting the old site back if a build died mid-swap). Must not: touch the
output folder's contents.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path

from briefgen.safefs import read_json
from briefgen.write.manifest import MANIFEST, write_manifest


def staging_path(output: Path) -> Path:
    """A new staging folder's path beside `output` (not yet created)."""
    return output.with_name(f".{output.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")


def make_staging(staging: Path) -> Path:
    """Create and mark the staging folder `staging` (from staging_path); its path."""
    staging.mkdir()  # not mkdtemp: the site must get the usual permissions, not 0700
    write_manifest(staging, {}, staging=True)  # marks the folder as briefgen's at once
    return staging


def remove_tree(folder: Path) -> None:
    """Delete a staging or retired folder, its manifest last: if this is interrupted, what is
    left is still marked as briefgen's and the next build finishes the job."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return
    for child in children:
        if child.name == MANIFEST:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
    with contextlib.suppress(OSError):
        (folder / MANIFEST).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _leftover_name(output: Path) -> re.Pattern[str]:
    """How staging and retired folders beside `output` are named (see write_site, _swap)."""
    return re.compile(rf"\.{re.escape(output.name)}\.(staging|old)-(\d+)(-[\w]+)?")


def has_leftovers(output: Path) -> bool:
    """Did an interrupted build leave a staging or retired folder beside `output`?"""
    leftover = _leftover_name(output)
    try:
        return any(leftover.fullmatch(name) for name in os.listdir(output.parent))
    except OSError:
        return False


def clean_leftovers(output: Path) -> list[Path]:
    """Remove what interrupted builds left beside `output`; put the old site back if a build
    died mid-swap. Only folders briefgen marked as its own (manifest inside, or empty) whose
    process is gone are touched. Returns what was removed."""
    leftover = _leftover_name(output)
    removed: list[Path] = []
    try:
        siblings = sorted(output.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        match = leftover.fullmatch(path.name)
        if not match or path.is_symlink() or not path.is_dir():
            continue
        if _alive(int(match.group(2))) or not _owned(path):
            continue
        if match.group(1) == "old" and not output.exists() and not _is_staging(path):
            os.replace(path, output)  # died between the two renames: the old site is whole
            continue
        remove_tree(path)
        removed.append(path)
    return removed


def _owned(folder: Path) -> bool:
    """Marked as briefgen's: a manifest inside, or nothing but the first manifest being
    written (a build killed between creating the folder and marking it)."""
    data = read_json(folder / MANIFEST)
    if data is not None:
        return isinstance(data, dict) and data.get("generator") == "briefgen"
    try:
        return all(_MANIFEST_TEMP.fullmatch(child.name) for child in folder.iterdir())
    except OSError:
        return False


_MANIFEST_TEMP = re.compile(re.escape(MANIFEST) + r"\.tmp-\d+")


def _is_staging(folder: Path) -> bool:
    data = read_json(folder / MANIFEST)
    return not isinstance(data, dict) or bool(data.get("staging"))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers from an earlier build in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or cannot tell: leave it
    return True
