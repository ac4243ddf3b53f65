"""Rendered pages kept between runs: the render stage's part of the persistent cache.

Owns: the "page" kind of the cache (briefgen/cache.py) and the digest of everything a
page's bytes depend on: the theme key (briefgen's version, the whole config, the asset
names, every template and `.po` file: render/renderer.py), the template's name, the page's
path, its template values (`PageSpec.context`, pickled), the Python, Jinja, MarkupSafe and
Babel versions, and briefgen's own code (`key_of`'s CODE_VERSION). Each output path (of
each edition) has one entry, holding that digest, the bytes and the page's diagnostics; a
page is taken from it only when the digests are equal, so the cache holds one entry per
page however often the site is edited, and a stale entry is simply overwritten.
Must not: render, decide which pages exist, or take a page it could not digest: a context
that does not pickle is rendered, as is a page whose entry is missing, damaged (the cache
ignores an unsigned or broken entry) or of another shape. A page that failed (an error)
is never stored: it is rendered again next time.

Why a pickle: it is the one complete, type-exact serialisation of the template values (a
`Markup` stays distinct from an equal `str`, 1 from 1.0 and True). Frozen, slotted
dataclasses are written as their class and field values, read with one `attrgetter` per
class instead of `dataclasses.fields` per object; a wide one (MERKLE_FIELDS or more: a
card, a briefing) as its class and the digest of its field values, worked out once per
build however many pages hold it. Equal values give the same bytes. The pickler keeps no
memo, so the bytes do not depend on which equal values happen to be one object (a
build that took its cards from the cache shares them differently from one that made
them); a value that refers to itself does not digest, so its page is rendered. A set's
order follows the hash seed of the process, so a context holding one only misses from one
run to the next; it can never hit wrongly.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import operator
import pickle
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata

from briefgen.cache import Cache, encode, key_of
from briefgen.diagnostics import Diagnostic
from briefgen.render.plan import PageSpec

KIND = "page"
Page = tuple[bytes, tuple[Diagnostic, ...]]  # a page's bytes and its diagnostics
_LIBRARIES = ("jinja2", "markupsafe", "babel")
# A dataclass of this many fields or more (a briefing, a card) is digested once per build
# however many pages hold it; a smaller one (a topic's name and link) is cheaper inline.
MERKLE_FIELDS = 6


def libraries() -> str:
    """The Python and the libraries a page's bytes also depend on (their versions)."""
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} ?")
    return f"{sys.version}|{'|'.join(versions)}"


def page_digests(theme: str, where: str, specs: Iterable[PageSpec]) -> dict[str, str]:
    """Output path -> digest of everything the page's bytes depend on; `where` names the
    edition (its language and folder). A page whose values do not pickle is left out."""
    base = key_of("page-inputs", theme, libraries(), where)
    specs = list(specs)  # every value stays alive while `digester` knows it by id
    digester = _Digester()
    out = {}
    for spec in specs:
        values = digester.values(spec.context)
        if values is not None:
            out[spec.path] = key_of(base, spec.path, spec.template, values)
    return out


def cached_pages(cache: Cache, where: str, digests: Mapping[str, str]) -> dict[str, Page]:
    """The pages the cache holds with these very digests, by output path."""
    if cache.folder is None or not digests:
        return {}
    slots = {_slot(where, path): path for path in digests}
    found = {}
    for slot, value in cache.get_many(KIND, slots).items():
        path = slots[slot]
        if _valid(value) and value[0] == digests[path]:
            found[path] = (value[1], tuple(value[2]))
    return found


def store_pages(
    cache: Cache, where: str, digests: Mapping[str, str], fresh: Mapping[str, Page]
) -> None:
    """Keep each freshly rendered page that has a digest and no error."""
    if cache.folder is None:
        return
    cache.put_many(
        KIND,
        (
            (_slot(where, path), encode((digests[path], data, tuple(found))))
            for path, (data, found) in sorted(fresh.items())
            if path in digests and not any(d.is_error for d in found)
        ),
    )


