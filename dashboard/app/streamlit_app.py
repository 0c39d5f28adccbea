"""Streamlit entry point: read the URL and widgets, draw what the modules compute.

Run with ``streamlit run dashboard/app/streamlit_app.py``. Logic lives in plain modules;
this script only wires state to widgets and caches the expensive parts.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

# `streamlit run dashboard/app/streamlit_app.py` puts dashboard/app/ on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.app import page
from dashboard.app.bounded import UPLOAD_TIME_LIMIT_S, run_with_time_limit
from dashboard.app.ingest_page import render_add_article
from dashboard.app.page import MAP_HEIGHT, PRESENT_MAP_HEIGHT
from dashboard.app.served import layer_payload, published_geometry
from dashboard.app.text import md
from dashboard.app.viewcache import (
    compare_key,
    compare_view,
    state_key,
    upload_key,
    view_script,
    view_state,
    warm_views,
)
from dashboard.compare import Comparison, change_legend, compare_sides
from dashboard.export import FORMATS, download_args
from dashboard.frontline import MAX_BYTES, read_upload
from dashboard.geo import Gazetteer, oblast_names
from dashboard.mapstate import MapState, warm_positions
from dashboard.quantities import run_factcheck
from dashboard.render.access import positions_table_html, scroll_region
from dashboard.render.areas import asks_table, factcheck_table, held_table
from dashboard.render.cards import (
    caption_html,
    compare_legend_html,
    corrections_html,
    events_html,
    problems_html,
    summary_html,
)
from dashboard.render.legend import map_legend_html
from dashboard.render.mapview import (
    PrerenderedGroup,
    base_geometry,
    base_map,
)
from dashboard.render.page import DEK
from dashboard.sources import SourcePaths, Sources, load_sources_once, own_word_only
from dashboard.summary import fmt_date
from dashboard.timeline import events_up_to, region_history
from dashboard.viewstate import View

WARM_VIEWS_AFTER_S = 5  # s: the background warm-up stays off the interpreter while the first page renders
FIRST_PAINT_HEAD_START_S = 0.8  # s: a session's first page sends the map this long before the panels and sidebar
HEAD_START_GIVEN = "head_start_given"  # session key: the first page's head start is spent
EVENTS_BOX = "pm-events-box"  # CSS class (app/page.py): the event list scrolls beside the summary
OWN_FRONT = "own_front"  # session key: (digest, Snapshot) of an uploaded front line
COMPARE_LABELS = {"": "Off", "parties": "Two parties at this date", "dates": "One party at two dates"}


@st.cache_resource
def _last_good() -> dict:
    """Holds the last sources that loaded without problems (and their fingerprint), across reruns."""
    return {}


def current_sources() -> tuple[Sources | None, tuple, list]:
    """The sources to draw, their fingerprint (a cache key), and the problems of the files on disk."""
    where = SourcePaths.from_env()
    fingerprint = where.fingerprint()
    # Keyed on file sizes and times: editing a data file reloads it, nothing else does.
    sources, problems = load_sources_once(where, fingerprint)
    holder = _last_good()
    if sources is not None:
        holder.update(sources=sources, fingerprint=fingerprint)
    return holder.get("sources"), holder.get("fingerprint", ()), problems


def _state(
    sources: Sources, key: tuple, event: str, visible: tuple[str, ...], shade: str | None, own: str = ""
) -> MapState:
    # ``own`` is the digest of an uploaded front line, which names the snapshot in the cache.
    snapshots = (st.session_state[OWN_FRONT][1],) if own else None
    return view_state(sources, key, event, visible, shade, own, snapshots)


@st.cache_resource(max_entries=4)
def _factcheck(_sources: Sources, key: tuple) -> pd.DataFrame:
    checks = run_factcheck(_sources.factcheck, list(_sources.snapshots), _sources.events, _sources.oblasts)
    return factcheck_table(checks, _sources.factcheck, _sources.manifest["title"])


def own_front_line(sources: Sources) -> None:
    """Sidebar: load a newsroom's own line of contact (GeoJSON) for every computation in this session."""
    st.header("Your own front line")
    upload = st.file_uploader(
        f"Line of contact or occupied area, GeoJSON (up to {MAX_BYTES // 2**20} MiB)",
        type=["geojson", "json"],
        key="own_front_file",
    )
    day = st.date_input("Its date", value=None, key="own_front_date")
    if upload is None:
        st.session_state.pop(OWN_FRONT, None)
        return
    data = upload.getvalue()
    digest = upload_key(upload.name, data, day)
    if st.session_state.get(OWN_FRONT, ("",))[0] == digest:
        st.success(f"Using {md(upload.name)} for every computation.")
        return
    # In another process with a time limit: a detailed line must not hold the server for the other sessions.
    with st.spinner(f"Reading {md(upload.name)} (at most {UPLOAD_TIME_LIMIT_S} s)…"):
        result, failed = run_with_time_limit(
            read_upload, (data, upload.name, sources.oblasts, day), UPLOAD_TIME_LIMIT_S
        )
    if failed:
        st.error(f"The built-in front lines stay in use: {md(failed)}.")
        return
    snapshot, problems, dated = result
    if problems:
        st.error("The built-in front lines stay in use:\n\n" + "\n".join(f"- {md(p)}" for p in problems))
        return
    if not dated:
        st.warning("Give the line a date (in the file or above) to use it.")
        return
    st.session_state[OWN_FRONT] = (digest, snapshot)
    st.success(f"Using {md(upload.name)} for every computation.")


