"""The topic registry as one language sees it.

Owns: picking each topic's name, aliases, signals and description in a language from a
multilingual registry (values that are mappings by language code).
Must not: read files or look at briefings.
"""

from __future__ import annotations

from briefgen.model import Registry


def localise_registry(registry: Registry, code: str, default: str) -> Registry:
    """The registry with every topic's words in language `code`."""
    return registry
