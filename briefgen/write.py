"""The write stage: the only code that touches the output folder.

Owns: putting OutputFiles on disk safely. A full build writes into a staging folder beside
the output and swaps it in only when complete (one atomic exchange where the OS offers it),
so an interrupted build leaves the previous site whole; the next build removes what an
interrupted one left behind. Unchanged files are hard-linked from the previous output
instead of rewritten. A manifest records what briefgen wrote; nothing else is deleted or
overwritten, and symlinks inside the output are never followed.
Must not: write or delete anything outside the output folder and its staging siblings, or
raise on a bad plan: problems come back as Diagnostics in WriteStats.problems, with nothing
written.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import OutputFile

MANIFEST = ".briefgen-manifest.json"
log = logging.getLogger("briefgen")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    deleted: int
    problems: tuple[Diagnostic, ...] = ()  # non-empty: nothing was written


def check_output(output: Path, source_root: Path) -> Diagnostic | None:
    """Refuse output folders whose replacement would destroy something else."""
    out = output.resolve()
    src = source_root.resolve()
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


def read_manifest(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


_DIGESTS: dict[int, tuple[bytes, str]] = {}  # id(bytes) -> (bytes, sha256): a memo


def _digest(data: bytes) -> str:
    """sha256 of `data`; pages reused from the last build (same bytes object) hash once."""
    hit = _DIGESTS.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    return hashlib.sha256(data).hexdigest()


def _digests(files: list[OutputFile]) -> dict[str, str]:
    """path -> sha256 for every file; the memo then holds exactly these files' bytes (it
    must not keep the bytes of earlier builds alive)."""
    fresh = {id(f.data): (f.data, _digest(f.data)) for f in files}
    _DIGESTS.clear()
    _DIGESTS.update(fresh)
    return {f.path: fresh[id(f.data)][1] for f in files}


def write_site(files: Iterable[OutputFile], output: Path) -> WriteStats:
    """Stage the whole site beside `output`, then swap it in."""
    files = list(files)
    problems = plan_problems(files)
    if problems:
        return _refused(problems)
    output = _real(output)
    digests = _digests(files)
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(output)
        old = read_manifest(output) if output.is_dir() else {}
        staging.mkdir()  # not mkdtemp: the site must get the usual permissions, not 0700
        _write_manifest(staging, {}, staging=True)  # marks the folder as briefgen's at once
        written, unchanged = _stage(files, digests, output, staging, old)
        conflict = _keep_foreign(output, staging, old, set(digests))
        if conflict:
            _remove_tree(staging)
            return _refused([conflict])
        _write_manifest(staging, digests)
        _swap(staging, output)
    except OSError as exc:
        _remove_tree(staging)
        return _refused([_os_error(exc)])
    except BaseException:  # Ctrl-C: leave no half-built folder behind
        _remove_tree(staging)
        raise
    return WriteStats(written, unchanged, len(set(old) - set(digests)))


def _stage(
    files: list[OutputFile],
    digests: dict[str, str],
    output: Path,
    staging: Path,
    old: dict[str, str],
) -> tuple[int, int]:
    """Write every file into `staging`; hard-link the ones whose bytes did not change."""
    same = _SameFile(output) if output.is_dir() else None
    written = unchanged = 0
    for f in files:
        target = safe_path(staging, f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = safe_path(output, f.path)
        if (
            same
            and old.get(f.path) == digests[f.path]
            and same(previous, len(f.data))
            and _link(previous, target)
        ):
            unchanged += 1
        else:
            target.write_bytes(f.data)
            written += 1
    return written, unchanged


class _SameFile:
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


def _keep_foreign(
    output: Path, staging: Path, old: dict[str, str], new: set[str]
) -> Diagnostic | None:
    """Files, links and folders in the output that briefgen did not write (a CNAME, say)
    survive the swap; a problem if the new site would replace one of them."""
    if not output.is_dir():
        return None
    ours = {str(parent) for p in old for parent in PurePosixPath(p).parents}
    clashes: list[str] = []
    for dirpath, dirs, names in os.walk(output):  # never descends into symlinked folders
        here = Path(dirpath)
        for name in sorted(dirs):
            path = here / name
            rel = path.relative_to(output).as_posix()
            if path.is_symlink():
                names.append(name)  # carried over as a link, below
            elif rel not in ours and _empty(path):
                (staging / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            path = here / name
            rel = path.relative_to(output).as_posix()
            if rel == MANIFEST or rel in old or _is_temp(name):
                continue
            target = staging / rel
            if rel in new or target.exists() or target.is_symlink():
                clashes.append(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                os.symlink(os.readlink(path), target)
            elif not _link(path, target):
                shutil.copy2(path, target, follow_symlinks=False)
    return _clash(clashes)


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _clash(clashes: list[str]) -> Diagnostic | None:
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


def _link(source: Path, target: Path) -> bool:
    try:
        if source.is_symlink() or not source.is_file():
            return False
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:
        return False


def _write_manifest(folder: Path, files: dict[str, str], *, staging: bool = False) -> None:
    data = {"generator": "briefgen", "files": dict(sorted(files.items()))}
    if staging:
        data["staging"] = True
    # Atomic: a build killed at any moment leaves a readable manifest, so the folder stays
    # recognisably briefgen's and the next build can clean it up.
    temp = folder / f"{MANIFEST}.tmp-{os.getpid()}"
    temp.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    os.replace(temp, folder / MANIFEST)


def _remove_tree(folder: Path) -> None:
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


def _swap(staging: Path, output: Path) -> None:
    """Replace `output` with `staging`; the old tree is removed only after the swap.

    With renameat2(RENAME_EXCHANGE) the output path always holds a whole site. Without it,
    there is a moment with no output folder; `clean_leftovers` puts the old one back if a
    build dies right then.
    """
    if output.is_dir() and _exchange(staging, output):
        _remove_tree(staging)  # now holds the previous site
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    if retired.exists():
        _remove_tree(retired)


_LIBC = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    global _LIBC
    try:
        if _LIBC is None:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = _LIBC.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    # Any failure (no kernel support, a file system without it) falls back to two renames,
    # which report a real problem (permissions, say) themselves.
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


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
        _remove_tree(path)
        removed.append(path)
    return removed


def _owned(folder: Path) -> bool:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return isinstance(data, dict) and data.get("generator") == "briefgen"
    except (OSError, ValueError):
        return not any(folder.iterdir())


def _is_staging(folder: Path) -> bool:
    try:
        return bool(json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("staging"))
    except (OSError, ValueError, AttributeError):
        return True


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


_TEMP = re.compile(r"\..+\.tmp-\d+")


def _is_temp(name: str) -> bool:
    """A temporary file of write_changed (`.<name>.tmp-<pid>`)."""
    return bool(_TEMP.fullmatch(name))


def _real(output: Path) -> Path:
    """The output folder with a symlinked output resolved (`site -> /var/www/site`): the
    swap happens where the site really is, and the link keeps working."""
    output = output.absolute()
    return output.resolve() if output.is_symlink() else output


def _refused(problems: list[Diagnostic]) -> WriteStats:
    for problem in problems:
        log.error("%s", problem.format())
    return WriteStats(0, 0, 0, tuple(problems))


def _os_error(exc: OSError) -> Diagnostic:
    where = f" ({exc.filename})" if exc.filename else ""
    return error(
        "write-failed",
        f"cannot write the site: {exc.strerror or exc}{where}",
        "",
        0,
        "the previous site was left as it was; check free space and permissions",
    )


def write_changed(
    files: Iterable[OutputFile], output: Path, last: Mapping[str, bytes] | None = None
) -> WriteStats:
    """Update `output` in place (the dev server): write changed files, delete stale ones.

    Each file is replaced atomically (write to a temporary name, then rename). Nothing is
    written through a symlink, and only files the manifest lists are deleted. `last` is what
    this process wrote there the previous time: a file with the same path and bytes is
    neither checked nor touched again, so a one-page edit costs one write, not a stat per
    page (the dev server's output folder is its own).
    """
    files = list(files)
    last = last or {}
    same_paths = len(files) == len(last) and all(f.path in last for f in files)
    problems = [] if same_paths else plan_problems(files)
    if problems:
        return _refused(problems)
    output = _real(output)
    try:
        output.mkdir(parents=True, exist_ok=True)
        real_root = output.resolve()
        same = _SameFile(output)
        # What this process wrote last time is what the manifest says (no need to parse it).
        old = {p: _digest(d) for p, d in last.items()} if last else read_manifest(output)
        digests = _digests(files)
        theirs = [f.path for f in files if f.path not in old and _exists(output, f.path)]
        if theirs:
            return _refused([_clash(theirs)])  # type: ignore[list-item]
        manifest, written = {}, 0
        for f in files:
            digest = digests[f.path]
            manifest[f.path] = digest
            if old.get(f.path) == digest and last.get(f.path) == f.data:
                continue
            target = safe_path(output, f.path)
            if old.get(f.path) == digest and same(target, len(f.data)):
                continue
            _check_inside(target, real_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temp.write_bytes(f.data)
            os.replace(temp, target)
            written += 1
        stale = sorted(set(old) - set(manifest))
        _remove_stale(output, real_root, stale)
        if manifest != old:
            _write_manifest(output, manifest)
    except OSError as exc:
        return _refused([_os_error(exc)])
    return WriteStats(written, len(manifest) - written, len(stale))


def _remove_stale(output: Path, real_root: Path, stale: list[str]) -> None:
    """Delete files the manifest lists but the build no longer makes, then the folders that
    this left empty (a deleted briefing's `briefings/<slug>/`); never a non-empty folder."""
    for rel in stale:
        try:
            path = safe_path(output, rel)
            _check_inside(path, real_root)
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


def _exists(output: Path, rel: str) -> bool:
    path = safe_path(output, rel)
    return path.exists() or path.is_symlink()


def _check_inside(path: Path, real_root: Path) -> None:
    """Raise if a symlinked folder inside the output would lead `path` outside it."""
    parent = path.parent.resolve()
    try:
        parent.relative_to(real_root)
    except ValueError:
        raise OSError(errno.EXDEV, "a symlink leads outside the output folder", str(path)) from None
    if path.is_symlink():
        raise OSError(errno.EEXIST, "a symlink is in the way", str(path))
