"""Discover briefing sources under content/.

Owns: which files are briefings (sorted, hidden and editor temp files skipped) and refusing
symlinks that lead outside the content folder. Must not: read file contents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Diagnostic, error

TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", ".kate-swp")


@dataclass(frozen=True, slots=True)
class SourceFile:
    rel: str  # relative to the content folder, POSIX separators
    path: Path


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
    root = content.resolve()
    found: list[SourceFile] = []
    diags: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        for name in sorted(filenames):
            if not name.endswith(".md") or is_ignored(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(content).as_posix()
            if path.is_symlink() and not _inside(path, root):
                diags.append(
                    error(
                        "symlink-outside",
                        "symlink points outside the content folder; it is not read",
                        rel,
                        0,
                        "copy the file into content/ instead of linking to it",
                    )
                )
                continue
            found.append(SourceFile(rel, path))
    found.sort(key=lambda s: s.rel)
    return found, diags


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True
