"""A folder target: mirror the site into a local DIR (a web server's root, a mounted share).

Owns: comparing DIR's files with the site by sha256 (a size mismatch needs no hashing),
writing each changed file atomically (temporary name, then rename) and deleting stale
files and the folders they leave empty. Symlinks inside DIR are never followed: one in the
way of a site file is replaced by the file (the link, not what it points to, goes), and a
stale one is removed as a link. Temporary files left by an interrupted publish are removed
by the next one.
DIR's `.briefgen-published.json` records which paths briefgen put there. A DIR holding
anything else (a first publish into a folder that is not empty, a file someone added) is
refused unless --force (keep what is not in the site) or --delete (delete it) is given,
as `build` refuses a foreign output folder. The record is written before the first file
(every path the run may write) and again at the end, so an interrupted publish still
knows its files. Nothing is changed that the plan does not list.
Must not: write or delete outside DIR, or accept a DIR whose mirroring would destroy
something else: the site's source or a parent of it, the content or output folder, `/`, or
the home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Collection, Mapping
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.publish.local import LocalFile, PublishError
from briefgen.publish.plan import Plan
from briefgen.write import safe_path

TEMP_PREFIX = ".briefgen-tmp-"
RECORD = ".briefgen-published.json"


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
    tree = True

    def __init__(self, dest: Path, config: SiteConfig, *, force: bool = False) -> None:
        """`force`: publish even though DIR holds files briefgen did not put there."""
        problem = check_folder(dest, config)
        if problem:
            raise PublishError(problem)
        self.root = dest.resolve()  # DIR itself may be a link; nothing inside it is followed
        self.label = str(self.root)
        self.force = force
        self._leftovers: list[str] = []
        self._published: set[str] = set()  # from the record: paths briefgen put in DIR
        self._present: set[str] = set()

    def close(self) -> None:
        pass

    def has_work(self, plan: Plan) -> bool:
        """Changes to make, or site files already in DIR that the record does not list (the
        first publish with --force into a folder that has the site already)."""
        return plan.changes or not set(plan.unchanged) <= self._published

    def refusal(self, plan: Plan) -> str | None:
        """Why the plan must not run: DIR holds files briefgen did not publish."""
        foreign = sorted(self._present - self._published)
        if not foreign or self.force:
            return None
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        return (
            f"{self.label} holds {len(foreign)} file{'s' * (len(foreign) != 1)} briefgen did "
            f"not publish ({shown}); nothing was changed\n    hint: --force publishes and "
            "keeps the ones not in the site, --delete publishes and deletes them"
        )

    def select(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        return files

    def digest(self, file: LocalFile) -> str:
        return file.sha256

    def state(self, files: Mapping[str, LocalFile]) -> dict[str, str]:
        out: dict[str, str] = {}
        if not self.root.is_dir():
            return out
        self._published = _read_record(self.root / RECORD)
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
                if rel == RECORD:
                    continue
                out[rel] = _digest(path, files.get(rel))
        self._present = set(out)
        return out

    def apply(self, plan: Plan, files: Mapping[str, LocalFile], message: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        for rel in self._leftovers:
            _unlink(self.root, rel)
        ours = (self._published & self._present) | set(files)
        self._record(ours)  # first: a publish killed from here on still knows its files
        for rel in plan.replace:  # what is in the way of the site goes first
            _unlink(self.root, rel)
            _prune(self.root, rel)
        for rel in plan.writes:
            self._write(rel, files[rel].read())
        for rel in plan.delete:
            _unlink(self.root, rel)
            _prune(self.root, rel)
        self._record(ours - set(plan.removals))
        return (
            f"{len(plan.upload)} written, {len(plan.update)} replaced, "
            f"{len(plan.delete)} deleted in {self.label}"
        )

    def _record(self, paths: Collection[str]) -> None:
        data = {"generator": "briefgen", "published": sorted(paths)}
        self._write(RECORD, (json.dumps(data, indent=0) + "\n").encode())

    def _write(self, rel: str, data: bytes) -> None:
        target = safe_path(self.root, rel)
        _make_parents(self.root, rel)
        if target.is_dir() and not target.is_symlink():
            try:
                target.rmdir()  # an empty folder holds nothing to lose
            except OSError:
                raise PublishError(
                    f"`{target}` is a folder, but the site has a file there"
                ) from None
        temp = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
        # O_EXCL and O_NOFOLLOW: a link planted at the temporary name is never followed.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(temp, flags | getattr(os, "O_BINARY", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)  # replaces a link at `target` itself, never its target


def _read_record(path: Path) -> set[str]:
    """The paths of DIR's record; none if it is missing, a link or damaged."""
    try:
        data = json.loads(_read_regular(path))
        paths = data["published"] if isinstance(data, dict) else None
    except (OSError, ValueError, KeyError, RecursionError):
        return set()
    return {p for p in paths if isinstance(p, str)} if isinstance(paths, list) else set()


def _read_regular(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        return handle.read()


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
    """Create the folders above `rel`. Whatever was in the way was removed as the plan's
    `replace`; something there now appeared during the publish, and is left alone."""
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            raise PublishError(f"`{current}` appeared while publishing; publish again")
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
