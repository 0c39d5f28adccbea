"""Benchmark the server side of a timeline step or layer toggle; prints figures, asserts nothing.

Run with ``python -m bench [--repeat N] [--json PATH] [--check-app] [--quick] [--browser]`` (see bench/__main__.py).

For every event (all parties shown) and for layer toggles at the last event
(each party alone, then each party shading), it times what the app's rerun
costs for the map:

- **state**: ``build_map_state`` for a date this server has not drawn yet
  (the front-line completion cache emptied first; the app then caches it);
- **map**: what ``streamlit_app.py``'s ``st_folium`` line costs on every rerun: the base
  map built and rendered by streamlit-folium, plus the proposal layer turned
  into the ``feature_group`` string;

and sizes what is sent: the ``feature_group`` string alone ("layer only") and
the JSON of *all* the component's arguments ("everything sent": script,
feature group, html, header, links, defaults), which Streamlit resends on
every rerun. The arguments are captured from streamlit-folium's own
``st_folium`` with its component call replaced, so nothing is reproduced by
hand; ``--check-app`` runs the app once in AppTest and compares.

It also runs a naive baseline (``bench/naive.py``) and the same steps on 10×
and 100× synthetic claims and events (``bench/scale.py``); ``--quick`` skips
both. ``--browser`` runs the headless-Chromium figures instead
(``bench/browser.py``); the load test is ``python -m bench.load``.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from typing import Any, TypeVar
from unittest import mock

import folium
import streamlit_folium
from streamlit_folium import generate_leaflet_string, get_full_id

from dashboard import paths
from dashboard.app import served
from dashboard.app.page import fill_frame
from dashboard.cache import positions_cache
from dashboard.mapstate import MapState, build_map_state
from dashboard.render import mapview
from dashboard.render.mapview import PrerenderedGroup, layer_script, layers_group
from dashboard.sources import Sources

STEP_BUDGET_MS = 80  # a step feels instant under ~100 ms; leaves ~20 ms for the websocket and Leaflet's redraw
PAYLOAD_BUDGET_KIB = 150  # sent on every step: ~0.1 s on a 12 Mbit/s venue link, then parsed by the browser
DEFAULT_REPEAT = 5  # runs per figure; the median shrugs off a stray garbage collection
GROUP_INDEX = 0  # the app passes one feature group: streamlit-folium names it feature_group_0
APP_SCRIPT = paths.APP_SCRIPT
# The st_folium arguments streamlit_app.py passes in the default (explore) view; --check-app compares with the real app.
APP_MAP_ARGS = {
    "key": "map",
    "height": 660,
    "use_container_width": True,
    "center": None,
    "zoom": None,
    "returned_objects": ["last_active_drawing"],
}

T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    """Figures for one map state: one timeline step or one layer toggle."""

    label: str
    date: str
    visible: list[str]
    shade: str | None
    state_ms: float  # build_map_state, the date's positions completed (as after the app's warm-up)
    map_ms: float  # base map + layer through st_folium, the layer's script made for the first time
    layer_ms: float  # the layer alone: layers_group and its feature_group string
    layer_bytes: int  # the feature_group string as sent
    sent_bytes: int  # every component argument as sent
    rerun_ms: float  # base map + layer through st_folium, the layer's script cached with its state
    unwarmed_ms: float  # build_map_state with no position completed yet (no warm-up at start)

    @property
    def step_ms(self) -> float:
        """Server time of a step to a view this server has not drawn yet (positions warmed)."""
        return self.state_ms + self.map_ms

    @property
    def cached_ms(self) -> float:
        """Server time of a step whose state and layer script the app has cached (any session drew it before)."""
        return self.rerun_ms

    @property
    def layer_kib(self) -> float:
        """Layer-only payload in KiB."""
        return self.layer_bytes / 1024

    @property
    def sent_kib(self) -> float:
        """Everything-sent payload in KiB."""
        return self.sent_bytes / 1024


@dataclass(frozen=True)
class BaseMapFigures:
    """The base map: its script as sent, the outlines it fetches once, and its cost per rerun."""

    script_bytes: int
    geometry_bytes: int  # fetched once per page from the app's static files (0 when inline)
    rerun_ms: float


def median_ms(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls in milliseconds, and the last call's result."""
    times = []
    result = None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def wire_bytes(value: object) -> int:
    """Size of a value as Streamlit sends a component argument: JSON-encoded."""
    return len(json.dumps(value).encode())


def base_map_script(fmap: folium.Map) -> str:
    """Render the base map as st_folium does and return its ``script`` argument.

    Mirrors streamlit-folium 0.27 (``st_folium`` then ``_get_map_string``). It
    renames the map to ``map_div``, which feature groups are then added to.
    """
    fmap.get_root().render()
    fmap.render()
    leaflet = generate_leaflet_string(fmap).replace("alert(coords);", "")
    leaflet = dedent(re.sub(r"drawnItems_draw_control_div_\d+", "drawnItems", leaflet))
    return leaflet if "drawnItems" in leaflet else leaflet + "\nvar drawnItems = [];"


