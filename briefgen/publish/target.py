"""Publish targets: what `briefgen publish TARGET` names, and the interface each one has.

Owns: turning the TARGET argument, the `publish:` section of briefgen.yaml and the flags
into Settings (a configured name, or a literal target: see address.py for the forms), checking
them, and opening the matching target module.
Must not: contact a destination, or read credentials: those come from the environment and
the tools' own configuration, never from briefgen.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from briefgen.config import SiteConfig, type_message
from briefgen.diagnostics import closest
from briefgen.publish.address import Address, UsageError, looks_like_address, parse_address
from briefgen.publish.local import LocalFile
from briefgen.publish.plan import DEFAULT_MAX_DELETES, Plan

__all__ = ["Settings", "Target", "UsageError", "open_target", "resolve"]


class Target(Protocol):
    label: str  # for messages; never shows credentials
    keep: frozenset[str]  # destination paths the plan must not delete
    tree: bool  # folders and files (a path cannot be both), not flat keys

    def select(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        """The files this target publishes (a target may add or leave out some)."""
        ...

    def digest(self, file: LocalFile) -> str:
        """The digest `state` reports for a destination file with these bytes."""
        ...

    def state(self, files: Mapping[str, LocalFile]) -> dict[str, str]:
        """What the destination holds now: path -> digest."""
        ...

    def apply(self, plan: Plan, files: Mapping[str, LocalFile], message: str) -> str:
        """Carry out the plan; return a line saying what was done."""
        ...

    def refusal(self, plan: Plan) -> str | None:
        """Why this plan must not be carried out here (dry run or not), or None."""
        ...

    def has_work(self, plan: Plan) -> bool:
        """Whether `apply` has anything to do (the plan's changes, or the target's own
        bookkeeping)."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Settings:
    target: str
    name: str = ""  # the configured name, if any
    delete: bool = False
    max_deletes: int = DEFAULT_MAX_DELETES
    cname: str = ""
    endpoint_url: str = ""
    region: str = ""
    force: bool = False
    address: Address | None = None  # set by `resolve`, from `target`

    @property
    def kind(self) -> str:
        return self.address.kind if self.address else "folder"


_KEYS = {
    "target": str,
    "delete": bool,
    "max_deletes": int,
    "cname": str,
    "endpoint_url": str,
    "region": str,
    "force": bool,
}
_ONLY_FOR = {"cname": "git", "endpoint_url": "s3", "region": "s3"}
_SECRET_WORDS = ("secret", "password", "token", "access_key", "credential", "session")


def resolve(
    arg: str | None, configured: Mapping[str, Any], overrides: Mapping[str, Any]
) -> Settings:
    """Settings for `arg` (a configured name or a literal target) with flags applied."""
    names = sorted(str(k) for k in configured)
    if arg is None:
        if len(names) != 1:
            listed = ", ".join(names) or "none in briefgen.yaml"
            raise UsageError(f"name a target (configured: {listed})")
        arg = names[0]
    if arg in configured:
        settings = _from_config(arg, configured[arg])
    elif _literal(arg):
        settings = Settings(target=arg)
    else:
        guess = closest(arg, names)
        hint = f"did you mean `{guess}`? " if guess else ""
        raise UsageError(
            f"unknown publish target `{arg}` (configured: {', '.join(names) or 'none'})\n"
            f"    hint: {hint}to publish into a new folder, write ./{arg}"
        )
    settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    try:
        settings = replace(settings, address=parse_address(settings.target))
    except UsageError as exc:
        where = f"briefgen.yaml: publish.{settings.name}.target: " if settings.name else ""
        raise UsageError(where + str(exc)) from None
    for key, kind in _ONLY_FOR.items():
        if getattr(settings, key) and settings.kind != kind:
            raise UsageError(f"`{key}` applies to {kind} targets only, not {settings.target}")
    if settings.max_deletes < 0:
        raise UsageError("--max-deletes must be 0 or more")
    return settings


def open_target(settings: Settings, config: SiteConfig) -> Target:
    """The target, checked but not contacted yet. Local paths in briefgen.yaml are relative
    to the site folder; on the command line, to the current folder."""
    # Imported here so that a missing optional dependency (boto3) affects S3 targets only.
    base = config.root if settings.name else Path.cwd()
    address = settings.address or parse_address(settings.target)
    if address.kind == "git":
        from briefgen.publish.git import GitTarget

        remote = str(base / Path(address.location).expanduser()) if address.local else None
        return GitTarget(remote or address.location, address.branch, settings.cname)
    if address.kind == "s3":
        from briefgen.publish.s3 import S3Target

        return S3Target(address.location, settings.endpoint_url, settings.region)
    from briefgen.publish.folder import FolderTarget

    dest = base / Path(address.location).expanduser()
    return FolderTarget(dest, config, force=settings.force or settings.delete)


def _literal(arg: str) -> bool:
    """Written as a target rather than a name: a URL, a path, or an existing folder."""
    return looks_like_address(arg) or Path(arg).is_dir()


def _from_config(name: str, entry: Any) -> Settings:
    where = f"briefgen.yaml: publish.{name}"
    if isinstance(entry, str):
        entry = {"target": entry}
    if not isinstance(entry, Mapping) or not isinstance(entry.get("target"), str):
        raise UsageError(f"{where} needs a `target:` such as s3://bucket or git:REMOTE")
    values: dict[str, Any] = {}
    for key, value in entry.items():
        key = str(key)
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise UsageError(
                f"{where}.{key}: credentials are never read from briefgen.yaml\n"
                "    hint: remove it; use the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE) "
                "or your git credential helper or SSH key"
            )
        expected = _KEYS.get(key)
        if expected is None:
            guess = closest(key, _KEYS)
            hint = f"did you mean `{guess}`?" if guess else "known keys: " + ", ".join(_KEYS)
            raise UsageError(f"{where}: unknown key `{key}`\n    hint: {hint}")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise UsageError(f"{where}: {type_message(key, expected, value)}")
        values[key] = value
    return Settings(name=name, **values)
