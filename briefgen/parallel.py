"""Run a pure per-item function over many items on all cores, in order.

Owns: the process pool. Results come back in input order, so output stays deterministic.
Small jobs run in-process: a pool costs more than it saves below a few hundred items.
Must not: be used for anything with side effects.

`fn(context, item)` gets a shared, read-only `context` (a registry, a Jinja environment,
the list of jobs). Workers are forked, so they inherit it instead of receiving it pickled
with every chunk; a worker process keeps it in `_IN_WORKER`, set once by the pool's
initializer. That binding exists in worker processes only: the building process never
sets it, and in-process runs pass the context straight to `fn`.
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

# (fn, context) of this worker process; see the module docstring. Allowed by the
# module-state check (tests/test_architecture.py) as the one per-process exception.
_IN_WORKER: list[tuple[Callable[[Any, Any], Any], Any]] = []


def workers() -> int:
    env = os.environ.get("BRIEFGEN_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 8))


def parallel_map(
    fn: Callable[[Any, T], R],
    items: Sequence[T],
    context: Any = None,
    *,
    min_items: int | None = None,
    chunk: int = 0,
    before_fork: Callable[[], object] | None = None,
) -> list[R]:
    """`[fn(context, x) for x in items]`, spread over processes when it pays off (from
    `min_items` on, default MIN_ITEMS; `chunk` items per task, 0: chosen from the count).
    `before_fork` runs in this process just before the workers are forked, and only then:
    work every worker would otherwise repeat (compiling templates) is done once, here."""
    return list(
        parallel_iter(fn, items, context, min_items=min_items, chunk=chunk, before_fork=before_fork)
    )


def parallel_iter(
    fn: Callable[[Any, T], R],
    items: Sequence[T],
    context: Any = None,
    *,
    min_items: int | None = None,
    chunk: int = 0,
    before_fork: Callable[[], object] | None = None,
) -> Iterator[R]:
    """`parallel_map`, yielding each result (in order) as soon as it is ready, so the
    caller can consume results while later ones are still being computed."""
    count = workers()
    if (
        count == 1
        or len(items) < (MIN_ITEMS if min_items is None else min_items)
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (fn(context, item) for item in items)
        return
    chunk = chunk or max(16, len(items) // (count * 8))
    if before_fork is not None:
        before_fork()
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        count, mp_context=fork, initializer=_enter_worker, initargs=(fn, context)
    ) as pool:
        yield from pool.map(_call, items, chunksize=chunk)


def _enter_worker(fn: Callable[[Any, Any], Any], context: Any) -> None:
    _IN_WORKER.append((fn, context))  # a fresh worker process: the list was empty


def _call(item: Any) -> Any:
    fn, context = _IN_WORKER[0]
    return fn(context, item)
