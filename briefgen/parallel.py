"""Run a pure per-item function over many items on all cores, in order.

Owns: the process pool. Results come back in input order, so output stays deterministic.
Small jobs run in-process: a pool costs more than it saves below a few hundred items.
Must not: be used for anything with side effects.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400  # below this a pool's start-up and pickling cost more than they save


def workers() -> int:
    env = os.environ.get("BRIEFGEN_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 8))


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    init: Callable[..., None] | None = None,
    init_args: tuple[Any, ...] = (),
) -> list[R]:
    """`[fn(x) for x in items]`, spread over processes when it pays off."""
    return list(parallel_iter(fn, items, init=init, init_args=init_args))


def parallel_iter(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    init: Callable[..., None] | None = None,
    init_args: tuple[Any, ...] = (),
) -> Iterator[R]:
    """`parallel_map`, yielding each result (in order) as soon as it is ready, so the
    caller can consume results while later ones are still being computed."""
    count = workers()
    if (
        count == 1
        or len(items) < MIN_ITEMS
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        if init:
            init(*init_args)
        yield from map(fn, items)
        return
    chunk = max(16, len(items) // (count * 8))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=init, initargs=init_args
    ) as pool:
        yield from pool.map(fn, items, chunksize=chunk)