@st.cache_resource(max_entries=4)
def _warm(_sources: Sources, key: tuple) -> threading.Thread:
    # Once per data version, off the page's thread: every date then steps at cached speed, for each shading.
    def work() -> None:
        warm_positions(_sources)  # done already when started by dashboard.app.serve
        time.sleep(WARM_VIEWS_AFTER_S)  # the other shadings can wait until the first page is drawn
        warm_views(_sources, key, list(_sources.parties.index))

    thread = threading.Thread(target=work, daemon=True, name="warm-views")
    thread.start()
    return thread


@st.cache_resource(max_entries=4)
def _geometry_url(_sources: Sources, key: tuple) -> str | None:
    # Published at launch by dashboard.app.serve (never written here); None: the map carries the outlines inline.
    return published_geometry(base_geometry(_sources.oblasts, _sources.neighbours))


@st.cache_resource(max_entries=4)
def _gazetteer(_sources: Sources, key: tuple) -> tuple[Gazetteer, dict[str, list[str]], dict]:
    oblasts = _sources.oblasts
    spellings = oblast_names(oblasts)
    centroids = {code: (geom.centroid.y, geom.centroid.x) for code, geom in oblasts.geometry.items()}
    return Gazetteer.from_oblasts(oblasts), spellings, centroids