class BaseMaps:
    """Builds the app's base map the way the app's script does, with its outlines' URL.

    The launcher writes the outlines under the app's static folder once per
    data version and the map fetches them from that URL; the bench uses the
    same URL and writes nothing, so it never touches the app's files.
    """

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.geometry_url: str | None = None
        self.geometry_bytes = 0
        data = mapview.base_geometry(sources.oblasts, sources.neighbours)
        text = json.dumps(data, separators=(",", ":"))
        # The URL the launcher would publish these outlines at; the bench writes nothing (render never writes).
        self.geometry_url = f"{served.STATIC_ROOT}/{served.GENERATED}/base-{served._digest(text)}.json"
        self.geometry_bytes = len(text.encode())

    def new(self, *, inline: bool = False) -> folium.Map:
        """A fresh base map as the app draws it; ``inline`` carries the outlines in the script (the naive way)."""
        sources = self.sources
        extra = {} if inline or self.geometry_url is None else {"geometry_url": self.geometry_url}
        fmap = mapview.base_map(sources.oblasts, sources.neighbours, sources.areas_km2.to_dict(), **extra)
        return fmap if inline else fill_frame(fmap)  # the app's map fills its frame (app/page.py)


def new_base_map(sources: Sources) -> folium.Map:
    """The app's base map, built from the sources the way streamlit_app.py builds it."""
    return BaseMaps(sources).new()


def feature_group_payload(group: folium.FeatureGroup, fmap: folium.Map) -> str:
    """The ``feature_group`` string st_folium sends for ``feature_group_to_add=group``.

    Mirrors streamlit-folium 0.27's ``_get_feature_group_string``; ``fmap`` must
    have gone through :func:`base_map_script` first, as in st_folium.
    """
    base_id = f"feature_group_{GROUP_INDEX}"
    group._id = base_id
    group.add_to(fmap)  # same name every time: replaces the previous step's group on fmap
    group.render()
    text = generate_leaflet_string(group, base_id=base_id).replace(get_full_id(fmap), "map_div")
    return dedent(text) + dedent(
        f"""
        map_div.addLayer(feature_group_{base_id});
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_{base_id});
        """
    )


def sent_args(fmap: folium.Map, group: folium.FeatureGroup | None, **overrides: object) -> dict[str, Any]:
    """Every argument st_folium hands Streamlit for this map and layer, as Streamlit serialises them.

    Calls streamlit-folium's real ``st_folium`` (so its rendering cost is
    included) with the component call replaced by one that records its
    arguments. Streamlit adds ``default`` and ``key`` and JSON-encodes the lot;
    ``on_change`` stays on the server.
    """
    captured: dict[str, Any] = {}

    def record(**kwargs: Any) -> Any:
        captured.update(kwargs)
        return kwargs.get("default")

    with mock.patch.object(streamlit_folium, "_component_func", record):
        streamlit_folium.st_folium(fmap, feature_group_to_add=group, **{**APP_MAP_ARGS, **overrides})
    captured.pop("on_change", None)
    return captured


def fresh(sources: Sources) -> Sources:
    """The same sources with the front-line completion cache emptied: a date the server has not drawn."""
    return dataclasses.replace(sources, completed=positions_cache())


def measure_state(
    sources: Sources,
    maps: BaseMaps,
    label: str,
    event: str,
    visible: list[str],
    shade: str | None,
    repeat: int,
) -> Row:
    """Time one uncached map state, the map st_folium sends for it, and size both payloads.

    The state is timed as the app builds a view it has not cached: every
    party's position at the date already completed with the front line (the
    app does that for every date when the data loads). ``unwarmed_ms`` times
    it with that cache emptied, as without the warm-up.
    """
    unwarmed_ms, _ = median_ms(lambda: build_map_state(fresh(sources), event, visible, shade), repeat)
    build_map_state(sources, event, visible, shade)  # completes the date's positions, as the warm-up does
    state_ms, state = median_ms(lambda: build_map_state(sources, event, visible, shade), repeat)
    map_ms, args = median_ms(lambda: sent_args(maps.new(), layers_group(state)), repeat)
    script = layer_script(state)
    rerun_ms, cached_args = median_ms(lambda: sent_args(maps.new(), PrerenderedGroup(script)), repeat)
    if cached_args != args:  # the app sends the cached script: it must be what st_folium would have made
        raise AssertionError(f"{label}: the cached layer script differs from the rendered one")

    # The layer's share of map_ms, timed apart: the base map is rendered before the clock starts.
    layer_ms = _median_after(lambda: _rendered(maps.new()), lambda fmap: _group_string(state, fmap), repeat)
    layer = _group_string(state, _rendered(maps.new()))
    date = f"{sources.events.at[event, 'date']:%Y-%m-%d}"
    return Row(
        label,
        date,
        list(visible),
        state.shade,
        state_ms,
        map_ms,
        layer_ms,
        wire_bytes(layer),
        wire_bytes(args),
        rerun_ms,
        unwarmed_ms,
    )


