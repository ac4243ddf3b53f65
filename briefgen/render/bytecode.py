"""Compiled templates kept between runs: Jinja's bytecode cache, in briefgen's own cache.

Owns: the "template" kind of the persistent cache (briefgen/cache.py). Jinja compiles each
template to Python code on first use (about 0.2 s for the theme's page templates and
partials, on every CLI build); with this it loads the compiled code instead. Jinja names
each entry by the template's name and file (`bucket.key`) and checks the source's hash
(`bucket.checksum`) and its own version and Python's (inside the bytes); the slot adds
briefgen's code version (`key_of`), which fixes the environment's options. Entries are
signed like every other, so a cache copied from elsewhere is never loaded: compiled code
is code.
Must not: change what a template renders (a miss only means Jinja compiles it again).
"""

from __future__ import annotations

import jinja2

from briefgen.cache import Cache, encode, key_of

KIND = "template"


class TemplateCache(jinja2.BytecodeCache):
    """A jinja2.BytecodeCache over a briefgen Cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        slot = _slot(bucket)
        payload = self.cache.get_many(KIND, [slot]).get(slot)
        if isinstance(payload, bytes):
            bucket.bytecode_from_string(payload)  # a stale or foreign header: Jinja drops it

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put_many(KIND, [(_slot(bucket), encode(bucket.bytecode_to_string()))])


def template_cache(cache: Cache | None) -> TemplateCache | None:
    """The bytecode cache for an environment; None without a persistent cache."""
    return TemplateCache(cache) if cache is not None and cache.folder is not None else None


def _slot(bucket: jinja2.bccache.Bucket) -> str:
    return key_of("template", bucket.key, bucket.checksum)
