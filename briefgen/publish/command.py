"""`briefgen publish TARGET`: build, check, plan, then carry out the plan.

Owns: the publish subcommand's arguments, its order of steps and its messages.
  1. settings: TARGET (a name under `publish:` in briefgen.yaml, or a literal target) + flags
  2. build without drafts (or, with --no-build, take the output folder as it is); a dry run
     builds into a temporary folder and without the cache, so it changes nothing anywhere
  3. refuse a build with errors, an unreadable or altered output, or a preview (drafts,
     serve mode: the manifest says so; drafts in the API)
  4. plan from what the destination holds now; print it; refuse too many deletes, or what
     the target refuses (a folder holding files briefgen did not publish)
  5. unless --dry-run, apply the plan: the same checks ran, so it does what was printed
SIGTERM is handled like Ctrl-C, so temporary folders go with an interrupted publish (and
scratch.py removes those of a killed one on the next run).
Exit codes: 0 published (or nothing to do), 1 refused or failed, 2 bad target or options,
130 interrupted.
Must not: know how any target works beyond the Target interface.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType

from briefgen import __version__
from briefgen.commands import build_and_report, site_config
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic
from briefgen.options import BuildOptions
from briefgen.publish.git import source_commit
from briefgen.publish.local import Built, PublishError, read_built
from briefgen.publish.plan import Plan, describe, make_plan, too_many_deletes
from briefgen.publish.scratch import make_scratch, remove_scratch
from briefgen.publish.target import Settings, Target, UsageError, open_target, resolve


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help="build and upload the site: git:REMOTE[#BRANCH], s3://BUCKET[/PREFIX] or DIR",
        description="Build the site without drafts and publish only what changed. TARGET is "
        "a name under `publish:` in briefgen.yaml, git:REMOTE[#BRANCH] (default branch "
        "gh-pages), a git URL ending in .git (https://, ssh://, git@host:path.git), "
        "s3://BUCKET[/PREFIX], or a folder.",
    )
    p.add_argument(
        "target", nargs="?", metavar="TARGET", help="configured name, git:/s3:// URL or folder"
    )
    p.add_argument(
        "--source", type=Path, default=Path("."), metavar="DIR", help="site folder (default .)"
    )
    p.add_argument(
        "--output", type=Path, metavar="DIR", help="output folder (default: site/ in the source)"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan; change nothing anywhere (the build goes to a temporary folder)",
    )
    p.add_argument(
        "--no-build", action="store_true", help="publish the output folder as last built"
    )
    p.add_argument(
        "--delete",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="delete files at the target that are not in the site (default: keep them)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        default=None,
        help="folder targets: publish into a folder holding files briefgen did not publish, "
        "keeping those not in the site (default: refuse)",
    )
    p.add_argument(
        "--max-deletes",
        type=int,
        metavar="N",
        help="refuse to publish if more than N files would be deleted (default 100)",
    )
    p.add_argument("--cname", metavar="DOMAIN", help="git targets: custom domain for CNAME")
    p.add_argument(
        "--endpoint-url", metavar="URL", help="S3 targets: endpoint of an S3-compatible store"
    )
    p.add_argument("--region", help="S3 targets: region of the bucket")
    p.add_argument("--strict", action="store_true", help="treat every warning as an error (for CI)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config, config_diags = site_config(args)
    overrides = {
        "delete": args.delete,
        "max_deletes": args.max_deletes,
        "cname": args.cname,
        "endpoint_url": args.endpoint_url,
        "region": args.region,
        "force": args.force,
    }
    try:
        settings = resolve(args.target, config.publish, overrides)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if settings.force and settings.kind != "folder":
        print("error: --force applies to folder targets only", file=sys.stderr)
        return 2
    with _sigterm_as_interrupt():
        return _run(args, settings, config, config_diags)


def _run(
    args: argparse.Namespace, settings: Settings, config: SiteConfig, diags: list[Diagnostic]
) -> int:
    try:
        target = open_target(settings, config)  # before building: a bad target fails fast
    except PublishError as exc:
        print(f"publish refused: {exc}", file=sys.stderr)
        return 1
    scratch = make_scratch("dry-run") if args.dry_run and not args.no_build else None
    try:
        if scratch is not None:  # the same build, where it changes nothing of the user's
            config = replace(config, output_dir=str(scratch / "site"))
        built = _built(args, config, diags, use_cache=scratch is None)
        if built is None:
            return 1
        verbose = bool(getattr(args, "verbose", False))
        return _publish(target, settings, config, built, args.dry_run, verbose)
    except (PublishError, OSError) as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    finally:
        target.close()
        if scratch is not None:
            remove_scratch(scratch)


def _built(
    args: argparse.Namespace,
    config: SiteConfig,
    config_diags: list[Diagnostic],
    *,
    use_cache: bool = True,
) -> Built | None:
    """The build to publish, or None after saying why there is none."""
    if args.no_build:
        errors = [d for d in config_diags if d.is_error]
        for d in errors:
            print(d.format(), file=sys.stderr)
        if errors:
            print("publish refused: briefgen.yaml has errors", file=sys.stderr)
            return None
    else:
        # release: placeholder text left by `briefgen new` is an error here
        strict = bool(getattr(args, "strict", False))
        options = BuildOptions(drafts=False, strict=strict, release=True, cache=use_cache)
        if not build_and_report(
            config, options, config_diags, quiet=bool(getattr(args, "quiet", False))
        ):
            print("publish refused: the build has errors; nothing was published", file=sys.stderr)
            return None
    built, problems = read_built(config.output_path)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if built is None:
        print("publish refused: the output folder cannot be published", file=sys.stderr)
        return None
    if built.drafts or built.preview:
        flags = ("serve",) if "serve" in built.preview else built.preview  # says it all
        what = [_PREVIEW.get(flag, flag) for flag in flags]
        if built.drafts:
            shown = ", ".join(built.drafts[:5]) + (" ..." if len(built.drafts) > 5 else "")
            what = [w for w in what if w != _PREVIEW["drafts"]] + [f"includes drafts ({shown})"]
        print(
            f"publish refused: the build in {config.output_path} is a preview: "
            f"{'; '.join(what)}\n    hint: publish without --no-build (publish always builds "
            "without drafts), or run `briefgen build` first",
            file=sys.stderr,
        )
        return None
    return built


_PREVIEW = {
    "drafts": "built with --drafts",
    "future": "built with --future (scheduled briefings)",
    "expired": "built with --expired",
    "serve": "the dev server's output (serve mode)",
}


def _publish(
    target: Target,
    settings: Settings,
    config: SiteConfig,
    built: Built,
    dry_run: bool,
    verbose: bool,
) -> int:
    started = time.perf_counter()
    files = target.select(built.files)
    remote = target.state(files)
    local = {path: target.digest(f) for path, f in files.items()}
    plan = make_plan(local, remote, delete=settings.delete, keep=target.keep, tree=target.tree)
    for line in describe(plan, target.label, dry_run=dry_run, paths=dry_run or verbose):
        print(line)
    refusal = target.refusal(plan) or too_many_deletes(plan, settings.max_deletes)
    if refusal:
        print(f"publish refused: {refusal}", file=sys.stderr)
        return 1
    if plan.stale and not settings.delete:
        print(
            f"note: {len(plan.stale)} files at the target are not in the site; "
            "--delete removes them",
            file=sys.stderr,
        )
    if dry_run:
        return 0
    if not target.has_work(plan):
        print(f"nothing changed: {target.label} already has this site", file=sys.stderr)
        return 0
    message = _message(config.root, built, plan) if settings.kind == "git" else ""
    done = target.apply(plan, files, message)
    print(f"published: {done} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _message(root: Path, built: Built, plan: Plan) -> str:
    """The commit message (git targets): what was published, by what, from which source."""
    source = source_commit(root)
    count = f"{built.briefings} briefing{'s' * (built.briefings != 1)}"
    subject = f"Publish {count} (briefgen {__version__})" + (f" from {source}" if source else "")
    body = f"{len(plan.upload)} added, {len(plan.update)} updated, {len(plan.delete)} deleted."
    return f"{subject}\n\n{body}\n"


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill` stops a publish as Ctrl-C does: `finally` blocks remove temporary folders."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