def _rendered(fmap: folium.Map) -> folium.Map:
    base_map_script(fmap)
    return fmap


def _group_string(state: MapState, fmap: folium.Map) -> str:
    return feature_group_payload(layers_group(state), fmap)


def _median_after(setup: Callable[[], T], run: Callable[[T], object], repeat: int) -> float:
    """Median time of ``run(setup())`` in ms, the setup left off the clock."""
    times = []
    for _ in range(max(repeat, 1)):
        prepared = setup()
        start = time.perf_counter()
        run(prepared)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_base_map(maps: BaseMaps, repeat: int) -> BaseMapFigures:
    """Time building the base map and rendering it as st_folium does; size its script."""
    rerun_ms, script = median_ms(lambda: base_map_script(maps.new()), repeat)
    return BaseMapFigures(wire_bytes(script), maps.geometry_bytes, rerun_ms)


def event_rows(sources: Sources, maps: BaseMaps, repeat: int, events: list[str] | None = None) -> list[Row]:
    """One row per event (default: all, in timeline order), with every party visible."""
    parties = list(sources.parties.index)
    chosen = list(sources.events.index) if events is None else events
    return [measure_state(sources, maps, event, event, parties, None, repeat) for event in chosen]


def toggle_rows(sources: Sources, maps: BaseMaps, repeat: int) -> list[Row]:
    """At the last event: each party shown alone, then every party shown with each one shading.

    A toggle changes what is drawn at a date already on screen, whose completed
    lines the app computed for every party then: the cache is warmed first.
    """
    event = sources.events.index[-1]
    parties = list(sources.parties.index)
    build_map_state(sources, event, parties)
    alone = [measure_state(sources, maps, f"only {p}", event, [p], None, repeat) for p in parties]
    shades = [measure_state(sources, maps, f"shade {p}", event, parties, p, repeat) for p in parties]
    return alone + shades


def format_table(rows: list[Row], first: str) -> str:
    """A plain aligned table of the rows; ``first`` heads the label column."""
    width = max(len(first), *(len(r.label) for r in rows))
    head = (
        f"{first:<{width}}  {'date':<10}  {'state ms':>8}  {'map ms':>6}  {'(layer ms)':>10}  {'step ms':>7}"
        f"  {'cached ms':>9}  {'layer KiB':>9}  {'sent KiB':>8}  {'unwarmed ms':>11}"
    )
    lines = [head, "-" * len(head)]
    lines += [
        f"{r.label:<{width}}  {r.date:<10}  {r.state_ms:>8.1f}  {r.map_ms:>6.1f}  {r.layer_ms:>10.1f}"
        f"  {r.step_ms:>7.1f}  {r.cached_ms:>9.1f}  {r.layer_kib:>9.1f}  {r.sent_kib:>8.1f}  {r.unwarmed_ms:>11.1f}"
        for r in rows
    ]
    return "\n".join(lines)


def summarise(rows: list[Row]) -> dict:
    """Max and median of each figure over the rows, against the budgets."""

    def stats(values: list[float]) -> tuple[float, float]:
        return max(values), statistics.median(values)

    step_max, step_median = stats([r.step_ms for r in rows])
    cached_max, cached_median = stats([r.cached_ms for r in rows])
    layer_max, layer_median = stats([r.layer_kib for r in rows])
    sent_max, sent_median = stats([r.sent_kib for r in rows])
    return {
        "step_ms_max": step_max,
        "step_ms_median": step_median,
        "cached_step_ms_max": cached_max,
        "cached_step_ms_median": cached_median,
        "layer_kib_max": layer_max,
        "layer_kib_median": layer_median,
        "sent_kib_max": sent_max,
        "sent_kib_median": sent_median,
        "step_budget_ms": STEP_BUDGET_MS,
        "payload_budget_kib": PAYLOAD_BUDGET_KIB,
        "step_within_budget": step_max <= STEP_BUDGET_MS,
        "cached_step_within_budget": cached_max <= STEP_BUDGET_MS,
        "payload_within_budget": sent_max <= PAYLOAD_BUDGET_KIB,
    }


