"""What the subcommands share: the config from their arguments, the up-to-date short cut
around a build, and printing a build's problems and summary.

Owns: the CLI layer's common part, so that cli.py, serve/command.py and publish/command.py
each import it rather than one another. The short cut lives here, outside
`pipeline.build`: when nothing changed since the last good build of the same kind
(uptodate.py; the options are part of its key), nothing is built and the pipeline is not
even imported.
Must not: declare arguments (each command does) or build but through `pipeline.build`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefgen import uptodate
from briefgen.config import SiteConfig, load_config
from briefgen.diagnostics import Diagnostic, summary_line
from briefgen.options import BuildOptions

if TYPE_CHECKING:
    from briefgen.pipeline import BuildResult


def environment(args: argparse.Namespace) -> tuple[str, str]:
    """(environment name, where it came from): --env, else $BRIEFGEN_ENV, else none."""
    if getattr(args, "env", None):
        return str(args.env), "--env"
    return os.environ.get("BRIEFGEN_ENV", "").strip(), "BRIEFGEN_ENV"


def site_config(
    args: argparse.Namespace, **overrides: object
) -> tuple[SiteConfig, list[Diagnostic]]:
    """The config of the site in --source, with --config, --env, --output, --base-url and
    `overrides` (None: not given)."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if getattr(args, "output", None) is not None:
        values["output_dir"] = str(Path(args.output).absolute())
    if getattr(args, "base_url", None):
        values["base_url"] = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    config_file = getattr(args, "config", None)
    return load_config(
        Path(args.source).absolute(),
        values,
        config_file=Path(config_file).absolute() if config_file is not None else None,
        env=environment(args)[0],
    )


def report(result: BuildResult, stream: TextIO | None = None, *, quiet: bool = False) -> None:
    """Every diagnostic, then the summary line; with `quiet`, errors only."""
    stream = stream or sys.stderr
    for d in result.diagnostics:
        if d.is_error or not quiet:
            print(d.format(), file=stream)
    if not quiet:
        print(result.summary_line(), file=stream)


def build_with_progress(
    config: SiteConfig,
    options: BuildOptions,
    config_diags: list[Diagnostic],
    *,
    quiet: bool = False,
) -> BuildResult:
    """`pipeline.build`, showing each stage's progress once it takes long (progress.py);
    nothing with `quiet`."""
    from briefgen.pipeline import build

    if quiet:
        return build(config, options, config_diags=config_diags)
    from briefgen.progress import Progress

    with Progress() as progress:
        return build(config, options, config_diags=config_diags, on_stage=progress.on_stage)


def build_and_report(
    config: SiteConfig,
    options: BuildOptions,
    config_diags: list[Diagnostic],
    *,
    quiet: bool = False,
) -> bool:
    """Build and write the site unless it is up to date; print what was found (errors only
    when `quiet`). True when the output folder holds a good build (now or from before)."""
    started = time.perf_counter()
    inputs = uptodate.inputs_key(config, options) if options.cache else ""
    stamp = uptodate.check(config, inputs) if options.cache else None
    if stamp is not None:  # a stamp is saved only for a build without errors
        if not quiet:
            for d in stamp.diagnostics:
                print(d.format(), file=sys.stderr)
            counts, seconds = (stamp.briefings, stamp.topics), time.perf_counter() - started
            line = summary_line(counts, stamp.diagnostics, seconds, up_to_date=True)
            print(line, file=sys.stderr)
        return True
    result = build_with_progress(config, options, config_diags, quiet=quiet)
    report(result, quiet=quiet)
    if options.cache and result.written is not None:
        uptodate.record(config, inputs, result.counts, result.diagnostics, result.until)
    return result.ok
