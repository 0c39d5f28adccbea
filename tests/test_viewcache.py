"""The process-wide cache of map states and layer scripts (dashboard/app/viewcache.py)."""

from __future__ import annotations

import threading

from dashboard.app import viewcache
from dashboard.app.viewcache import LruCache
from dashboard.mapstate import build_map_state
from dashboard.render.mapview import layer_script


def test_a_value_is_made_once_and_the_least_recently_used_goes_first() -> None:
    cache = LruCache(max_entries=2)
    made: list[str] = []

    def maker(name: str):
        return lambda: made.append(name) or name.upper()

    assert cache.get_or_make(("a",), maker("a")) == "A"
    assert cache.get_or_make(("a",), maker("a")) == "A"
    cache.get_or_make(("b",), maker("b"))
    cache.get_or_make(("a",), maker("a"))  # a is now the most recent
    cache.get_or_make(("c",), maker("c"))  # evicts b

    assert made == ["a", "b", "c"]
    assert ("a",) in cache and ("c",) in cache and ("b",) not in cache
    assert len(cache) == 2


def test_sessions_asking_at_once_all_get_the_value() -> None:
    cache = LruCache()
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_make(("k",), lambda: 42))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [42] * 8
    assert len(cache) == 1


def test_a_cached_view_is_the_state_and_script_a_fresh_build_gives(sources) -> None:
    viewcache.VIEWS.clear()
    key, event, parties = ("test",), sources.events.index[-2], tuple(sources.parties.index)

    state = viewcache.view_state(sources, key, event, parties, "ukraine")
    again = viewcache.view_state(sources, key, event, parties, "ukraine")
    fresh = build_map_state(sources, event, list(parties), "ukraine")

    assert again is state
    assert state.shade == fresh.shade == "ukraine"
    assert state.regions == fresh.regions
    script = viewcache.view_script(viewcache.state_key(key, event, parties, "ukraine"), state, present=False)
    assert script == layer_script(fresh)
    other = viewcache.view_state(sources, key, event, parties, "russia")
    assert other is not state and other.shade == "russia"


def test_warming_builds_every_date_for_each_shading_asked(sources) -> None:
    viewcache.VIEWS.clear()
    key, parties = ("warm",), tuple(sources.parties.index)

    assert viewcache.warm_views(sources, key) == len(sources.events)
    for event in sources.events.index:
        assert viewcache.state_key(key, event, parties, parties[0]) in viewcache.VIEWS
        assert ("script", viewcache.state_key(key, event, parties, parties[0]), False) in viewcache.VIEWS
    assert viewcache.state_key(key, sources.events.index[0], parties, parties[1]) not in viewcache.VIEWS

    assert viewcache.warm_views(sources, key, list(parties[:2])) == 2 * len(sources.events)
    assert viewcache.state_key(key, sources.events.index[0], parties, parties[1]) in viewcache.VIEWS
    viewcache.VIEWS.clear()