def load_average() -> str:
    """The machine's 1/5/15-minute load averages (Linux): other work on the machine skews every timing."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def verdict(ok: bool) -> str:
    """OK or OVER."""
    return "OK" if ok else "OVER"


def summary_lines(summary: dict) -> list[str]:
    """Max/median against each budget, with OK or OVER."""
    return [
        f"step, a view not in the app's cache (state + map): max {summary['step_ms_max']:.1f} ms, median "
        f"{summary['step_ms_median']:.1f} ms vs budget {STEP_BUDGET_MS} ms: {verdict(summary['step_within_budget'])}",
        f"step, state and layer script in the app's cache (map only): max {summary['cached_step_ms_max']:.1f} ms, "
        f"median {summary['cached_step_ms_median']:.1f} ms vs budget {STEP_BUDGET_MS} ms: "
        f"{verdict(summary['cached_step_within_budget'])}",
        f"sent per step (all component args): max {summary['sent_kib_max']:.1f} KiB, median "
        f"{summary['sent_kib_median']:.1f} KiB vs budget {PAYLOAD_BUDGET_KIB} KiB: "
        f"{verdict(summary['payload_within_budget'])} (layer only: max {summary['layer_kib_max']:.1f} KiB)",
    ]


def check_app(sources: Sources, maps: BaseMaps) -> str:
    """Run the app once in AppTest (default view) and compare what it sends with :func:`sent_args`."""
    from streamlit.testing.v1 import AppTest  # deferred: only for --check-app, and it is slow to import

    app = AppTest.from_file(str(APP_SCRIPT), default_timeout=120).run()
    raised = f" (the app then raised {app.exception[0].message!r})" if app.exception else ""
    components = app.get("component_instance")
    if not components:
        return f"app check: the app drew no map{raised}"
    sent = json.loads(components[0].proto.json_args)
    event, visible = app.session_state["event"], list(app.session_state["parties"])
    mine = sent_args(maps.new(), layers_group(build_map_state(sources, event, visible, app.session_state["shade"])))
    mine["key"] = sent["key"]  # AppTest's key is the component's hash, ours too, but the AppTest run may differ
    differing = sorted(k for k in set(sent) | set(mine) if sent.get(k) != mine.get(k))
    same = "identical to" if not differing else f"DIFFERENT ({', '.join(differing)}) from"
    return (
        f"app check ({event}, {len(visible)} parties): captured args ({wire_bytes(mine) / 1024:.1f} KiB) are "
        f"{same} what the app sends ({wire_bytes(sent) / 1024:.1f} KiB){raised}"
    )


WARM_THREAD = "warm-views"  # streamlit_app.py's background warm-up thread
SCRIPT_MS: list[float] = []  # filled by the wrapper app_reruns runs: the app script's own time per run
TIMED_APP = """
import time
from bench import server
_start = time.perf_counter()
exec(compile(open({app!r}, encoding="utf-8").read(), {app!r}, "exec"), {{"__file__": {app!r}, "__name__": "__main__"}})
server.SCRIPT_MS.append((time.perf_counter() - _start) * 1000)
"""


def app_reruns(sources: Sources) -> dict[str, list[float]]:
    """Whole-script rerun times (ms) in AppTest, stepping the slider over every event twice.

    Started as ``make dashboard`` starts the app (``dashboard.app.serve.preload``
    first, in this process). The first pass draws views this server has not
    drawn; the second finds them in the app's cache. ``*_wall`` is AppTest's
    wall time (it polls, so it adds its own overhead); the others are the
    script's own time, measured by a wrapper that runs streamlit_app.py.
    """
    from streamlit.testing.v1 import AppTest  # deferred: only for --check-app, and it is slow to import

    # The wrapper records into the module `bench.server`, which is this one unless run as `python -m bench.server`.
    timed = importlib.import_module("bench.server")
    from dashboard.app import serve

    serve.preload()
    with tempfile.TemporaryDirectory() as folder:
        wrapper = Path(folder) / "timed_app.py"
        wrapper.write_text(TIMED_APP.format(app=str(APP_SCRIPT)), encoding="utf-8")
        app = AppTest.from_file(str(wrapper), default_timeout=120).run()
        # The first run starts the app's background warm-up (every shading at every date): let it finish,
        # as it does seconds after a server starts, so it does not share the interpreter with the timed runs.
        for thread in threading.enumerate():
            if thread.name == WARM_THREAD:
                thread.join()
        passes: dict[str, list[float]] = {"first_visit_wall": [], "cached_wall": []}
        scripts: dict[str, list[float]] = {"first_visit": [], "cached": []}
        for (name, times), own in zip(passes.items(), scripts.values(), strict=True):
            del timed.SCRIPT_MS[:]
            for event in sources.events.index:
                app.select_slider[0].set_value(event)
                start = time.perf_counter()
                app.run()
                times.append((time.perf_counter() - start) * 1000)
            own.extend(timed.SCRIPT_MS)
            if len(own) != len(times):
                raise AssertionError(f"{name}: the wrapper timed {len(own)} of {len(times)} runs")
    return {**scripts, **passes}
