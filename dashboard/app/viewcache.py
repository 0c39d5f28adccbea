"""Map states and their layer scripts, kept for every session of the server process.

A view (date, shown parties, shading party, front line) is computed once per
server and then shared: building its state costs 15-40 ms and turning it into
the map's script another 15-35 ms, which is most of a slider step. Kept in a
plain module rather than in Streamlit's cache so that ``dashboard.app.serve`` can
compute the views a briefer steps through before the server takes its first
page, and the app's background thread the rest.
"""

from __future__ import annotations

import hashlib

from dashboard.cache import LruCache
from dashboard.compare import Comparison, Side, build_comparison
from dashboard.frontline import Snapshot
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.mapview import layer_script
from dashboard.sources import Sources

VIEWS = LruCache()  # the one cache of views: states, their scripts, comparisons (see dashboard.cache)


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


def compare_key(key: tuple, a: Side, b: Side) -> tuple:
    """The cache key of a comparison's state: the data version and the two sides."""
    return ("compare", key, a, b)


def compare_view(sources: Sources, key: tuple, a: Side, b: Side) -> Comparison:
    """A comparison (its map and table of regions), built once per server (see compare.build_comparison)."""
    return VIEWS.get_or_make(compare_key(key, a, b), lambda: build_comparison(sources, a, b))


def view_script(key_of_state: tuple, state: MapState | Comparison, present: bool) -> str:
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
