"""What may be written where: the write stage's safety checks and shared results.

Owns: refusing output folders whose replacement would destroy something else, paths that
would leave the output, ambiguous plans, symlinks on the way; WriteStats and the
diagnostics a refused write returns. Must not: write anything.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import OutputFile
from briefgen.write.manifest import MANIFEST, WriteMemo

log = logging.getLogger("briefgen")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    deleted: int
    problems: tuple[Diagnostic, ...] = ()  # non-empty: nothing was written
    memo: WriteMemo | None = None  # an in-place write: what it left, for the next one


def check_output(output: Path, source_root: Path, inputs: Iterable[Path] = ()) -> Diagnostic | None:
    """Refuse output folders whose replacement would destroy something else, and output
    folders inside (or holding) a folder the build reads (`inputs`: content/, static/,
    templates/): each build would read the previous one (static/static/static/...)."""
    out = output.resolve()
    src = source_root.resolve()
    for folder in inputs:
        real = folder.resolve()
        if out == real or real in out.parents or out in real.parents:
            shown = _shown(folder, source_root)
            return error(
                "unsafe-output",
                f"refusing to use `{output}` as the output folder: it is inside or holds "
                f"`{shown}`, which the build reads (each build would copy the last one)",
                "",
                0,
                "choose a folder outside content/, static/ and templates/, such as site/",
            )
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder known: nothing to protect
        home = None
    if out == Path(out.anchor) or out in (home, src) or out in src.parents:
        return error(
            "unsafe-output",
            f"refusing to use `{output}` as the output folder: it is "
            "the site, a parent of it, / or your home folder",
            "",
            0,
            "choose a dedicated folder such as site/",
        )
    if out.exists() and not out.is_dir():
        return error(
            "unsafe-output",
            f"`{output}` is a file, not a folder; refusing to replace it",
            "",
            0,
            "choose a dedicated folder such as site/",
        )
    if (out / "briefgen.yaml").exists() or (out / "content").is_dir():
        return error(
            "unsafe-output",
            f"`{output}` looks like a briefgen site, not an output folder",
            "",
            0,
            "choose a dedicated folder such as site/",
        )
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        return error(
            "unsafe-output",
            f"`{output}` is not empty and was not written by briefgen; refusing to replace it",
            "",
            0,
            "empty it yourself or choose another folder",
        )
    return None


def _shown(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(folder)


def safe_path(root: Path, rel: str) -> Path:
    """`root/rel`, refusing absolute paths, any `..` step, backslashes, control characters
    and the manifest's own name."""
    parts = PurePosixPath(rel).parts
    if (
        not parts
        or rel.startswith("/")
        or any(p in ("..", "") for p in parts)
        or "\\" in rel
        or not rel.isprintable()
        or rel == MANIFEST
    ):
        raise ValueError(f"output path escapes the output folder: {rel!r}")
    return root.joinpath(*parts)


def plan_problems(files: list[OutputFile]) -> list[Diagnostic]:
    """Everything that would make the plan unsafe or ambiguous, before anything is written:
    paths that leave the output, two files for one path, a path that is a file and a folder.
    """
    problems: list[Diagnostic] = []
    paths: set[str] = set()
    for f in files:
        try:
            safe_path(Path("."), f.path)
        except ValueError:
            problems.append(_plan_error(f"`{f.path!r}` would be written outside the output"))
            continue
        if f.path in paths:
            problems.append(_plan_error(f"two files would be written to `{f.path}`"))
        paths.add(f.path)
    folders = {str(parent) for p in paths for parent in PurePosixPath(p).parents}
    for path in sorted(paths & folders):
        problems.append(_plan_error(f"`{path}` would be both a file and a folder"))
    return problems


def _plan_error(message: str) -> Diagnostic:
    return error(
        "output-conflict",
        message,
        "",
        0,
        "two briefings, aliases or authors claim the same URL; nothing was written",
    )


class SameFile:
    """Whether a previous output file can be reused: a regular file of the right size, in a
    folder that really is inside the output (no symlinked folder on the way). The manifest
    says its bytes are right; the size catches a hand edit without reading every file."""

    def __init__(self, output: Path) -> None:
        self.root = os.path.realpath(output)
        self.folders: dict[Path, bool] = {}

    def __call__(self, path: Path, size: int) -> bool:
        inside = self.folders.get(path.parent)
        if inside is None:
            real = os.path.realpath(path.parent)
            inside = real == self.root or real.startswith(self.root + os.sep)
            self.folders[path.parent] = inside
        try:
            info = os.lstat(path)
        except OSError:
            return False
        return inside and stat.S_ISREG(info.st_mode) and info.st_size == size


def clash_diagnostic(clashes: list[str]) -> Diagnostic | None:
    if not clashes:
        return None
    more = f" and {len(clashes) - 1} other file(s)" if len(clashes) > 1 else ""
    return error(
        "output-conflict",
        f"`{clashes[0]}`{more} in the output {'were' if more else 'was'} not written by "
        "briefgen and would be replaced",
        "",
        0,
        "move it out of the output folder (or delete it) and build again",
    )


_TEMP = re.compile(r"\..+\.tmp-\d+")


def is_temp(name: str) -> bool:
    """A temporary file of write_changed (`.<name>.tmp-<pid>`)."""
    return bool(_TEMP.fullmatch(name))


def real_output(output: Path) -> Path:
    """The output folder with a symlinked output resolved (`site -> /var/www/site`): the
    swap happens where the site really is, and the link keeps working."""
    output = output.absolute()
    return output.resolve() if output.is_symlink() else output


def refused(problems: list[Diagnostic]) -> WriteStats:
    for problem in problems:
        log.error("%s", problem.format())
    return WriteStats(0, 0, 0, tuple(problems))


def os_error(exc: OSError, partly: bool = False) -> Diagnostic:
    """`partly`: the write failed after some files had been replaced."""
    where = f" ({exc.filename})" if exc.filename else ""
    return error(
        "write-failed",
        f"cannot write the site: {exc.strerror or exc}{where}",
        "",
        0,
        "the site is partly updated; check free space and permissions, then build again"
        if partly
        else "the previous site was left as it was; check free space and permissions",
    )


def exists_in(output: Path, rel: str) -> bool:
    path = safe_path(output, rel)
    return path.exists() or path.is_symlink()


def check_inside(path: Path, real_root: Path) -> None:
    """Raise if a symlinked folder inside the output would lead `path` outside it."""
    check_folder_inside(path.parent, real_root, path)
    if path.is_symlink():
        raise OSError(errno.EEXIST, "a symlink is in the way", str(path))


def check_folder_inside(folder: Path, real_root: Path, shown: Path | None = None) -> None:
    """Raise if `folder`, symlinks resolved, is not the output folder or inside it."""
    try:
        folder.resolve().relative_to(real_root)
    except ValueError:
        where = str(shown or folder)
        raise OSError(errno.EXDEV, "a symlink leads outside the output folder", where) from None
