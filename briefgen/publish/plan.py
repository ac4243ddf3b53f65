"""The publish plan: what to upload, update and delete, computed from both sides' state.

Owns: comparing the local files with the destination (both as path -> digest, in whatever
digest the target compares), the delete rules (`--delete`, `--max-deletes`), the order
uploads happen in, and how a plan is printed. A plan lists every path the run will change:
on a target that is a tree of folders, a destination file in the way of a site folder (or
files under a name the site has as a file) is listed as `replace`, never shown as kept.
Must not: talk to any destination. Because the plan is always recomputed from what the
destination holds now, an interrupted publish is finished by running it again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

DEFAULT_MAX_DELETES = 100


@dataclass(frozen=True, slots=True)
class Plan:
    upload: tuple[str, ...]  # not at the destination yet
    update: tuple[str, ...]  # there, with other content
    delete: tuple[str, ...]  # there, not in the site, and --delete was given
    stale: tuple[str, ...]  # there, not in the site, kept (no --delete, or protected)
    unchanged: tuple[str, ...]
    replace: tuple[str, ...] = ()  # there, not in the site, in the way of a site path

    @property
    def changes(self) -> bool:
        return bool(self.upload or self.update or self.delete or self.replace)

    @property
    def removals(self) -> tuple[str, ...]:
        """Every destination path the run removes."""
        return (*self.replace, *self.delete)

    @property
    def writes(self) -> tuple[str, ...]:
        """Files to send, in a safe order (see `upload_order`)."""
        return upload_order([*self.upload, *self.update])

    def counts(self) -> str:
        return (
            f"{len(self.upload)} to upload, {len(self.update)} to update, "
            f"{len(self.delete)} to delete, {len(self.unchanged)} unchanged"
            + (f", {len(self.replace)} to replace" if self.replace else "")
            + (f", {len(self.stale)} stale kept" if self.stale else "")
        )


GENERATED = ("pagefind/",)


def make_plan(
    local: Mapping[str, str],
    remote: Mapping[str, str],
    *,
    delete: bool,
    keep: Collection[str] = (),
    tree: bool = True,
) -> Plan:
    """`local` and `remote` map paths to digests; equal digests mean equal content.

    `keep`: destination paths never deleted (a CNAME the publish does not manage).
    `tree`: the destination is folders and files (a folder, a git tree), where `a` and
    `a/b` cannot both exist; S3 keys are flat.
    """
    upload = sorted(p for p in local if p not in remote)
    update = sorted(p for p in local if p in remote and remote[p] != local[p])
    unchanged = sorted(p for p in local if p in remote and remote[p] == local[p])
    extra = sorted(p for p in remote if p not in local)
    in_way = set(in_the_way(local, extra)) if tree else set()
    # The search index is rebuilt whole by every build: its old fragments are always stale.
    removable = [
        p
        for p in extra
        if p not in in_way and p not in keep and (delete or p.startswith(GENERATED))
    ]
    stale = [p for p in extra if p not in removable and p not in in_way]
    return Plan(
        tuple(upload),
        tuple(update),
        tuple(removable),
        tuple(stale),
        tuple(unchanged),
        tuple(sorted(in_way)),
    )


def in_the_way(local: Collection[str], extra: Collection[str]) -> list[str]:
    """Paths of `extra` that must go for `local` to be written: a file where the site needs
    a folder (`api` for `api/x.json`), or one under a name the site has as a file."""
    folders = {p.rsplit("/", 1)[0] for p in local if "/" in p}
    folders |= {f.rsplit("/", i)[0] for f in folders for i in range(1, f.count("/") + 1)}
    files = set(local)
    out = []
    for path in extra:
        parents = path.split("/")[:-1]
        above = ("/".join(parents[: i + 1]) for i in range(len(parents)))
        if path in folders or any(parent in files for parent in above):
            out.append(path)
    return out


def too_many_deletes(plan: Plan, max_deletes: int) -> str | None:
    """The refusal message when the plan removes more than allowed, else None."""
    count = len(plan.removals)
    if count <= max_deletes:
        return None
    return (
        f"the plan deletes {count} files, more than --max-deletes {max_deletes}; "
        f"nothing was changed\n    hint: check the target is the right one, then rerun with "
        f"--max-deletes {count}"
    )


def upload_order(paths: Collection[str]) -> tuple[str, ...]:
    """Assets first, then pages, then what points at pages (feeds, sitemap, API, home).

    A visitor arriving mid-publish then never gets a page whose stylesheet is not there yet,
    and the home page and feeds announce new briefings only once their pages exist.
    """
    return tuple(sorted(paths, key=lambda p: (_rank(p), p)))


def phases(paths: Collection[str]) -> list[tuple[str, ...]]:
    """`upload_order` as groups: a target may send each group's files at once."""
    ordered = upload_order(paths)
    return [tuple(p for p in ordered if _rank(p) == rank) for rank in range(3)]


def _rank(path: str) -> int:
    if path.startswith("static/"):
        return 0
    if path == "index.html" or path.endswith(".xml") or path.startswith(("api/", "page/")):
        return 2
    return 1


def describe(plan: Plan, label: str, *, dry_run: bool, paths: bool = True) -> list[str]:
    """The plan as lines: a heading, one line per path (if `paths`), then the counts."""
    lines = [f"{'plan (dry run: nothing is changed)' if dry_run else 'publishing'} to {label}"]
    if paths:
        lines += [f"  upload  {p}" for p in upload_order(plan.upload)]
        lines += [f"  update  {p}" for p in upload_order(plan.update)]
        lines += [f"  replace {p} (in the way of a site file or folder)" for p in plan.replace]
        lines += [f"  delete  {p}" for p in plan.delete]
        lines += [f"  keep    {p} (not in the site)" for p in plan.stale]
    lines.append(plan.counts())
    return lines
