"""Render stage: the site as a list of OutputFiles (pages, feeds, sitemap, JSON API)."""
