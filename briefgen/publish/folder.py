"""A folder target: mirror the site into a local DIR (a web server's root, a mounted share).

Owns: comparing DIR's files with the site by sha256 (a size mismatch needs no hashing),
writing each changed file atomically (temporary name, then rename) and deleting stale
files and the folders they leave empty. Symlinks inside DIR are never followed: one in the
way of a site file is replaced by the file (the link, not what it points to, goes), and a
stale one is removed as a link. Temporary files left by an interrupted publish are removed
by the next one.
Must not: write or delete outside DIR, or accept a DIR whose mirroring would destroy
something else: the site's source or a parent of it, the content or output folder, `/`, or
the home folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.publish.local import LocalFile, PublishError
from briefgen.publish.plan import Plan
from briefgen.write import safe_path

TEMP_PREFIX = ".briefgen-tmp-"


def check_folder(dest: Path, config: SiteConfig) -> str | None:
    """Why `dest` must not be a publish folder, or None."""
    dest = dest.resolve()
    src = config.root.resolve()
    out, content = config.output_path.resolve(), config.content_path.resolve()
    try:
        home: Path | None = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder known: nothing to protect there
        home = None
    if dest in (Path(dest.anchor), home, src) or dest in src.parents:
        return f"`{dest}` is the site, a parent of it, / or your home folder"
    if dest == out or dest in out.parents or out in dest.parents:
        return f"`{dest}` overlaps the output folder `{out}`: publish to a folder of its own"
    if dest == content or content in dest.parents:
        return f"`{dest}` is inside the content folder"
    if (dest / "briefgen.yaml").exists() or (dest / "content").is_dir():
        return f"`{dest}` looks like a briefgen site, not a place to publish to"
    if dest.exists() and not dest.is_dir():
        return f"`{dest}` is not a folder"
    return None


class FolderTarget:
    keep: frozenset[str] = frozenset()

    def __init__(self, dest: Path, config: SiteConfig) -> None:
        problem = check_folder(dest, config)
        if problem:
            raise PublishError(problem)
        self.root = dest.resolve()  # DIR itself may be a link; nothing inside it is followed
        self.label = str(self.root)
        self._leftovers: list[str] = []

    def close(self) -> None:
        pass

    def select(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        return files

    def digest(self, file: LocalFile) -> str:
        return file.sha256

    def state(self, files: Mapping[str, LocalFile]) -> dict[str, str]:
        out: dict[str, str] = {}
        if not self.root.is_dir():
            return out
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            folder = Path(dirpath)
            for name in list(dirnames):
                if (folder / name).is_symlink():  # listed as an entry, never entered
                    dirnames.remove(name)
                    filenames.append(name)
            for name in filenames:
                path = folder / name
                rel = path.relative_to(self.root).as_posix()
                if name.startswith(TEMP_PREFIX):
                    self._leftovers.append(rel)
                    continue
                out[rel] = _digest(path, files.get(rel))
        return out

    def apply(self, plan: Plan, files: Mapping[str, LocalFile], message: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        for rel in self._leftovers:
            _unlink(self.root, rel)
        for rel in plan.writes:
            self._write(rel, files[rel].read())
        for rel in plan.delete:
            _unlink(self.root, rel)
            _prune(self.root, rel)
        return (
            f"{len(plan.upload)} written, {len(plan.update)} replaced, "
            f"{len(plan.delete)} deleted in {self.label}"
        )

    def _write(self, rel: str, data: bytes) -> None:
        target = safe_path(self.root, rel)
        _make_parents(self.root, rel)
        if target.is_dir() and not target.is_symlink():
            raise PublishError(f"`{target}` is a folder, but the site has a file there")
        temp = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(temp, flags | getattr(os, "O_BINARY", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)  # replaces a link at `target` itself, never its target


def _digest(path: Path, local: LocalFile | None) -> str:
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        return "not-a-file"  # a link or something special: never equal to a site file
    if local is None:
        return "stale"
    if info.st_size != local.size:
        return f"size:{info.st_size}"
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _make_parents(root: Path, rel: str) -> None:
    """Create the folders above `rel`; a link or file in the way is replaced by a folder."""
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        if not current.exists():
            current.mkdir()


def _unlink(root: Path, rel: str) -> None:
    path = safe_path(root, rel)
    if _inside_without_links(root, rel) and (path.is_symlink() or path.is_file()):
        path.unlink()


def _prune(root: Path, rel: str) -> None:
    """Remove folders `rel` left empty, up to (not including) root."""
    parts = rel.split("/")[:-1]
    while parts:
        folder = root.joinpath(*parts)
        try:
            folder.rmdir()
        except OSError:
            return
        parts.pop()


def _inside_without_links(root: Path, rel: str) -> bool:
    """No folder between root and `rel` is a link, so `rel` really is inside root."""
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        if current.is_symlink() or not current.is_dir():
            return False
    return True
