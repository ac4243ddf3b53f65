"""Command line: argument parsing, printing and exit codes only.

Exit codes: 0 success, 1 the input has errors, 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from briefgen import __version__
from briefgen.commands import (
    build_and_report,
    build_with_progress,
    environment,
    report,
    site_config,
)
from briefgen.config import CONFIG_FILE, SiteConfig, overlay_path
from briefgen.diagnostics import as_strict, sorted_diagnostics
from briefgen.model import BRIEFING_TYPES
from briefgen.options import CHECK, PUBLISH, BuildOptions

# What a command imports is imported when it runs: a build with nothing to do is done in
# less time than importing the whole pipeline (Jinja, markdown-it, the dev server) takes.
CORE = ("build", "check", "init", "new")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(extensions=_command_word(argv) not in CORE)
    args = parser.parse_args(argv)
    problem = usage_problem(args)
    if problem:
        print(f"briefgen {args.command}: error: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.getLogger("briefgen").setLevel(level)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def usage_problem(args: argparse.Namespace) -> str:
    """What is wrong with the command line that argparse cannot see ("" if nothing)."""
    source = getattr(args, "source", None)
    if source is not None and not Path(source).is_dir():
        what = "is not a folder" if Path(source).exists() else "does not exist"
        return f"--source {source} {what}"
    if not hasattr(args, "base_url"):  # init, new: no configuration options
        return ""
    if args.base_url and not _absolute_url(args.base_url):
        return f"--base-url {args.base_url}: give an absolute URL such as https://example.org/docs/"
    config = Path(args.config) if args.config is not None else None
    if config is not None and not config.is_file():
        return f"--config {config}: no such file"
    env, origin = environment(args)
    if env:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", env):
            return f"{origin} {env!r}: an environment name is letters, digits, - and _"
        base = config if config is not None else Path(source or ".") / CONFIG_FILE
        overlay = overlay_path(base, env)
        if not overlay.is_file():
            return (
                f"{origin} {env}: there is no {overlay} to merge over {base.name}\n"
                f"    hint: create it (only the keys that differ), or unset {origin}"
            )
    return ""


def _absolute_url(url: str) -> bool:
    scheme, _, rest = url.partition("://")
    return scheme in ("http", "https") and bool(rest.split("/", 1)[0])


def _command_word(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(*, extensions: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgen", description="Build policy briefing sites.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    _common_args(parser, False)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the site into the output folder")
    _site_args(p)
    _include_args(p)
    _strict_arg(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "check",
        help="validate everything; print all problems",
        description="Build without writing: every file is read and checked (drafts too); "
        "the briefings counted are those `build` with the same options would build.",
    )
    _site_args(p)
    _include_args(p)
    _strict_arg(p)
    p.add_argument(
        "--explain",
        metavar="FILE",
        help="explain topics and summary of one file (or slug; ru/SLUG: the Russian one)",
    )
    p.add_argument(
        "--external", action="store_true", help="also fetch external links; report dead ones"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "init",
        help="start a new site in DIR",
        description="Start a new site: briefgen.yaml, a small topics.yaml and one briefing.",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to create (new, or empty)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "new",
        help="write a new briefing with front matter filled in",
        description="Write content/<year>/<slug>.md (a draft unless --no-draft). Run it "
        "inside a site (a folder with briefgen.yaml, or below one); never replaces a file.",
    )
    p.add_argument("title", help='the briefing\'s title, e.g. "EU–Central Asia: 2026 review"')
    p.add_argument("--topic", action="append", default=[], help="topic id or name (repeatable)")
    p.add_argument("--type", default="brief", choices=list(BRIEFING_TYPES))
    p.add_argument("--author", action="append", default=[], help="author name (repeatable)")
    p.add_argument("--date", help="YYYY-MM-DD or ISO 8601 date-time (default today)")
    p.add_argument("--slug", help="the URL name (default: made from the title)")
    p.add_argument(
        "--draft",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="write draft: true (default; --no-draft: ready to publish once written)",
    )
    p.add_argument("--source", type=Path, help="site folder (default: the one you are in)")
    p.set_defaults(func=cmd_new)

    for register in _extensions() if extensions else []:
        register(sub)
    for name in ("serve", "publish"):  # they build too: with the same configuration options
        if name in sub.choices:
            env_args(sub.choices[name])
    for command in sub.choices.values():  # `briefgen build -v` as well as `briefgen -v build`
        _common_args(command, argparse.SUPPRESS)
    return parser


def _common_args(p: argparse.ArgumentParser, default: object) -> None:
    """-v and -q, before or after the subcommand. A subcommand's copy has no default (it
    would overwrite what was given before the subcommand)."""
    p.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="print stage timings"
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help="print errors only (no warnings, summary or progress)",
    )


def _include_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drafts", action="store_true", help="include drafts")
    p.add_argument(
        "--future",
        action="store_true",
        help="include briefings dated or scheduled (publish_at:, embargo:) later than now",
    )
    p.add_argument(
        "--expired", action="store_true", help="include briefings past expires: / unpublish:"
    )


def _options(args: argparse.Namespace, base: BuildOptions = PUBLISH) -> BuildOptions:
    """`base` with --drafts, --future, --expired and --strict as given."""
    return replace(
        base,
        drafts=True if args.drafts else None,
        future=args.future,
        expired=args.expired,
        strict=args.strict,
    )


def _strict_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="treat every warning as an error (for CI)")


def _extensions():
    """Subcommands that live with their own stage (serve, publish)."""
    from briefgen.publish.command import register as publish
    from briefgen.serve.command import register as serve

    return [serve, publish]


def _site_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    p.add_argument("--output", type=Path, help="output folder (default: site/ in the source)")
    env_args(p)


def env_args(p: argparse.ArgumentParser) -> None:
    """--config, --env and --base-url: which configuration a command builds with."""
    p.add_argument(
        "--config", type=Path, metavar="FILE", help="config file (default: briefgen.yaml)"
    )
    p.add_argument(
        "--env",
        metavar="NAME",
        help="merge briefgen.NAME.yaml over the config (default: $BRIEFGEN_ENV)",
    )
    p.add_argument(
        "--base-url", metavar="URL", help="the URL the site is published at (overrides base_url)"
    )


def cmd_build(args: argparse.Namespace) -> int:
    config, diags = site_config(args)
    options = _options(args)
    return _built(config, ok=build_and_report(config, options, diags, quiet=args.quiet), args=args)


def _built(config: SiteConfig, *, ok: bool, args: argparse.Namespace) -> int:
    """The last line of a build, and its exit code."""
    if not ok:
        why = " (--strict: warnings are errors)" if args.strict else ""
        print(f"build failed{why}: the previous site was left untouched", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"site written to {config.output_path}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    config, diags = site_config(args)
    options = _options(args, CHECK)
    if args.explain:  # any file can be explained: a draft, a scheduled one
        options = replace(options, drafts=True, future=True, expired=True)
    result = build_with_progress(config, options, diags, quiet=args.quiet)
    if result.rendered is not None:  # the theme words a language's catalogue lacks
        from briefgen.localise.catalog import missing_entries

        lacking = missing_entries(config)
        found = [*result.diagnostics, *(as_strict(lacking) if args.strict else lacking)]
        result = replace(result, diagnostics=tuple(sorted_diagnostics(found)))
    if getattr(args, "external", False) and result.rendered is not None:
        from briefgen.external import check_external
        from briefgen.render.linkcheck import links_in

        dead = check_external(links_in(result.rendered.files, result.site), config.base_url)
        found = [*result.diagnostics, *(as_strict(dead) if args.strict else dead)]
        result = replace(result, diagnostics=tuple(sorted_diagnostics(found)))
    report(result, quiet=args.quiet)
    if args.explain and result.site:
        from briefgen.explain import explain

        text = explain(result.sites or (result.site,), args.explain)
        if text is None:
            print(f"{args.explain}: no such briefing in the site", file=sys.stderr)
            return 2
        print(text)
    return 0 if result.ok else 1


def cmd_init(args: argparse.Namespace) -> int:
    from briefgen.scaffold import init_site

    problems = init_site(args.dir)
    for p in sorted_diagnostics(problems):
        print(p.format(), file=sys.stderr)
    if problems:
        return 1
    print(f"new site in {args.dir}: cd {args.dir} && briefgen build", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from briefgen.load.dates import parse_date
    from briefgen.scaffold import NewBriefing, find_site, new_briefing
    from briefgen.slug import is_slug, slugify

    root = Path(args.source) if args.source is not None else find_site(Path.cwd())
    if root is None or not (root / CONFIG_FILE).is_file():
        where = root or Path.cwd()
        print(
            f"briefgen new: error: {where} is not in a site (no {CONFIG_FILE} here or above)\n"
            "    hint: cd into your site, give --source DIR, or start one with briefgen init DIR",
            file=sys.stderr,
        )
        return 2
    if args.date is not None and parse_date(args.date)[0] is None:
        print(f"briefgen new: error: --date: {parse_date(args.date)[1]}", file=sys.stderr)
        return 2
    if args.slug is not None and not is_slug(args.slug):
        print(
            f"briefgen new: error: --slug `{args.slug}` is not URL-safe "
            f"(lowercase letters, digits, hyphens); try --slug {slugify(args.slug)}",
            file=sys.stderr,
        )
        return 2
    spec = NewBriefing(
        args.title,
        tuple(args.topic),
        args.type,
        tuple(args.author),
        args.date or "",
        args.slug or "",
        args.draft,
    )
    path, problems = new_briefing(root, spec)
    for p in problems:
        print(p.format(), file=sys.stderr)
    if path is None:
        return 1
    print(path)
    return 0
