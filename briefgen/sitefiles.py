"""The files of a folder briefgen reads and copies (static/, templates/, content files).

Owns: one walk, sorted, that never reads anything outside the site through a symbolic
link. A link is followed only when what it finally points to is inside the site folder,
not in a hidden file or folder there (`.git/config`, `.env`, `.briefgen-cache/`), and not
in a loop; anything else is an error naming the link (`static/env.txt: error: ... is a
symbolic link to outside the site`) and is not read. A FIFO, socket or device is an error
too (opening a FIFO would block the build forever). Must not: read file contents.

Decision: links inside the site are allowed (`static/img -> ../content/img` is a common way
to share files), as `content/` already allows links to briefings inside it. A linked folder
that leads back to one of its own ancestors is a loop.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Diagnostic, error
from briefgen.load.discover import printable

FIX = "copy the file into the site instead of linking to it, or delete the link"


@dataclass(frozen=True, slots=True)
class SiteFile:
    rel: str  # relative to the walked folder, POSIX separators
    path: Path  # where to read it (through an allowed link, if it is one)
    size: int


def walk(folder: Path, site: Path, shown: str = "") -> tuple[list[SiteFile], list[Diagnostic]]:
    """Every regular file under `folder`, sorted by `rel`, hidden names skipped; links
    followed only inside `site`. `shown`: how diagnostics name `folder` ("static")."""
    files: list[SiteFile] = []
    diags: list[Diagnostic] = []
    if not folder.is_dir():
        return files, diags
    walker = _Walker(Path(os.path.realpath(site)), files, diags)
    walker.scan(folder, "", shown.rstrip("/") + "/" if shown else "", (folder,))
    files.sort(key=lambda f: f.rel)
    return files, diags


@dataclass(slots=True)
class _Walker:
    site: Path
    files: list[SiteFile]
    diags: list[Diagnostic]

    def scan(self, folder: Path, prefix: str, shown: str, ancestors: tuple[Path, ...]) -> None:
        """Add the files under `folder`; `ancestors`: the folders walked to reach it."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.diags.append(
                error(
                    "read-failed", f"cannot read folder: {exc.strerror}", shown + prefix.rstrip("/")
                )
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            path = Path(entry.path)
            if not entry.name.isprintable() or printable(entry.name) != entry.name:
                self.diags.append(
                    error(
                        "bad-file-name",
                        "file name is not valid UTF-8 or holds a control character "
                        "(a line break, a tab); it is not copied",
                        printable(shown + rel),
                        0,
                        "rename it using letters, digits, spaces, dots and hyphens",
                    )
                )
                continue
            if entry.is_symlink():
                self.link(path, rel, shown, ancestors)
            elif entry.is_dir(follow_symlinks=False):
                self.scan(path, rel + "/", shown, (*ancestors, path))
            else:
                self.file(path, rel, shown, os.lstat(path))

    def link(self, path: Path, rel: str, shown: str, ancestors: tuple[Path, ...]) -> None:
        problem, target = link_problem(path, self.site)
        if problem:
            code, message = problem
            self.diags.append(error(code, f"`{shown}{rel}` {message}", shown + rel, 0, FIX))
            return
        assert target is not None
        info = os.stat(target)
        if stat.S_ISDIR(info.st_mode):
            # Resolved only here: links are rare, and realpath costs a call per component.
            reals = [Path(os.path.realpath(a)) for a in ancestors]
            if any(target == a or a.is_relative_to(target) for a in reals):
                self.diags.append(
                    error(
                        "symlink-loop",
                        f"`{shown}{rel}` is a symbolic link to a folder that contains it (a loop)",
                        shown + rel,
                        0,
                        FIX,
                    )
                )
                return
            self.scan(path, rel + "/", shown, (*ancestors, target))
        else:
            self.file(path, rel, shown, info)

    def file(self, path: Path, rel: str, shown: str, info: os.stat_result) -> None:
        if stat.S_ISREG(info.st_mode):
            self.files.append(SiteFile(rel, path, info.st_size))
            return
        self.diags.append(
            error(
                "not-a-file",
                f"`{shown}{rel}` is not a regular file (a pipe, socket or device); it is not read",
                shown + rel,
                0,
                "replace it with a normal file",
            )
        )


def link_problem(path: Path, site: Path) -> tuple[tuple[str, str] | None, Path | None]:
    """Why the link at `path` must not be followed ((code, message) or None), and where it
    leads when it may be. `site` is the real (resolved) site folder."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("symlink-loop", "is a symbolic link in a loop"), None
        return ("symlink-dangling", "is a symbolic link to nothing (its target is missing)"), None
    except RuntimeError:  # Python 3.11/3.12: a loop
        return ("symlink-loop", "is a symbolic link in a loop"), None
    if not target.is_relative_to(site):
        return ("symlink-outside", "is a symbolic link to outside the site"), None
    if any(part.startswith(".") for part in target.relative_to(site).parts):
        return (
            "symlink-hidden",
            "is a symbolic link to a hidden file or folder of the site (such as .git)",
        ), None
    return None, target
