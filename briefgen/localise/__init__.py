"""Localisation: the theme's words (gettext catalogues), dates and numbers (Babel), and the
topic registry in each language of a multilingual site."""
