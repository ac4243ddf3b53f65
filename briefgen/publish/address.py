"""What a publish TARGET string names: a git remote, an S3 bucket or a local folder.

Owns: the accepted forms, parsing them, and refusing anything else before any tool runs:
unknown URL schemes (`ftp://x` is not a folder named `ftp:`), a malformed `s3:/bucket`,
anything that could reach a program as an option (a target, remote, host, path or branch
that begins with `-`: `git:--upload-pack=...`), and git's command-running transports
(`ext::`, `fd::` and every other `helper::address` form).
  git:REMOTE[#BRANCH]    anything git itself accepts as a remote, within those rules
  https://HOST/PATH.git, ssh://..., git@HOST:PATH.git  a git repository (the name says so)
  s3://BUCKET[/PREFIX]   S3 or an S3-compatible store
  anything else          a local folder (`./name` for a folder whose name looks like a URL)
Must not: contact anything or run any program; git.py adds its own guards (`--` before
every remote, an allow-list of protocols) in case a remote reaches it another way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_BRANCH = "gh-pages"
FORMS = (
    "git:REMOTE[#BRANCH]   a git remote: URL, user@host:path or a local repository",
    "https://HOST/PATH.git[#BRANCH], ssh://HOST/PATH.git, git@HOST:PATH.git",
    "s3://BUCKET[/PREFIX]  an S3 bucket (or --endpoint-url for an S3-compatible store)",
    "DIR                   a local folder (write ./NAME if the name looks like a URL)",
)
GIT_SCHEMES = ("https", "http", "ssh", "git", "file", "git+ssh", "ssh+git")
_ALWAYS_GIT = ("git", "git+ssh", "ssh+git")  # these schemes name a git repository by themselves
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_TRANSPORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")  # git's `<helper>::<address>`
_SCP = re.compile(r"^(?:(?P<user>[^@/:]+)@)?(?P<host>[^@/:]+|\[[^\]/]+\]):(?P<path>.*)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BUCKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")  # S3-compatible stores allow more
_BRANCH_PART = re.compile(r"^(?![.-])[A-Za-z0-9._+-]+(?<!\.lock)(?<!\.)$")


class UsageError(Exception):
    """The target or its options are wrong (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Address:
    kind: str  # "git", "s3" or "folder"
    location: str  # the remote, the s3:// URL, or the folder as written
    branch: str = ""  # git: the branch to publish to
    local: bool = False  # git: the remote is a path on this machine


def looks_like_address(text: str) -> bool:
    """Written as a target (URL, scp form, path) rather than a configured name."""
    return text.startswith(("-", "~", ".", "/")) or "/" in text or ":" in text


def parse_address(text: str) -> Address:
    """The destination `text` names; UsageError, with the accepted forms, if none."""
    _no_option(text, "target", hint=f"for a folder of that name write ./{text}")
    lowered = text.lower()
    if lowered.startswith("git:") and not lowered.startswith("git://"):
        return parse_git(text[4:])
    scheme = _SCHEME.match(text)
    if scheme:
        name = scheme.group(1).lower()
        if name == "s3":
            return Address("s3", _s3(text))
        if name in _ALWAYS_GIT:
            return parse_git(text)
        if name in GIT_SCHEMES:
            return _implicit_git(text)
        raise _unknown(text, f"`{name}://` is not a way briefgen publishes")
    if lowered.startswith("s3:"):
        bucket = text[3:].strip("/").split("/")[0] or "BUCKET"
        why = f"an S3 target is written s3://BUCKET[/PREFIX] (did you mean s3://{bucket}?)"
        raise _unknown(text, why)
    if _TRANSPORT.match(text):
        raise _transport(text)
    if _scp(text):
        return _implicit_git(text)
    return Address("folder", text)


def parse_git(spec: str) -> Address:
    """`REMOTE[#BRANCH]` after `git:`: anything git accepts, within the rules above."""
    remote, _, branch = spec.rpartition("#") if "#" in spec else (spec, "", "")
    if not remote:
        raise UsageError("a git target needs a remote: git:REMOTE[#BRANCH]")
    branch = branch or DEFAULT_BRANCH
    _no_option(remote, "git remote")
    _check_branch(branch)
    if _TRANSPORT.match(remote):
        raise _transport(remote)
    scheme = _SCHEME.match(remote)
    if scheme:
        name = scheme.group(1).lower()
        if name not in GIT_SCHEMES:
            raise UsageError(
                f"`{name}://` is not a git protocol briefgen uses in `{remote}`\n"
                f"    hint: use one of {', '.join(s + '://' for s in GIT_SCHEMES)}"
            )
        authority = remote[scheme.end() :].split("/", 1)[0]
        for part in re.split(r"[@:]", authority):
            _no_option(part, "host or user in a git URL")
        return Address("git", remote, branch)
    scp = _scp(remote)
    if scp:
        for part in (scp.group("user") or "", scp.group("host"), scp.group("path")):
            _no_option(part, "host, user or path in a git remote")
        return Address("git", remote, branch)
    return Address("git", remote, branch, local=True)


def _implicit_git(text: str) -> Address:
    """A URL or scp form without `git:`: a git repository only when its name says so."""
    remote = text.rpartition("#")[0] if "#" in text else text
    scp = _scp(remote)
    user = scp.group("user") if scp else ""
    if remote.rstrip("/").endswith(".git") or user == "git":
        return parse_git(text)
    raise _unknown(
        text,
        f"`{remote}` does not name a git repository (no .git), and briefgen does not copy "
        f"files over ssh or http\n    hint: if it is a git repository, write git:{text}",
    )


def _scp(text: str) -> re.Match[str] | None:
    """git's scp-like syntax: a colon before any slash (`./a:b` is a path, as in git)."""
    match = _SCP.match(text)
    if match is None or _SCHEME.match(text) or len(match.group("host")) == 1:
        return None  # one letter before the colon: a Windows drive, as git reads it
    return match


def _s3(url: str) -> str:
    rest = url[len("s3://") :]
    bucket = rest.split("/", 1)[0]
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise UsageError(
            f"`{url}` does not name an S3 bucket (3-63 lower-case letters, digits, `.` or `-`)"
            "\n    hint: write s3://BUCKET[/PREFIX]"
        )
    return "s3://" + rest


def _check_branch(branch: str) -> None:
    parts = branch.split("/")
    if branch.startswith("-") or not all(_BRANCH_PART.match(p) for p in parts) or ".." in branch:
        raise UsageError(
            f"`{branch}` is not a branch name briefgen publishes to\n"
            "    hint: letters, digits and `._+-/`, not starting with `-` or `.`, e.g. #gh-pages"
        )


def _no_option(text: str, what: str, hint: str = "") -> None:
    if _CONTROL.search(text):
        raise UsageError(f"the {what} `{text!r}` contains control characters")
    if text.startswith("-"):
        more = f"\n    hint: {hint}" if hint else ""
        raise UsageError(
            f"refusing the {what} `{text}`: it begins with `-`, so a program would read it "
            f"as an option{more}"
        )


def _transport(text: str) -> UsageError:
    helper = text.split("::", 1)[0]
    return UsageError(
        f"refusing the git remote `{text}`: `{helper}::` hands the address to a git remote "
        "helper (`ext::` runs any command)\n    hint: use an https://, ssh:// or "
        "user@host:path remote, or a local path"
    )


def _unknown(text: str, why: str) -> UsageError:
    forms = "".join(f"\n      {form}" for form in FORMS)
    return UsageError(f"cannot publish to `{text}`: {why}\n    accepted targets:{forms}")