def sidebar(sources: Sources, key: tuple) -> None:
    """Layers, region, comparison, presentation and map view: every control that is not the timeline."""
    parties = list(sources.parties.index)
    names = sources.oblasts["name_en"].to_dict()
    with st.sidebar:
        st.header("Layers")
        st.pills(
            "Parties shown on the map",
            options=parties,
            format_func=lambda p: md(sources.parties.at[p, "name"]),
            selection_mode="multi",
            key="parties",
        )
        shown = [p for p in parties if p in (st.session_state.get("parties") or [])]
        st.radio(
            "Shade regions by",
            options=shown or [None],
            format_func=lambda p: "—" if p is None else md(sources.parties.at[p, "name"]),
            key="shade",
            help="Overlapping fills would mix colours: one party's stances fill the regions, "
            "every shown party draws its line and is listed when you hover.",
        )
        st.toggle(
            "Only the parties' own positions",
            key="own_only",
            help="Hide second-hand and inferred positions (another party's account, or a reading beyond the "
            "sentence): show only what a party stated or what was reported as its position.",
        )
        st.header("Region")
        gazetteer, spellings, centroids = _gazetteer(sources, key)
        page.place_finder(gazetteer, spellings, names)
        st.header("Compare")
        st.radio("Compare", list(COMPARE_LABELS), format_func=COMPARE_LABELS.get, key="compare")
        compare = st.session_state.get("compare", "")
        if compare == "parties":
            others = [p for p in parties if p != st.session_state.get("shade")]
            st.selectbox("…with", others, format_func=lambda p: sources.parties.at[p, "name"], key="versus")
        elif compare == "dates":
            st.selectbox(
                "…against the position on",
                list(sources.events.index),
                format_func=lambda e: page.event_label(sources.events, e),
                key="versus",
            )
        st.header("Briefing")
        st.button("Start presentation mode", on_click=_set_mode, args=("present",), width="stretch")
        page.play_controls(sources.events)
        page.focus_picker(st.session_state.get("region") or "", centroids)
        own_front_line(sources)
        st.markdown(page.ABOUT)


def settle_choices(sources: Sources) -> None:
    """Reset the shaded party and the comparison's other side when they are no longer among the choices.

    Done before the map is drawn: the sidebar, whose widgets show these choices, is drawn after it.
    """
    parties = list(sources.parties.index)
    shown = [p for p in parties if p in (st.session_state.get("parties") or [])]
    page.keep_choice("shade", shown or [None], shown[0] if shown else None)
    compare = st.session_state.get("compare", "")
    if compare == "parties":
        others = [p for p in parties if p != st.session_state.get("shade")]
        page.keep_choice("versus", others, others[0])
    elif compare == "dates":
        events = list(sources.events.index)
        page.keep_choice("versus", events, events[0])


def first_paint_head_start() -> None:
    """On a browser's first run of a session, give the map a head start over the panels below it and the sidebar.

    The page loads each kind of element's code when its first message arrives,
    over the same six connections the map's frame then uses for its page,
    Leaflet, the outlines and the layer; the tables' code alone is 1.3 MB. Sent
    together, the map waited behind them (first map 2.2-2.4 s); held back by
    this long, the map is drawn first. Only once per session (a step never
    waits), and only for a browser page: AppTest has no request headers and
    loads no code.
    """
    if st.session_state.get(HEAD_START_GIVEN) or not st.context.headers:
        return
    st.session_state[HEAD_START_GIVEN] = True
    time.sleep(FIRST_PAINT_HEAD_START_S)


def _own() -> str:
    return st.session_state.get(OWN_FRONT, ("",))[0]


def _set_mode(mode: str) -> None:
    st.session_state["mode"] = mode


def draw_state(sources: Sources, key: tuple, view: View) -> tuple[MapState | Comparison, tuple]:
    """What the map draws for the view (a comparison when one is asked for, else the map state of every
    shown party's layer), and the key it is cached under."""
    if view.compare and view.shade:
        a, b = compare_sides(view.compare, view.shade, view.event, view.versus)
        return compare_view(sources, key, a, b), compare_key(key, a, b)
    args = (key, view.event, view.parties, view.shade, _own())
    return _state(sources, *args), state_key(*args)


def main() -> None:
    """Pages: the map, and adding an article (upload, review, write)."""
    st.set_page_config(page_title="Peace proposals map: Russia–Ukraine", layout="wide", page_icon="🗺️")
    pages = [
        st.Page(map_page, title="Map", icon=":material/map:", default=True),
        st.Page(render_add_article, title="Add an article", icon=":material/post_add:", url_path="add-article"),
    ]
    st.navigation(pages).run()


