"""Where templates come from: the default theme and a site's own templates/ folder.

Owns: the list of template folders in lookup order (a site's own first, then the theme),
which the Jinja environment, the asset fingerprints and the up-to-date check all read.
Kept apart from render/env.py so that the check whether anything changed since the last
build does not import Jinja and the render stage (most of a no-change build's time).
Must not: import anything heavier than the config.
"""

from __future__ import annotations

from pathlib import Path

import briefgen
from briefgen.config import SiteConfig


def theme_dir() -> Path:
    """The default theme: the repository's templates/, shipped as `briefgen.theme`."""
    checkout = Path(__file__).resolve().parents[1] / "templates"
    if (checkout / "base.html").is_file() and (checkout.parent / "briefgen").is_dir():
        return checkout  # running from a source checkout (editable install)
    return Path(briefgen.__file__).parent / "theme"  # installed: package data


def template_dirs(config: SiteConfig) -> list[Path]:
    own = config.root / "templates"
    dirs = [own] if own.is_dir() else []
    theme = theme_dir()
    if not dirs or own.resolve() != theme.resolve():
        dirs.append(theme)
    return dirs


def input_folders(config: SiteConfig) -> list[Path]:
    """Every folder a build reads: content, the site's static/ and the template folders.
    No output folder may be inside one of them, or hold one."""
    return [config.content_path, config.root / "static", *template_dirs(config)]
