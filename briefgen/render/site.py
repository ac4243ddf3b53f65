"""Render the whole site into OutputFiles, skipping pages whose inputs did not change.

Owns: turning PageSpecs into bytes, the JSON API, sitemap, robots.txt and static assets.
Must not: write to disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefgen.diagnostics import Diagnostic, error
from briefgen.model import OutputFile, Site
from briefgen.render.api import briefings_json, topics_json
from briefgen.render.env import make_env, template_dirs
from briefgen.render.plan import PageSpec, make_cards, plan_pages


@dataclass(frozen=True, slots=True)
class Rendered:
    files: tuple[OutputFile, ...]
    pages: Mapping[str, tuple[PageSpec, bytes]] = field(default_factory=dict)
    rendered: int = 0  # pages actually rendered (the rest were reused)


def static_files(config_root: Path, dirs: list[Path]) -> dict[str, bytes]:
    """Theme static/ first, then the site's own static/ over it."""
    files: dict[str, bytes] = {}
    for folder in [*reversed([d / "static" for d in dirs]), config_root / "static"]:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def fingerprint(files: dict[str, bytes], enabled: bool) -> dict[str, str]:
    """style.css -> style.1a2b3c4d.css, so hosts can cache assets for a year."""
    if not enabled:
        return {}
    out = {}
    for name, data in files.items():
        if name.endswith((".css", ".js")):
            stem, dot, ext = name.rpartition(".")
            out[name] = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{dot}{ext}"
    return out


def render_site(site: Site, previous: Rendered | None = None) -> tuple[Rendered, list[Diagnostic]]:
    config = site.config
    static = static_files(config.root, template_dirs(config))
    assets = fingerprint(static, enabled=not config.serve_mode)
    env = make_env(config, assets)
    old = previous.pages if previous else {}
    files: list[OutputFile] = []
    pages: dict[str, tuple[PageSpec, bytes]] = {}
    diags: list[Diagnostic] = []
    count = 0
    for spec in plan_pages(site, make_cards(site)):
        before = old.get(spec.path)
        if before and before[0].template == spec.template and before[0].context == spec.context:
            data = before[1]
        else:
            data, problem = _render(env, spec)
            count += 1
            if problem:
                diags.append(problem)
                continue
        pages[spec.path] = (spec, data)
        files.append(OutputFile(spec.path, data))
    files += _extras(site, static, assets)
    for name in ("sitemap.xml", "robots.txt"):
        data, problem = _render(env, PageSpec(name, name, {"site": site}))
        if problem:
            diags.append(problem)
        files.append(OutputFile(name, data))
    return Rendered(tuple(sorted(files, key=lambda f: f.path)), pages, count), diags


def _render(env: jinja2.Environment, spec: PageSpec) -> tuple[bytes, Diagnostic | None]:
    try:
        return env.get_template(spec.template).render(spec.context).encode(), None
    except jinja2.TemplateSyntaxError as exc:
        return b"", error(
            "template-syntax",
            exc.message or "template syntax error",
            _template_file(exc.filename, exc.name),
            exc.lineno,
        )
    except jinja2.TemplateNotFound as exc:
        return b"", error(
            "template-missing",
            f"template `{exc.name}` not found",
            spec.template,
            0,
            "restore it or remove the override",
        )
    except Exception as exc:
        file, line = _template_frame(exc)
        return b"", error(
            "template-error",
            f"{type(exc).__name__}: {exc} (rendering {spec.path})",
            file or spec.template,
            line,
        )


def _template_file(filename: str | None, name: str | None) -> str:
    return filename or name or "<template>"


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in a traceback."""
    tb = exc.__traceback__
    found = ("", 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _extras(site: Site, static: dict[str, bytes], assets: dict[str, str]) -> list[OutputFile]:
    files = [
        OutputFile("api/briefings.json", briefings_json(site)),
        OutputFile("api/topics.json", topics_json(site)),
    ]
    for name, data in static.items():
        files.append(OutputFile("static/" + assets.get(name, name), data))
    return files