def uses_cache(cache: Cache | None) -> bool:
    """Digesting every page costs a pickle of its values: only worth it with a cache."""
    return cache is not None and cache.folder is not None


def _slot(where: str, path: str) -> str:
    return key_of("page", where, path)


def _valid(value: object) -> bool:
    """An entry of the shape store_pages writes (anything else is ignored)."""
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], bytes)
        and isinstance(value[2], tuple)
        and all(isinstance(d, Diagnostic) for d in value[2])
    )


class _Digester:
    """Digests of template values for one call of page_digests.

    A value's digest is that of its pickle, except that a slotted dataclass of at least
    MERKLE_FIELDS fields (a card, a briefing) is written as its class and the digest of
    its field values, computed once per call however many pages or cards hold it: a
    Merkle digest (a narrower one is written inline, as its class and field values). The
    pickler keeps no memo, so the bytes follow the values alone, never which equal values
    happen to be one object (a build that took its cards from the cache shares them
    differently from one that made them). `known` is keyed by `id` only to save work:
    every value is alive (held by a spec) while the call lasts.
    """

    def __init__(self) -> None:
        self.reducers = _Reducers(self)
        self.known: dict[int, bytes] = {}

    def values(self, context: object) -> bytes | None:
        """The digest of a page's values; None when one of them does not pickle."""
        try:
            return self.digest(context)
        except Exception:  # a value that does not pickle (a lambda, a generator): rendered
            return None

    def digest(self, value: object) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: the bytes follow the values, not which objects are shared
        pickler.dispatch_table = self.reducers
        pickler.dump(value)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=20).digest()

    def fields(self, obj: object, getter: Callable[[object], tuple]) -> bytes:
        try:
            return self.known[id(obj)]
        except KeyError:
            found = self.known[id(obj)] = self.digest(getter(obj))
            return found


class _Reducers(dict):
    """The pickler's dispatch table, filled as classes are met: a slotted dataclass is
    written as (class, field values), or (class, digest of its field values) with at least
    MERKLE_FIELDS fields; any other class as it pickles by default. A dispatch table, not
    `reducer_override`: the C pickler then writes classes, strings, numbers and containers
    without calling back into Python, which halves the calls (84,000 of 168,000 at 1,000
    briefings were for the classes themselves)."""

    def __init__(self, digester: _Digester) -> None:
        super().__init__()
        self.digester = digester

    def __missing__(self, cls: type) -> Callable[[object], object]:
        if issubclass(cls, type):
            raise KeyError(cls)  # a class with a metaclass (an Enum): written by reference
        getter = _getter(cls)
        fields = len(getattr(cls, "__dataclass_fields__", ()))
        digester = self.digester
        if getter is None:
            reducer: Callable[[object], object] = copyreg.dispatch_table.get(
                cls, operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)
            )
        elif fields >= MERKLE_FIELDS:

            def reducer(obj: object) -> object:
                return (cls, (digester.fields(obj, getter),))
        else:

            def reducer(obj: object) -> object:
                return (cls, getter(obj))

        self[cls] = reducer
        return reducer


def _getter(cls: type) -> Callable[[object], tuple] | None:
    """The field values of a dataclass whose instances have no other attributes (slots:
    no `__dict__`, no slot that is not a field); None for any other class."""
    fields = getattr(cls, "__dataclass_fields__", None)
    if not isinstance(fields, dict) or not isinstance(cls, type):
        return None
    names = tuple(fields)
    slots = set()
    for klass in cls.__mro__[:-1]:
        if "__slots__" not in vars(klass) and klass is not object:
            return None  # instances have a __dict__: pickled as usual, attributes and all
        own = vars(klass).get("__slots__", ())
        slots |= {own} if isinstance(own, str) else set(own)
    if not names or slots - {"__weakref__"} != set(names):
        return None
    many = operator.attrgetter(*names)
    return many if len(names) > 1 else lambda obj: (many(obj),)
