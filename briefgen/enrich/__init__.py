"""Enrich stage: topics, summaries, related briefings and topic links."""
