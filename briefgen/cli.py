"""Command line: argument parsing, printing and exit codes only.

Exit codes: 0 success, 1 the input has errors, 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefgen import __version__, uptodate
from briefgen.config import SiteConfig, load_config
from briefgen.diagnostics import Diagnostic, sorted_diagnostics, summary_line

if TYPE_CHECKING:
    from briefgen.pipeline import BuildResult

# What a command imports is imported when it runs: a build with nothing to do is done in
# less time than importing the whole pipeline (Jinja, markdown-it, the dev server) takes.
CORE = ("build", "check", "init", "new")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(extensions=_command_word(argv) not in CORE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("briefgen").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _command_word(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(*, extensions: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgen", description="Build policy briefing sites.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="print stage timings")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the site into the output folder")
    _site_args(p)
    p.add_argument("--drafts", action="store_true", help="include drafts")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="validate everything; print all problems")
    _site_args(p)
    p.add_argument("--explain", metavar="FILE", help="explain topics and summary of one file")
    p.add_argument(
        "--external", action="store_true", help="also fetch external links; report dead ones"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("init", help="start a new site in DIR")
    p.add_argument("dir", type=Path)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("new", help="write a new briefing with front matter filled in")
    p.add_argument("title")
    p.add_argument("--topic", action="append", default=[], help="topic id (repeatable)")
    p.add_argument("--type", default="brief", choices=["brief", "analysis", "report", "commentary"])
    p.add_argument("--author", action="append", default=[])
    p.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    p.set_defaults(func=cmd_new)

    for register in _extensions() if extensions else []:
        register(sub)
    return parser


def _extensions():
    """Subcommands that live with their own stage (serve, publish)."""
    from briefgen.publish.command import register as publish
    from briefgen.serve.command import register as serve

    return [serve, publish]


def _site_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    p.add_argument("--output", type=Path, help="output folder (default: site/ in the source)")


def site_config(
    args: argparse.Namespace, **overrides: object
) -> tuple[SiteConfig, list[Diagnostic]]:
    values = {k: v for k, v in overrides.items() if v is not None}
    if getattr(args, "output", None) is not None:
        values["output_dir"] = str(Path(args.output).absolute())
    return load_config(Path(args.source).absolute(), values)


def report(result: BuildResult, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for d in result.diagnostics:
        print(d.format(), file=stream)
    print(result.summary_line(), file=stream)


def cmd_build(args: argparse.Namespace) -> int:
    config, diags = site_config(args, drafts=True if args.drafts else None)
    started = time.perf_counter()
    inputs = uptodate.inputs_key(config)
    stamp = uptodate.check(config, inputs)
    if stamp is not None:  # what `build` would find first, without importing the pipeline
        for d in stamp.diagnostics:
            print(d.format(), file=sys.stderr)
        seconds = time.perf_counter() - started
        counts = (stamp.briefings, stamp.topics)
        print(summary_line(counts, stamp.diagnostics, seconds, up_to_date=True), file=sys.stderr)
        print(f"site written to {config.output_path}", file=sys.stderr)
        return 0  # a stamp is saved only for a build without errors
    from briefgen.pipeline import build

    result = build(config, config_diags=diags, inputs=inputs)
    report(result)
    if not result.ok:
        print("build failed: the previous site was left untouched", file=sys.stderr)
        return 1
    print(f"site written to {config.output_path}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from briefgen.pipeline import build

    config, diags = site_config(args, drafts=True)
    result = build(config, write=False, config_diags=diags)
    if getattr(args, "external", False) and result.rendered is not None:
        from briefgen.external import check_external
        from briefgen.render.linkcheck import links_in

        dead = check_external(links_in(result.rendered.files, result.site), config.base_url)
        result = replace(
            result, diagnostics=tuple(sorted_diagnostics([*result.diagnostics, *dead]))
        )
    report(result)
    if args.explain and result.site:
        from briefgen.explain import explain

        text = explain(result.site, args.explain)
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
    from briefgen.scaffold import new_briefing

    path, problems = new_briefing(Path(args.source), args.title, args.topic, args.type, args.author)
    for p in problems:
        print(p.format(), file=sys.stderr)
    if path is None:
        return 1
    print(path)
    return 0
