"""Rendering one page, and what goes wrong in templates, said the way content errors are.

Owns: turning a template exception or a printed undefined value into a Diagnostic that names
the template file and line, shows that line and gives a hint; and folding the same problem on
many pages into one diagnostic with the number of pages ("on 214 pages, e.g. ...").
Must not: choose pages or write anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import jinja2

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.render.undefined import Missing, markers

# Jinja's own statements, for a "did you mean" on an unknown tag
TAGS = ("for", "endfor", "if", "elif", "else", "endif", "block", "endblock", "extends")
TAGS += ("include", "import", "from", "macro", "endmacro", "set", "endset", "call", "endcall")
TAGS += ("filter", "endfilter", "with", "endwith", "raw", "endraw", "trans", "endtrans")


def render_page(
    env: jinja2.Environment, template: str, context: dict, root: Path
) -> tuple[bytes, list[Diagnostic]]:
    """The page's bytes (b"" when it failed) and its problems, each naming the template."""
    try:
        text = env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        return b"", [_syntax(exc, env, root)]
    except jinja2.TemplateNotFound as exc:
        hint = "restore it, or remove the template that includes it"
        return b"", [
            error("template-missing", f"template `{exc.name}` not found", template, 0, hint)
        ]
    except Exception as exc:  # a template's bug costs its pages, never the build
        return b"", [_runtime(exc, template, root)]
    text, missing = markers(text)
    return text.encode(), [_undefined(m, template, root) for m in missing]


def _undefined(m: Missing, template: str, root: Path) -> Diagnostic:
    what = f"{m.owner} has no attribute `{m.name}`" if m.owner else f"`{m.name}` is undefined"
    hint = f"did you mean `{m.guess}`?" if m.guess else "check the name, or test it: is defined"
    message = f"{what}: it prints as nothing"
    return _located(warning("undefined", message, m.template or template, m.line, hint), root)


def grouped(problems: Iterable[tuple[str, Diagnostic]]) -> list[Diagnostic]:
    """One diagnostic per distinct template problem, with how many pages it hit."""
    pages: dict[Diagnostic, list[str]] = {}
    for page, diag in problems:
        pages.setdefault(diag, []).append(page)
    out = []
    for diag, hit in pages.items():
        hit = sorted(set(hit))
        where = f"on {hit[0]}" if len(hit) == 1 else f"on {len(hit)} pages, e.g. {hit[0]}"
        out.append(replace(diag, message=f"{diag.message} ({where})"))
    return out


def _syntax(exc: jinja2.TemplateSyntaxError, env: jinja2.Environment, root: Path) -> Diagnostic:
    message = exc.message or "template syntax error"
    hint = "every {% ... %} block needs its end tag; every {{ needs }}"
    word = message.split("'")[1] if message.count("'") >= 2 else ""
    if message.startswith(("No filter named", "No test named")):
        names = env.filters if "filter" in message else env.tests
        guess = closest(word, names)
        kind = "filter" if "filter" in message else "test"
        hint = (
            f"did you mean `{guess}`?" if guess else f"known {kind}s: " + ", ".join(sorted(names))
        )
        message = message.rstrip(".")
    elif "Encountered unknown tag" in message:
        guess = closest(word, TAGS)
        hint = f"did you mean `{{% {guess} %}}`?" if guess else hint
        message = message.split(".", 1)[0]
    elif "unexpected end of template" in message:
        message = message.split(".", 1)[0]
    file = exc.filename or exc.name or "<template>"
    return _located(error("template-syntax", message, file, exc.lineno or 0, hint), root)


def _runtime(exc: Exception, template: str, root: Path) -> Diagnostic:
    file, line = _template_frame(exc)
    if isinstance(exc, jinja2.UndefinedError):
        hint = "a value used here does not exist: check the name, or test it with `is defined`"
    elif isinstance(exc, TypeError | AttributeError | KeyError | ValueError):
        hint = "a value here is not what the template expects; check the expression"
    else:
        hint = "check the expression on this line"
    message = f"{type(exc).__name__}: {exc}"
    return _located(error("template-error", message, file or template, line, hint), root)


def _located(diag: Diagnostic, root: Path) -> Diagnostic:
    """The template's path relative to the site (the theme's as `theme/NAME`) and its line's
    text for the diagnostic to show."""
    path = Path(diag.file)
    if not path.is_absolute():
        return diag
    source = ""
    if diag.line:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            source = lines[diag.line - 1] if diag.line <= len(lines) else ""
        except (OSError, UnicodeDecodeError):
            source = ""
    return replace(diag, file=_shown(path, root), source_line=source.strip())


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.absolute()).as_posix()
    except ValueError:
        parts = path.parts
        if "theme" in parts or "templates" in parts:
            index = max(i for i, p in enumerate(parts) if p in ("theme", "templates"))
            return "theme/" + "/".join(parts[index + 1 :])
        return str(path)


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in a traceback (Jinja rewrites tracebacks so
    template frames carry the template's own file and line)."""
    tb = exc.__traceback__
    found = ("", 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
