"""`git:REMOTE[#BRANCH]`: the site as a commit on a branch (default gh-pages), pushed.

Owns: a throwaway bare repository in a temporary folder, into which the branch tip is
fetched (depth 1). The plan compares git blob ids, so unchanged files are not even read
again. The new tree is the tip's tree with the plan applied (plumbing: hash-object,
update-index on a private index file, write-tree, commit-tree), committed on top of the tip
and pushed without force: history is kept, one commit per publish, and if the branch moved
meanwhile the push is refused and a rerun starts from the new tip. No commit is made when
nothing changed. `.nojekyll` is always published, `CNAME` when a domain is given (a CNAME
already on the branch is kept otherwise).
Every git command that names the remote or branch ends its options with `--` first, and
git may use only the file, git, http(s) and ssh protocols (GIT_ALLOW_PROTOCOL), so a remote
that reached this module past address.py's checks still cannot run a command.
Must not: touch the user's repository, working tree, index or current branch (the source
repository is only read, for the commit the site was built from), or store credentials.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from briefgen.publish.local import LocalFile, PublishError, memory_file
from briefgen.publish.plan import Plan
from briefgen.publish.scratch import make_scratch, remove_scratch

# git's own guard: any other protocol (ext::, fd::, remote helpers) is refused by git.
ALLOWED_PROTOCOLS = "file:git:http:https:ssh"
_TIP = "refs/briefgen/tip"
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# Variables that would point git at another repository than the one named by -C.
_REPO_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
_FALLBACK_IDENT = {
    "GIT_AUTHOR_NAME": "briefgen",
    "GIT_AUTHOR_EMAIL": "briefgen@localhost",
    "GIT_COMMITTER_NAME": "briefgen",
    "GIT_COMMITTER_EMAIL": "briefgen@localhost",
}


def redact(remote: str) -> str:
    """A remote URL without the password or token it may carry."""
    return re.sub(r"(://)[^/@]+@", r"\1***@", remote)


class GitTarget:
    def __init__(self, remote: str, branch: str, cname: str) -> None:
        """`remote` and `branch` as address.py parsed them (a local path made absolute)."""
        self.remote, self.branch = remote, branch
        self.cname = cname.strip()
        if self.cname and not _DOMAIN.match(self.cname):
            raise PublishError(f"`{self.cname}` is not a domain name such as news.example.org")
        self.label = f"git:{redact(self.remote)}#{self.branch}"
        self.keep: frozenset[str] = frozenset() if self.cname else frozenset({"CNAME"})
        self._tmp = make_scratch("publish")
        self._repo = self._tmp / "repo.git"
        self._env = {k: v for k, v in os.environ.items() if k not in _REPO_VARS}
        self._env["GIT_INDEX_FILE"] = str(self._tmp / "index")
        self._env["GIT_ALLOW_PROTOCOL"] = ALLOWED_PROTOCOLS
        self._tip: str | None = None

    tree = True

    def close(self) -> None:
        remove_scratch(self._tmp)

    def refusal(self, plan: Plan) -> str | None:
        return None  # what a publish replaces stays in the branch's history

    def has_work(self, plan: Plan) -> bool:
        return plan.changes

    def select(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        extra = [memory_file(".nojekyll", b"")]  # GitHub Pages: serve the files as they are
        if self.cname:
            extra.append(memory_file("CNAME", self.cname.encode() + b"\n"))
        return {**files, **{f.path: f for f in extra}}

    def digest(self, file: LocalFile) -> str:
        return file.git_blob

    def state(self, files: Mapping[str, LocalFile]) -> dict[str, str]:
        self._git("init", "-q", "--bare", str(self._repo), cwd=self._tmp)
        heads = self._git("ls-remote", "--heads", "--", self.remote, f"refs/heads/{self.branch}")
        if not heads.strip():
            return {}  # a new branch: everything is an upload
        self._git(
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "--",
            self.remote,
            f"+refs/heads/{self.branch}:{_TIP}",
        )
        self._tip = self._git("rev-parse", "--verify", _TIP).strip()
        listing = self._git("ls-tree", "-r", "-z", "--full-tree", self._tip)
        out: dict[str, str] = {}
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            mode, kind, sha = meta.split()
            # Only plain files can equal a site file; links and submodules always differ.
            out[path] = sha if kind == "blob" and mode in ("100644", "100755") else f"{mode}:{sha}"
        return out

    def apply(self, plan: Plan, files: Mapping[str, LocalFile], message: str) -> str:
        # Start from the published tree, so files the plan keeps stay as they are.
        self._git("read-tree", *([self._tip] if self._tip else ["--empty"]))
        writes = plan.writes
        shas = self._hash_objects([files[p] for p in writes])
        # Removals first (mode 0): a file in the way of a site folder goes before the folder's
        # files are added, so that the tree is exactly the plan.
        entries = [f"0 {'0' * 40}\t{path}" for path in (*plan.replace, *plan.delete)]
        entries += [f"100644 {sha}\t{path}" for path, sha in zip(writes, shas, strict=True)]
        # --replace: a file may take the place of a folder of the same name, or vice versa.
        self._git(
            "update-index", "--replace", "-z", "--index-info", input="\0".join(entries) + "\0"
        )
        tree = self._git("write-tree").strip()
        parents = ["-p", self._tip] if self._tip else []
        commit = self._git("commit-tree", tree, *parents, "-F", "-", input=message, ident=True)
        commit = commit.strip()
        refspec = f"{commit}:refs/heads/{self.branch}"
        self._git("push", "-q", "--", self.remote, refspec, push=True)
        return f"pushed {commit[:12]} to {self.label}"

    def _hash_objects(self, files: list[LocalFile]) -> list[str]:
        """Write the blobs in one `git hash-object` call; files in memory go via a file."""
        paths = []
        for index, f in enumerate(files):
            if f.source is None:
                path = self._tmp / f"memory-{index}"
                path.write_bytes(f.read())
                paths.append(str(path))
            else:
                paths.append(str(f.source))
        if not paths:
            return []
        out = self._git(
            "hash-object", "-w", "--no-filters", "--stdin-paths", input="\n".join(paths) + "\n"
        ).split()
        for f, sha in zip(files, out, strict=True):
            if sha != f.git_blob:
                raise PublishError(f"{f.source or f.path} changed while publishing; publish again")
        return out

    def _git(
        self,
        *args: str,
        cwd: Path | None = None,
        input: str | None = None,
        ident: bool = False,
        push: bool = False,
    ) -> str:
        env = dict(self._env)
        if ident and not _has_identity(self._repo, env):
            env.update(_FALLBACK_IDENT)
        command = ["git", *args] if cwd else ["git", "-C", str(self._repo), *args]
        try:
            done = subprocess.run(
                command, cwd=cwd, env=env, input=input, capture_output=True, text=True
            )
        except FileNotFoundError:
            raise PublishError("git is not installed (needed for git: targets)") from None
        if done.returncode != 0:
            detail = redact(done.stderr.strip() or done.stdout.strip())
            if push and ("non-fast-forward" in detail or "fetch first" in detail):
                raise PublishError(
                    f"{self.label} changed while publishing (someone else pushed); "
                    "nothing was pushed: publish again"
                )
            raise PublishError(f"git {args[0]} failed for {self.label}: {detail}")
        return done.stdout


def source_commit(root: Path) -> str:
    """The commit the site source is at ("1a2b3c4d5e6f", with "+changes" if dirty), or ""."""
    env = {k: v for k, v in os.environ.items() if k not in _REPO_VARS}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # `status` must not even refresh the user's index

    def run(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], env=env, capture_output=True, text=True
            )
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = run("rev-parse", "--short=12", "--verify", "-q", "HEAD")
    if not head:
        return ""
    dirty = run("status", "--porcelain", "--untracked-files=no")
    return head + ("+changes" if dirty else "")


def _has_identity(repo: Path, env: dict[str, str]) -> bool:
    """Whether git knows who commits (user.name/email, GIT_AUTHOR_* ...); CI often does not."""
    for var in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        done = subprocess.run(["git", "-C", str(repo), "var", var], env=env, capture_output=True)
        if done.returncode != 0:
            return False
    return True