def map_page() -> None:
    """Draw the map dashboard."""
    sources, key, problems = current_sources()
    if problems:
        st.error(
            f"{len(problems)} problem(s) in the data files. "
            + ("The map shows the last data that loaded cleanly." if sources else "Nothing can be drawn until fixed.")
        )
        st.html(problems_html(problems))
    if sources is None:
        st.stop()
    _warm(sources, key)
    page.init_state(sources)
    present = st.session_state.get("mode") == "present"
    page.inject_css(present, PRESENT_MAP_HEIGHT if present else MAP_HEIGHT)
    page.show_notices()
    settle_choices(sources)

    with st.container(key=page.HEAD):  # a class for the compact head's styles (app/page.py)
        if present:
            head, exit_col = st.columns([6, 1.4], vertical_alignment="center")
            head.title("Russia–Ukraine peace proposals")
            exit_col.button("Exit presentation", on_click=_set_mode, args=("explore",), shortcut="Esc", width="stretch")
        else:
            st.title("Russia–Ukraine peace proposals: who wants which regions")
            st.caption(f"{DEK}: hover it.")
    own = _own()
    stage(sources, key, present)
    # After the map, so the page loads the map's code first (its own container: it still shows at the side).
    sidebar(sources, key)
    if _own() != own:  # the sidebar took or dropped an uploaded front line: draw the map and panels with it
        st.rerun()


@st.fragment
def stage(sources: Sources, key: tuple, present: bool) -> None:
    """Everything that depends on the date: timeline, map, legend and the panels below.

    A fragment: stepping the timeline or clicking the map reruns (and resends) only
    this, not the sidebar and the page's head. A click that picks a region asks for
    one whole-page rerun so the sidebar's region box follows.
    """
    if st.session_state.pop(page.FULL_RERUN, False):
        st.rerun(scope="app")
    events = sources.events
    event = page.timeline(events)
    if not present:
        page.event_line(events, event)
    view = page.current_view()
    base_sources, base_key = sources, key  # the base map is the same whatever the sourcing switch says
    if view.sourcing == "own":  # second-hand and inferred claims left out: each party's own latest word
        sources, key = own_word_only(sources), (*key, "own")
    state, cache_key = draw_state(sources, key, view)
    page.write_query(view)

    col_map, col_side = st.columns([2.6, 1], gap="medium")
    with col_map:
        st_folium(
            page.fill_frame(  # the page's CSS sets the map's height (app/page.py)
                base_map(
                    base_sources.oblasts,
                    base_sources.neighbours,
                    base_sources.areas_km2.to_dict(),
                    present=present,
                    geometry_url=_geometry_url(base_sources, base_key),
                )
            ),
            key="map",
            height=PRESENT_MAP_HEIGHT if present else MAP_HEIGHT,
            use_container_width=True,
            center=view.centre,
            zoom=view.zoom,
            feature_group_to_add=PrerenderedGroup(layer_payload(view_script(cache_key, state, present))),
            returned_objects=["last_active_drawing"],
            on_change=page.on_map_click,
        )
        st.html(
            caption_html(events.loc[event], sources.manifest, [layer.name for layer in state.layers if layer.visible])
        )
        positions_table(sources, view)
    with col_side:
        st.subheader("Legend")
        if isinstance(state, Comparison):
            lines = [(layer.name, layer.line_style) for layer in state.layers]
            st.html(compare_legend_html(change_legend(state.labels(sources)), lines))
        else:
            st.html(map_legend_html(state, sources))
    first_paint_head_start()
    if present:
        page.autoplay(events)
        return
    details(sources, key, view, state)
    page.autoplay(events)


def positions_table(sources: Sources, view: View) -> None:
    """What the map shows, as a table a screen reader can walk: every shown party's stance on each region
    at this date with its quotes. Built only when asked for, so a step does not carry it."""
    if st.toggle("Positions and quotes as a table", key="positions_table", help="Everything the map shows, as text"):
        st.html(positions_table_html(sources, view.event, list(view.parties)))


