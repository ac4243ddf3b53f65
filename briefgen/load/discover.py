"""Discover briefing sources under content/.

Owns: which files are briefings (sorted, hidden and editor temp files skipped) and refusing
what cannot safely be read: symlinks that lead outside the content folder (or in a loop),
anything that is not a regular file (a FIFO would block the build forever), files too large
to be a briefing, and file names that are not valid UTF-8 or hold control characters (they
would garble every diagnostic and URL that names them). Unreadable folders are reported,
not skipped silently. Must not: read file contents.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Diagnostic, error, warning

TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", ".kate-swp")
# A long briefing is 100 KB. The cap bounds the worst case: markdown-it-py needs about
# 25 s for a hostile megabyte of unclosed brackets.
MAX_BYTES = 2 * 1024 * 1024
# content/authors/ (profiles) and content/pages/ (standalone pages) are read by load/desk.py:
# their Markdown files are not briefings and their files are not briefings' files.
DESK_FOLDERS = ("authors", "pages")
DESK_FILES = ("authors.yaml", "series.yaml")  # beside briefgen.yaml


@dataclass(frozen=True, slots=True)
class SourceFile:
    rel: str  # relative to the content folder, POSIX separators
    path: str  # to open it (a str: ten thousand Path objects cost more than the listing)
    # (mtime, ctime, size, inode, device) when discovered: lets a rebuild skip re-reading
    # an unchanged file; () when unknown
    stamp: tuple[int, ...] = ()


def is_ignored(name: str) -> bool:
    """Hidden files, editor swap/backup files and temp files are never briefings."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(TEMP_SUFFIXES)
        or name.startswith(".#")
        or "~$" in name
    )


def discover(content: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    if not content.is_dir():
        return [], [
            error(
                "content-missing",
                f"content folder `{content.name}` not found",
                "",
                0,
                "create it, or run `briefgen init` to start a new site",
            )
        ]
    found: list[SourceFile] = []
    diags: list[Diagnostic] = []
    _scan(str(content), "", content.resolve(), found, diags)
    found.sort(key=lambda s: s.rel)
    return found, diags


def _scan(
    folder: str, prefix: str, root: Path, found: list[SourceFile], diags: list[Diagnostic]
) -> None:
    """Add the briefings under `folder` (`prefix` is its path relative to content/, with a
    trailing slash) to `found`, and what cannot be read to `diags`. Symlinked folders are
    not followed."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        diags.append(_unreadable(prefix.rstrip("/"), exc))
        return
    for entry in entries:
        name = entry.name
        if is_ignored(name):
            continue
        rel = prefix + name
        if not prefix and name in DESK_FOLDERS:
            continue
        if entry.is_dir(follow_symlinks=False):
            _scan(entry.path, rel + "/", root, found, diags)
        elif entry.is_symlink() and _is_dir(entry):
            diags.append(
                warning(
                    "symlink-folder",
                    "symlinked folder is not followed; briefings in it are not read",
                    printable(rel),
                    0,
                    "move the folder into content/ instead of linking to it",
                )
            )
        elif name.endswith(".md"):
            problem, info = _problem(entry.path, rel, root)
            if problem:
                diags.append(problem)
            else:
                found.append(SourceFile(rel, entry.path, _stamp(info)))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _unreadable(rel: str, exc: OSError) -> Diagnostic:
    return error(
        "read-failed",
        f"cannot read folder: {exc.strerror}",
        printable(rel),
        0,
        "check the folder's permissions",
    )


def _stamp(info: os.stat_result | None) -> tuple[int, ...]:
    if info is None:
        return ()
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


def _problem(path: str, rel: str, root: Path) -> tuple[Diagnostic | None, os.stat_result | None]:
    """Why `path` must not be read (or None), and its stat when it could be taken."""
    shown = printable(rel)
    if shown != rel:
        return _refuse(
            "bad-file-name",
            "file name is not valid UTF-8 or contains control characters; it is not read",
            shown,
            0,
            "rename the file using letters, digits, spaces and hyphens",
        )
    try:
        info = os.lstat(path)
    except OSError:
        return None, None  # gone since listed: reading it reports `read-failed`
    linked = stat.S_ISLNK(info.st_mode)
    where = _target(Path(path), root) if linked else "inside"
    if where == "loop":
        return _refuse(
            "symlink-loop",
            "symlink leads to itself in a loop; it is not read",
            rel,
            0,
            "point the link at a real file, or delete it",
        )
    if where == "outside":
        return _refuse(
            "symlink-outside",
            "symlink points outside the content folder; it is not read",
            rel,
            0,
            "copy the file into content/ instead of linking to it",
        )
    try:
        info = os.stat(path) if linked else info
    except OSError:
        return None, None  # a dangling link: reading it reports `read-failed` with the reason
    if not stat.S_ISREG(info.st_mode):
        return _refuse(
            "not-a-file",
            "not a regular file (a pipe, socket or device); it is not read",
            rel,
            0,
            "replace it with a normal file",
        )
    if info.st_size > MAX_BYTES:
        return _refuse(
            "file-too-large",
            f"file is {info.st_size / (1 << 20):.1f} MB; briefings are at most "
            f"{MAX_BYTES >> 20} MB",
            rel,
            0,
            "split it into several briefings",
        )
    return None, info


def _refuse(*args: str | int) -> tuple[Diagnostic, None]:
    return error(*args), None  # type: ignore[arg-type]


def printable(rel: str) -> str:
    """`rel` with undecodable bytes and control characters shown as escapes."""
    if rel.isprintable():
        return rel
    raw = rel.encode("utf-8", "surrogateescape")
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _target(path: Path, root: Path) -> str:
    """Where a symlink leads: "inside" the content folder, "outside" it, or in a "loop"."""
    try:
        path.resolve().relative_to(root)
    except RuntimeError:  # Python 3.11/3.12 raise this for a loop; later versions OSError
        return "loop"
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else "outside"
    except ValueError:
        return "outside"
    return "inside"
