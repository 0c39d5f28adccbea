"""Map states and their layer scripts, kept for every session of the server process.

A view (date, shown parties, shading party, front line) is computed once per
server and then shared: building its state costs 15-40 ms and turning it into
the map's script another 15-35 ms, which is most of a slider step. Kept in a
plain module rather than in Streamlit's cache so that ``dashboard.serve`` can
compute the views a briefer steps through before the server takes its first
page, and the app's background thread the rest.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from dashboard.frontline import Snapshot
from dashboard.mapstate import MapState, build_map_state
from dashboard.sources import Sources
from dashboard.views.mapview import layer_script

MAX_ENTRIES = 1024  # states (~0.25 MiB) and scripts (~0.1 MiB): at most ~180 MiB when every slot is a state

T = TypeVar("T")


class LruCache:
    """A bounded, thread-safe map from keys to values made on first use; the least recently used go first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: tuple, make: Callable[[], T]) -> T:
        """The value under ``key``, made by ``make()`` if absent.

        ``make`` runs outside the lock: two sessions asking for the same new
        view may both build it, and both get a correct one.
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

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()


VIEWS = LruCache()


def upload_key(name: str, data: bytes, day: object) -> str:
    """The name of an uploaded front line in the shared cache: its file name, bytes and date, everything shown.

    The states are shared by every session; a key of bytes and date only would
    show one session's file name (the line's title) to another that uploaded
    the same bytes under another name.
    """
    digest = hashlib.sha256()
    for part in (name.encode("utf-8", "surrogatepass"), data, str(day).encode()):
        digest.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two uploads share a key
        digest.update(part)
    return digest.hexdigest()[:32]


def state_key(key: tuple, event: str, parties: tuple[str, ...], shade: str | None, own: str = "") -> tuple:
    """The cache key of a view's state: the data version, date, parties, shading party, own front line."""
    return ("state", key, event, tuple(parties), shade, own)


def view_state(
    sources: Sources,
    key: tuple,
    event: str,
    parties: tuple[str, ...],
    shade: str | None,
    own: str = "",
    snapshots: tuple[Snapshot, ...] | None = None,
) -> MapState:
    """The map state of a view, built once per server. ``own`` names ``snapshots`` (an uploaded line)."""
    return VIEWS.get_or_make(
        state_key(key, event, parties, shade, own),
        lambda: build_map_state(sources, event, list(parties), shade, snapshots),
    )


def view_script(key_of_state: tuple, state: MapState, present: bool) -> str:
    """The layer script of a cached state (see mapview.layer_script), made once per state and mode."""
    return VIEWS.get_or_make(("script", key_of_state, present), lambda: layer_script(state, present=present))


def warm_views(sources: Sources, key: tuple, shades: list[str] | None = None) -> int:
    """Build the state and script of every date with every party shown, shaded by each of ``shades``.

    ``shades`` defaults to the first party only: the view a link without
    choices opens. Returns how many views were built or already there.
    """
    parties = tuple(sources.parties.index)
    count = 0
    for shade in shades if shades is not None else list(parties[:1]):
        for event in sources.events.index:
            state = view_state(sources, key, event, parties, shade)
            view_script(state_key(key, event, parties, shade), state, present=False)
            count += 1
    return count
