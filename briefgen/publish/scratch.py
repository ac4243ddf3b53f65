"""Temporary folders of a publish (git's throwaway repository, a dry run's build).

Owns: naming them `briefgen-<kind>-<pid>-<random>` in the system's temporary folder, and
removing the ones a killed publish (SIGKILL, a power cut) left behind: a folder is removed
only when its name says so, it is a real folder (not a link) owned by this user, and the
process that made it is gone. SIGTERM and SIGINT are turned into KeyboardInterrupt by the
command, so the folder of a publish that is stopped that way goes with it.
Must not: remove anything it did not name, or a folder of a publish still running.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

_NAME = re.compile(r"briefgen-(?:publish|dry-run)-(\d+)-[A-Za-z0-9_]+")


def make_scratch(kind: str) -> Path:
    """A new private folder for `kind` ("publish" or "dry-run"); the caller removes it."""
    clean_stale()
    return Path(tempfile.mkdtemp(prefix=f"briefgen-{kind}-{os.getpid()}-"))


def remove_scratch(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def clean_stale(base: Path | None = None) -> list[Path]:
    """Remove what killed publishes left in `base` (the temporary folder); what went."""
    base = Path(base or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return removed
    for name in names:
        match = _NAME.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        path = base / name
        try:
            info = path.lstat()
        except OSError:
            continue
        owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
        if stat.S_ISDIR(info.st_mode) and info.st_uid == owner:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or cannot tell: leave the folder alone
    return True
