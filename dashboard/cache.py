"""The one kind of cache the dashboard keeps: bounded, thread-safe, least recently used first out.

Views (map states, layer scripts, comparisons; see ``viewcache``) and each
data version's completed party positions (``Sources.completed``, see
``mapstate.party_position``) are kept in an :class:`LruCache`. They are read
and written by every session's thread and by the warm-up thread, so every
access holds a lock, and each has a bound so a long-running server cannot
grow without limit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

VIEWS_MAX_ENTRIES = 1024  # states (~0.25 MiB) and scripts (~0.1 MiB): at most ~180 MiB when every slot is a state
# (party, event, front line): 4 parties x 11 events per line in use (the bundled lines, each uploaded one)
POSITIONS_MAX_ENTRIES = 4096

T = TypeVar("T")


class LruCache:
    """A bounded, thread-safe map from keys to values made on first use; the least recently used go first."""

    def __init__(self, max_entries: int = VIEWS_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value under ``key``, made by ``make()`` if absent.

        ``make`` runs outside the lock: two sessions asking for the same new
        value may both build it, and both get a correct one.
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def held(self) -> list[Hashable]:
        """The keys held now, least recently used first (a copy: safe while other threads write)."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()

    def __getstate__(self) -> dict:
        # A lock cannot be pickled (the static site sends Sources to worker processes): send the values only.
        with self._lock:
            return {"max_entries": self.max_entries, "items": list(self._items.items())}

    def __setstate__(self, state: dict) -> None:
        self.max_entries = state["max_entries"]
        self._items = OrderedDict(state["items"])
        self._lock = threading.Lock()


def positions_cache() -> LruCache:
    """An empty cache of completed party positions, as each newly loaded ``Sources`` gets."""
    return LruCache(POSITIONS_MAX_ENTRIES)
