"""Which briefings get a PDF (`pdf: true` in briefgen.yaml, WeasyPrint installed, a build
that writes and is not the dev server's), and where it goes: /briefings/<slug>/<slug>.pdf.

Owns: that decision, made before any page is rendered so pages and the API link only PDFs
that will exist. Must not: import WeasyPrint unless a site asks for PDFs (render/pdf.py uses it).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import replace

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, warning
from briefgen.model import Briefing, Desk
from briefgen.options import BuildOptions

INSTALL_HINT = "pip install 'briefgen[pdf]' (WeasyPrint and its Pango libraries), or set pdf: false"


def pdf_engine_found() -> bool:
    """WeasyPrint imports (with its Pango libraries): only then do pages link a PDF."""
    if importlib.util.find_spec("weasyprint") is None:
        return False
    try:
        import weasyprint  # noqa: F401  (once per process; sys.modules keeps it)
    except (ImportError, OSError):
        return False
    return True


def pdfs_wanted(config: SiteConfig, options: BuildOptions) -> bool:
    """Not in the dev server (a PDF takes a second)."""
    if not (config.pdf and options.pdf and options.write):
        return False
    return pdf_engine_found()


def pdf_note(config: SiteConfig, options: BuildOptions) -> list[Diagnostic]:
    """The clear note a site that asks for PDFs gets when the extra is not installed."""
    if config.pdf and options.pdf and not pdf_engine_found():
        return [
            warning(
                "pdf-unavailable",
                "`pdf: true` but WeasyPrint is not installed or cannot start: no PDFs were made",
                "briefgen.yaml",
                0,
                INSTALL_HINT,
            )
        ]
    return []


def pdf_path(slug: str) -> str:
    return f"/briefings/{slug}/{slug}.pdf"


def pdf_paths(
    config: SiteConfig, options: BuildOptions, briefings: Iterable[Briefing]
) -> dict[str, str]:
    """slug -> site path of its PDF, for every briefing that gets one (Desk.pdfs)."""
    if not pdfs_wanted(config, options):
        return {}
    return {b.slug: pdf_path(b.slug) for b in sorted(briefings, key=lambda b: b.slug)}


def with_pdfs(
    desk: Desk, config: SiteConfig, options: BuildOptions, briefings: Iterable[Briefing]
) -> Desk:
    """The desk with the PDFs of its briefings; on a multilingual site, each language's
    desk (`Desk.editions`) with its own language's (a translation keeps its original's
    slug, so each edition has its own PDF at the same path under its folder)."""
    if not config.multilingual:
        return replace(desk, pdfs=pdf_paths(config, options, briefings))
    editions = {
        code: replace(d, pdfs=pdf_paths(config, options, [b for b in briefings if b.lang == code]))
        for code, d in desk.editions.items()
    }
    default = config.languages[0].code
    return replace(desk, pdfs=editions.get(default, desk).pdfs, editions=editions)
