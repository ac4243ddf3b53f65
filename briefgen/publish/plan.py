"""The publish plan: what to upload, update and delete, computed from both sides' state.

Owns: comparing the local files with the destination (both as path -> digest, in whatever
digest the target compares), the delete rules (`--delete`, `--max-deletes`), the order
uploads happen in, and how a plan is printed.
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

    @property
    def changes(self) -> bool:
        return bool(self.upload or self.update or self.delete)

    @property
    def writes(self) -> tuple[str, ...]:
        """Files to send, in a safe order (see `upload_order`)."""
        return upload_order([*self.upload, *self.update])

    def counts(self) -> str:
        return (
            f"{len(self.upload)} to upload, {len(self.update)} to update, "
            f"{len(self.delete)} to delete, {len(self.unchanged)} unchanged"
            + (f", {len(self.stale)} stale kept" if self.stale else "")
        )


GENERATED = ("pagefind/",)


def make_plan(
    local: Mapping[str, str],
    remote: Mapping[str, str],
    *,
    delete: bool,
    keep: Collection[str] = (),
) -> Plan:
    """`local` and `remote` map paths to digests; equal digests mean equal content.

    `keep`: destination paths never deleted (a CNAME the publish does not manage).
    """
    upload = sorted(p for p in local if p not in remote)
    update = sorted(p for p in local if p in remote and remote[p] != local[p])
    unchanged = sorted(p for p in local if p in remote and remote[p] == local[p])
    extra = sorted(p for p in remote if p not in local)
    # The search index is rebuilt whole by every build: its old fragments are always stale.
    removable = [p for p in extra if p not in keep and (delete or p.startswith(GENERATED))]
    stale = [p for p in extra if p not in removable]
    return Plan(tuple(upload), tuple(update), tuple(removable), tuple(stale), tuple(unchanged))


def too_many_deletes(plan: Plan, max_deletes: int) -> str | None:
    """The refusal message when the plan deletes more than allowed, else None."""
    if len(plan.delete) <= max_deletes:
        return None
    return (
        f"the plan deletes {len(plan.delete)} files, more than --max-deletes {max_deletes}; "
        f"nothing was changed\n    hint: check the target is the right one, then rerun with "
        f"--max-deletes {len(plan.delete)}"
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
        lines += [f"  delete  {p}" for p in plan.delete]
        lines += [f"  keep    {p} (not in the site)" for p in plan.stale]
    lines.append(plan.counts())
    return lines
