"""The write stage: the only code that touches the output folder.

Owns: putting OutputFiles on disk safely. A build that changes many files writes into a
staging folder beside the output and swaps it in only when complete (one atomic exchange
where the OS offers it), so an interrupted build leaves the previous site whole; the next
build removes what an interrupted one left behind. Unchanged files are hard-linked from the
previous output instead of rewritten. A build that changes few files (and the dev server)
writes those beside their targets first and renames them in only when all are written. A
manifest records what briefgen wrote; nothing else is deleted or overwritten, and symlinks
inside the output are never followed.
Must not: write or delete anything outside the output folder and its staging siblings, or
raise on a bad plan: problems come back as Diagnostics in WriteStats.problems, with nothing
written.

    checks.py    what may be written where (refusals, safe paths, plan conflicts)
    manifest.py  the record of what briefgen wrote, and digests
    staged.py    a build: stage beside the output and swap in (or commit in place)
    siblings.py  staging folders beside the output: naming, marking, removing, leftovers
    inplace.py   a build that changes few files, and the dev server: commit them in place
"""

from briefgen.write.checks import WriteStats, check_output, plan_problems, safe_path
from briefgen.write.inplace import write_changed
from briefgen.write.manifest import MANIFEST, read_manifest, read_preview
from briefgen.write.siblings import clean_leftovers, has_leftovers
from briefgen.write.staged import write_site

__all__ = [
    "MANIFEST",
    "WriteStats",
    "check_output",
    "clean_leftovers",
    "has_leftovers",
    "plan_problems",
    "read_manifest",
    "read_preview",
    "safe_path",
    "write_changed",
    "write_site",
]
