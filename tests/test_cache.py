"""The one cache owner (dashboard/cache.py): bounded and correct while many threads read and write it."""

from __future__ import annotations

import dataclasses
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from dashboard.cache import POSITIONS_MAX_ENTRIES, LruCache
from dashboard.mapstate import build_map_state
from dashboard.sources import Sources

THREADS = 8


class _Key:
    """A key whose hashing and comparison run Python code (and yield), as a view's key of dataclasses does:
    other threads then run in the middle of the cache's own dict operations."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        time.sleep(0)  # give up the interpreter here, in the middle of a lookup
        return self.n % 8  # few buckets: lookups compare keys, and compare while others write

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.n == self.n


def test_hammered_from_many_threads_the_cache_stays_bounded_and_gives_each_key_its_own_value() -> None:
    cache = LruCache(max_entries=16)
    start = threading.Barrier(THREADS)
    sizes: list[int] = []

    def hammer(worker: int) -> list[tuple[int, int]]:
        start.wait()  # every thread at once, so reads, writes and evictions interleave
        wrong = []
        for i in range(2000):
            n = (i * 7 + worker) % 64  # overlapping keys: the same key made and evicted by several threads
            value = cache.get_or_make(_Key(n), lambda n=n: n * n)
            if value != n * n:
                wrong.append((n, value))
            if i % 100 == 0:
                sizes.append(len(cache))
                assert all(isinstance(k, _Key) for k in cache.held())
            if worker == 0 and i % 500 == 0:
                cache.clear()
        return wrong

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(hammer, range(THREADS)))
    assert results == [[] for _ in range(THREADS)]
    assert max(sizes) <= 16
    assert 0 < len(cache) <= 16


def test_completed_positions_built_from_many_threads_match_a_single_thread(sources: Sources) -> None:
    events = list(sources.events.index)
    everyone = list(sources.parties.index)
    # A small bound forces evictions while other threads read: every state must still be right.
    shared = dataclasses.replace(sources, completed=LruCache(max_entries=6))
    alone = dataclasses.replace(sources, completed=LruCache(POSITIONS_MAX_ENTRIES))

    def drawn(state) -> tuple:
        return state.regions, [(layer.line, layer.extra, layer.summary) for layer in state.layers]

    expected = {event: drawn(build_map_state(alone, event, everyone)) for event in events}
    start = threading.Barrier(THREADS)

    def build(worker: int) -> list[str]:
        start.wait()
        order = events[worker % len(events) :] + events[: worker % len(events)]
        return [e for e in order if drawn(build_map_state(shared, e, everyone)) != expected[e]]

    with ThreadPoolExecutor(THREADS) as pool:
        assert list(pool.map(build, range(THREADS))) == [[] for _ in range(THREADS)]
    assert len(shared.completed) <= 6
    assert len(alone.completed) == len(events) * len(everyone)  # nothing lost when the bound is not reached


def test_loaded_sources_get_a_bounded_positions_cache_that_survives_pickling(sources: Sources) -> None:
    assert isinstance(sources.completed, LruCache)
    assert sources.completed.max_entries == POSITIONS_MAX_ENTRIES
    build_map_state(sources, sources.events.index[-1], list(sources.parties.index))
    copy = pickle.loads(pickle.dumps(sources.completed))  # noqa: S301 (our own bytes) Sources go to worker processes
    assert copy.held() == sources.completed.held()
    copy.get_or_make(("new",), lambda: 1)  # with a working lock of its own
    assert ("new",) not in sources.completed
