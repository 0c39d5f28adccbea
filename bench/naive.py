"""The naive way to draw a step, as a baseline for the app's figures.

What a first streamlit-folium app does: on every step, compute the state from
scratch (no cached front-line completion), build a whole new ``folium.Map``
with the outlines inline and the proposal layer inside it, and send
geometry at full floating-point precision (no rounding to 10⁻⁴°). Because
the map's script then changes on every step, streamlit-folium also replaces
its iframe, so the map blanks on every step (measured in
``shared/notes/map-stack-facts.md``; the app avoids it, see the browser
figures).

The outlines themselves are the committed Natural Earth shapes, already
generalised at the source: the app simplifies nothing further, so "naive"
differs in rounding, rebuilding and caching, not in vertex count.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from shapely.geometry import mapping

from bench import server as bench
from dashboard import mapstate
from dashboard.cache import positions_cache
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.mapview import layers_group
from dashboard.sources import Sources


@contextmanager
def unrounded() -> Iterator[None]:
    """Geometry leaves mapstate at full precision while the block runs."""
    with mock.patch.object(mapstate, "round_geometry", mapping):
        yield


def naive_sources(sources: Sources) -> Sources:
    """The sources with unrounded region shapes and no completion cache."""
    shapes = {code: mapping(geometry) for code, geometry in sources.oblasts.geometry.items()}
    return dataclasses.replace(sources, shapes=shapes, completed=positions_cache())


def naive_state(sources: Sources, event: str, visible: list[str]) -> MapState:
    """The state computed from scratch with unrounded geometry."""
    with unrounded():
        return build_map_state(naive_sources(sources), event, visible)


def naive_args(sources: Sources, maps: bench.BaseMaps, state: MapState) -> dict:
    """A whole new map with the outlines inline and the layer inside it, through st_folium."""
    fmap = maps.new(inline=True)
    layers_group(state).add_to(fmap)
    return bench.sent_args(fmap, None)


def naive_step(sources: Sources, maps: bench.BaseMaps, event: str, visible: list[str]) -> dict:
    """Everything one naive step computes and sends."""
    return naive_args(sources, maps, naive_state(sources, event, visible))


def report(sources: Sources, maps: bench.BaseMaps, app_rows: list[bench.Row], repeat: int) -> dict:
    """Time and size the naive step for every event; print them beside the app's and the ratios."""
    parties = list(sources.parties.index)
    rows = []
    for row in app_rows:
        event = row.label
        step_ms, args = bench.median_ms(lambda event=event: naive_step(sources, maps, event, parties), repeat)
        rows.append({"event": event, "step_ms": step_ms, "sent_bytes": bench.wire_bytes(args)})
    naive_ms = statistics.median(r["step_ms"] for r in rows)
    naive_kib = statistics.median(r["sent_bytes"] for r in rows) / 1024
    app_ms = statistics.median(r.step_ms for r in app_rows)
    app_cached_ms = statistics.median(r.cached_ms for r in app_rows)
    app_kib = statistics.median(r.sent_kib for r in app_rows)
    figures = {
        "events": rows,
        "naive_step_ms_median": naive_ms,
        "naive_sent_kib_median": naive_kib,
        "app_step_ms_median": app_ms,
        "app_cached_step_ms_median": app_cached_ms,
        "app_sent_kib_median": app_kib,
        "time_ratio": naive_ms / app_ms,
        "time_ratio_cached": naive_ms / app_cached_ms,
        "payload_ratio": naive_kib / app_kib,
    }
    print("Naive baseline (new map each step, outlines inline, layer inside, unrounded geometry, nothing cached):")
    print(f"{'':<28}{'naive':>10}{'app':>10}{'ratio':>8}")
    print(f"{'step ms (median event)':<28}{naive_ms:>10.1f}{app_ms:>10.1f}{naive_ms / app_ms:>7.1f}×")
    print(f"{'  app state cached':<28}{naive_ms:>10.1f}{app_cached_ms:>10.1f}{naive_ms / app_cached_ms:>7.1f}×")
    print(f"{'sent KiB (median event)':<28}{naive_kib:>10.1f}{app_kib:>10.1f}{naive_kib / app_kib:>7.1f}×")
    print("The naive map's script changes every step, so its iframe is replaced and blanks each time.")
    return figures