def downloads(sources: Sources, view: View, state: MapState | Comparison) -> None:
    """Exports of what is on screen (a map state or a comparison): slide and print PNG, offline HTML,
    CSV and GeoJSON. Files are made only when a button is pressed.
    """
    st.markdown("**Export this view**")
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        with column:
            st.download_button(
                **download_args(state, sources, fmt, present=view.mode == "present"),
                key=f"download_{fmt}",
                on_click="ignore",
                width="stretch",
            )


def territory(sources: Sources, key: tuple, state: MapState) -> None:
    """The area panel: land held at the date, what each position asks for beyond it, the articles' figures."""
    snap = state.snapshot
    st.subheader("Territory")
    if snap is None:
        st.info("No front line is known for this date (the first one in the data is 15 Nov 2022).")
        return
    source = "your uploaded line" if _own() else "the bundled line"
    st.caption(
        f"Front line of {fmt_date(snap.front.date)} ({source}; approximate: {md(snap.front.approximation)}). "
        "Areas in an equal-area projection, on the generalised Natural Earth borders."
    )
    held, share, length = st.columns(3)
    held.metric("Held by Russia", f"{snap.occupied_km2:,.0f} km²", help="Crimea and Sevastopol included")
    share.metric("Share of Ukraine", f"{snap.share * 100:.1f}%")
    length.metric("Front line as drawn", f"{snap.length_km.get('total', 0):,.0f} km", help="Land and the Dnipro")
    st.dataframe(held_table(snap), hide_index=True, width="stretch")
    asks = asks_table(state)
    if not asks.empty:
        st.markdown("**What each position asks for beyond this front line**")
        st.dataframe(asks, hide_index=True, width="stretch")
    if sources.factcheck is not None and not sources.factcheck.empty:
        with st.expander("Fact check: the articles' own figures against the map"):
            st.dataframe(_factcheck(sources, key), hide_index=True, width="stretch")


def details(
    sources: Sources,
    key: tuple,
    view: View,
    state: MapState | Comparison,
) -> None:
    """Below the map: summary or comparison table, downloads, the region's history, the events so far."""
    events = sources.events
    row = events.loc[view.event]
    col_text, col_events = st.columns([2.6, 1], gap="medium")
    with col_text:
        if isinstance(state, Comparison):
            sides = state.labels(sources)
            st.subheader(f"{md(sides['a'])} compared with {md(sides['b'])}")
            st.dataframe(
                state.table[["name", "stance_a", "stance_b", "change", "beyond_a", "beyond_b"]]
                .rename(
                    columns={
                        "name": "Region",
                        "stance_a": sides["a"],
                        "stance_b": sides["b"],
                        "change": "Difference",
                        "beyond_a": f"{sides['a']}: km² beyond the front line",
                        "beyond_b": f"{sides['b']}: km² beyond the front line",
                    }
                )
                .round(0),
                hide_index=True,
                width="stretch",
            )
        else:
            st.subheader(f"Where each party stands on {fmt_date(row['date'])}")
            st.html(summary_html([layer.summary for layer in state.layers], sources.parties))
            if not view.parties:
                st.info("No party is shown: pick one or more under Layers.")
        downloads(sources, view, state)
        if view.region:
            name = sources.oblasts.at[view.region, "name_en"]
            st.subheader(f"{md(name)}: every position up to {fmt_date(row['date'])}")
            history = region_history(sources.claims, events, view.region, view.event)
            st.dataframe(page.history_table(history, sources), hide_index=True, width="stretch")
        territory(sources, key, _state(sources, key, view.event, view.parties, view.shade, _own()))
    with col_events:
        st.subheader("Events so far")
        # A scroll box of our own, not st.container(height=...): that one cannot be reached by keyboard.
        st.html(scroll_region(events_html(events_up_to(events, view.event), view.event), "Events so far", EVENTS_BOX))
        corrections = sources.corrections
        with st.expander(f"Corrections ({0 if corrections is None else len(corrections)})"):
            st.caption("Every change to what the map says, newest first (data/corrections.csv).")
            st.html(corrections_html(corrections))


main()
