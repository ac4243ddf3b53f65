"""The write stage: the only code that touches the output folder.

Owns: putting OutputFiles on disk safely. A full build writes into a staging folder beside
the output and swaps it in only when complete, so an interrupted build leaves the previous
site whole. Files whose bytes did not change are hard-linked from the previous output
instead of rewritten. A manifest records what briefgen wrote; nothing else is deleted.
Must not: write or delete anything outside the output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import OutputFile

MANIFEST = ".briefgen-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    deleted: int


def check_output(output: Path, source_root: Path) -> Diagnostic | None:
    """Refuse output folders whose replacement would destroy something else."""
    out = output.resolve()
    src = source_root.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out in (home, src) or out in src.parents:
        return error(
            "unsafe-output",
            f"refusing to use `{output}` as the output folder: it is "
            "the site, a parent of it, / or your home folder",
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
    """`root/rel`, refusing absolute paths and any `..` step."""
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or any(p in ("..", "") for p in parts) or "\\" in rel:
        raise ValueError(f"output path escapes the output folder: {rel!r}")
    return root.joinpath(*parts)


def read_manifest(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_site(files: Iterable[OutputFile], output: Path) -> WriteStats:
    """Stage the whole site beside `output`, then swap it in."""
    output = output.absolute()
    old = read_manifest(output) if output.is_dir() else {}
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    manifest, written, unchanged = {}, 0, 0
    for f in files:
        digest = _digest(f.data)
        target = safe_path(staging, f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if old.get(f.path) == digest and _link(safe_path(output, f.path), target):
            unchanged += 1
        else:
            target.write_bytes(f.data)
            written += 1
        manifest[f.path] = digest
    _keep_foreign(output, staging, old, manifest)
    _write_manifest(staging, manifest)
    _swap(staging, output)
    deleted = len(set(old) - set(manifest))
    return WriteStats(written, unchanged, deleted)


def _keep_foreign(output: Path, staging: Path, old: dict[str, str], new: dict[str, str]) -> None:
    """Files in the output that briefgen did not write (a CNAME, say) survive the swap."""
    if not output.is_dir():
        return
    for dirpath, _dirs, names in os.walk(output):
        for name in names:
            path = Path(dirpath) / name
            rel = path.relative_to(output).as_posix()
            if rel == MANIFEST or rel in old or rel in new:
                continue
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _link(path, target):
                shutil.copy2(path, target, follow_symlinks=False)


def _link(source: Path, target: Path) -> bool:
    try:
        if source.is_symlink() or not source.is_file():
            return False
        os.link(source, target)
        return True
    except OSError:
        return False


def _write_manifest(folder: Path, files: dict[str, str]) -> None:
    data = json.dumps({"generator": "briefgen", "files": dict(sorted(files.items()))}, indent=0)
    (folder / MANIFEST).write_text(data + "\n", encoding="utf-8")


def _swap(staging: Path, output: Path) -> None:
    """Replace `output` with `staging`; the old tree is removed only after the swap."""
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    if retired.exists():
        shutil.rmtree(retired, ignore_errors=True)


def write_changed(files: Iterable[OutputFile], output: Path) -> WriteStats:
    """Update `output` in place (the dev server): write changed files, delete stale ones.

    Each file is replaced atomically (write to a temporary name, then rename).
    """
    output = output.absolute()
    output.mkdir(parents=True, exist_ok=True)
    old = read_manifest(output)
    manifest, written = {}, 0
    for f in files:
        digest = _digest(f.data)
        manifest[f.path] = digest
        if old.get(f.path) == digest:
            continue
        target = safe_path(output, f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temp.write_bytes(f.data)
        os.replace(temp, target)
        written += 1
    stale = sorted(set(old) - set(manifest))
    for rel in stale:
        try:
            path = safe_path(output, rel)
        except ValueError:
            continue
        if path.is_file() and not path.is_symlink():
            path.unlink()
    _write_manifest(output, manifest)
    return WriteStats(written, len(manifest) - written, len(stale))
