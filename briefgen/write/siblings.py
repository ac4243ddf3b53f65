"""The folders a write makes beside the output: staging folders, named, marked, removed.

Owns: how a staging folder is named (`.<output>.staging-<pid>-<random>`, the pattern
`clean_leftovers` in staged.py recognises), marking it as briefgen's the moment it exists,
and removing one (or a retired site) so that an interruption at any point leaves it still
marked. Must not: touch the output folder itself.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

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
