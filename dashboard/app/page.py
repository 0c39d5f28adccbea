"""Page furniture for the Streamlit app: styles, the view in the URL, the timeline, the sidebar, tables.

Widget values live in ``st.session_state`` under the keys of :data:`KEYS`;
:func:`current_view` reads them back into a :class:`~dashboard.viewstate.View`,
which is what the rest of the app and the URL see.
"""

from __future__ import annotations

import time

import folium
import pandas as pd
import streamlit as st
from branca.element import Element

from dashboard.app.text import md
from dashboard.claims import WHOLE_COUNTRY
from dashboard.geo import Gazetteer
from dashboard.render.page import PAGE_CSS, PRESENT_CSS, event_label
from dashboard.sources import Sources
from dashboard.summary import fmt_date
from dashboard.viewstate import PACES, View, parse_view, view_query

ABOUT = """
**How to read the map.** Each party is a layer. One party's stances fill the regions
(*Shade regions by*); every shown party draws its proposed line in its own colour and
dash. Hover a region for the quotes; click it (or find it above) for its full history.

**Sources.** Five news articles (2024–2025) in `seeds/`, oblast borders from Natural
Earth (public domain). Crimea and Sevastopol are shown as Ukrainian units under Russian
occupation since 2014.
"""

KEYS = ("event", "parties", "shade", "region", "mode", "compare", "versus", "pace", "lat", "lon", "zoom")
NOTICES = "notices"
PLAYING = "playing"
FULL_RERUN = "full_rerun"  # set by a callback inside the map's fragment when the sidebar must follow too
# Map views a briefer can pick without panning: (label, lat, lon, zoom); None keeps the fitted view.
FOCUS = {
    "Whole country": None,
    "East and south": (47.6, 36.2, 7.0),
    "Crimea and the south": (45.9, 34.4, 7.5),
}


MAP_HEIGHT = 660  # px at most: fills a 1080p screen-share beside the side panel (less on a shorter screen)
PRESENT_MAP_HEIGHT = 640  # px at most: with the chrome hidden, the map takes what a 1080p share leaves
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'  # streamlit-folium's frame in the page
HEAD = "pm_head"  # key of the title's container (Streamlit gives it the class st-key-pm_head)
TIMELINE = "event"  # the timeline slider's key (class st-key-event)
COMPACT_BELOW_PX = 820  # a viewport at most this high (a laptop on a projector, 1280x720) gets the compact head
MIN_MAP_PX = 360  # below this the map is too small to read: the page scrolls instead
# What stands above the map (page head, timeline, event line) plus a margin under it, in px, so the map ends
# inside the first screen: measured at 1280x720 and 1920x1080 with the event line on two lines.
ABOVE_MAP_PX = 330
ABOVE_MAP_COMPACT_PX = 215
ABOVE_MAP_PRESENT_PX = 240
ABOVE_MAP_PRESENT_COMPACT_PX = 190

# Inside the map's frame: the map fills the frame, whatever height the page gives it. streamlit-folium sets
# the map's height in px when it creates it; Leaflet follows the frame's later resizes by itself (trackResize).
FRAME_FILL_CSS = """<style>
html, body { margin: 0; overflow: hidden; }
#map_div { height: 100vh !important; }
</style>"""


def layout_css(present: bool, map_px: int) -> str:
    """The map's height follows the screen: at most ``map_px``, at least MIN_MAP_PX, ending in the first screen.

    On a short screen the head is compact: no subtitle, a smaller title, the
    timeline's label read by screen readers but not shown, and Streamlit's
    empty top bar drawn through.
    """
    above, compact = (
        (ABOVE_MAP_PRESENT_PX, ABOVE_MAP_PRESENT_COMPACT_PX) if present else (ABOVE_MAP_PX, ABOVE_MAP_COMPACT_PX)
    )
    return f"""<style>
{MAP_FRAME} {{ height: clamp({MIN_MAP_PX}px, calc(100vh - {above}px), {map_px}px) !important; }}
@media (max-height: {COMPACT_BELOW_PX}px) {{
  {MAP_FRAME} {{ height: clamp({MIN_MAP_PX}px, calc(100vh - {compact}px), {map_px}px) !important; }}
  header[data-testid="stHeader"] {{ background: transparent; pointer-events: none; }}
  header[data-testid="stHeader"] button, header[data-testid="stHeader"] [data-testid="stToolbar"] {{
    pointer-events: auto; }}
  .block-container {{ padding-top: .6rem !important; }}
  .block-container h1 {{ font-size: 1.5rem !important; padding: .2rem 0 0 !important; }}
  .st-key-{HEAD} [data-testid="stCaptionContainer"] {{ display: none; }}
  .st-key-{TIMELINE} [data-testid="stWidgetLabel"] {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }}
}}
</style>"""


def inject_css(present: bool, map_px: int) -> None:
    """Add the page's styles, the presentation styles in that mode, and the map's height (``map_px`` at most)."""
    st.html(PAGE_CSS + (PRESENT_CSS if present else "") + layout_css(present, map_px))


def fill_frame(fmap: folium.Map) -> folium.Map:
    """Make the map fill streamlit-folium's frame, so the page's CSS sets its height (see layout_css)."""
    fmap.get_root().header.add_child(Element(FRAME_FILL_CSS), name="pm_fill_frame")
    return fmap


def init_state(sources: Sources) -> None:
    """On a session's first run, take the view from the URL; ignored values become notices."""
    if "event" in st.session_state:
        return
    view = parse_view(
        st.query_params.to_dict(), sources.events, list(sources.parties.index), set(sources.oblasts.index)
    )
    for key in KEYS:
        value = getattr(view, key)
        st.session_state[key] = list(value) if key == "parties" else value
    st.session_state["own_only"] = view.sourcing == "own"
    st.session_state[NOTICES] = list(view.notices)


def current_view() -> View:
    """The view the widgets show now."""
    state = st.session_state
    return View(
        event=state["event"],
        parties=tuple(state.get("parties") or ()),
        shade=state.get("shade"),
        region=state.get("region") or "",
        mode=state.get("mode", "explore"),
        compare=state.get("compare", ""),
        versus=state.get("versus", ""),
        lat=state.get("lat"),
        lon=state.get("lon"),
        zoom=state.get("zoom"),
        pace=state.get("pace", 5),
        sourcing="own" if state.get("own_only") else "",
    )


def write_query(view: View) -> None:
    """Keep the URL in step with the view, so the address bar is always a link to it."""
    wanted = view_query(view)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_notices() -> None:
    """Values from the link that were ignored, until dismissed."""
    notices = st.session_state.get(NOTICES) or []
    for notice in notices:
        st.warning(md(notice))  # quotes the link's own values back
    if notices and st.button("Dismiss", key="dismiss_notices"):
        st.session_state[NOTICES] = []
        st.rerun()


def keep_choice(key: str, options: list, fallback: object) -> None:
    """Reset a widget's stored value when it is no longer among its options."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback


def step(events: list[str], delta: int) -> None:
    """Move the timeline by ``delta`` events, stopping at either end."""
    index = events.index(st.session_state["event"]) + delta
    st.session_state["event"] = events[max(0, min(len(events) - 1, index))]


def timeline(events: pd.DataFrame) -> str:
    """The timeline: ◀ ▶ (also the ← → keys) around a slider over the events."""
    ids = list(events.index)
    back, slider, forward = st.columns([1, 12, 1], vertical_alignment="bottom")
    back.button("◀", help="Previous event (← key)", on_click=step, args=(ids, -1), shortcut="Left", width="stretch")
    forward.button("▶", help="Next event (→ key)", on_click=step, args=(ids, 1), shortcut="Right", width="stretch")
    with slider:
        # The slider's labels are Markdown: the event's title is escaped there.
        return st.select_slider("Timeline", options=ids, format_func=lambda e: md(event_label(events, e)), key=TIMELINE)


def event_line(events: pd.DataFrame, event: str) -> None:
    """The chosen event's date, title and one-line summary, with the date's source on hover."""
    row = events.loc[event]
    st.markdown(
        f"**{md(fmt_date(row['date']))} — {md(row['title'])}.** {md(row['summary'])}", help=md(row["date_source"])
    )


def autoplay(events: pd.DataFrame) -> None:
    """While playing, step to the next event every ``pace`` seconds; stop at the last one."""
    if not st.session_state.get(PLAYING):
        return
    pace = st.session_state.get("pace", 5)
    st.session_state.setdefault("last_step", time.monotonic())

    @st.fragment(run_every=pace)
    def _tick() -> None:
        if time.monotonic() - st.session_state["last_step"] < pace - 0.2:
            return  # the run that drew the page, not a tick
        ids = list(events.index)
        if st.session_state["event"] == ids[-1]:
            st.session_state[PLAYING] = False
        else:
            step(ids, 1)
        st.session_state["last_step"] = time.monotonic()
        st.rerun(scope="app")

    _tick()


def toggle_play(events: list[str]) -> None:
    """Start or stop autoplay; starting at the last event restarts from the first."""
    st.session_state[PLAYING] = not st.session_state.get(PLAYING)
    if st.session_state[PLAYING] and st.session_state["event"] == events[-1]:
        st.session_state["event"] = events[0]
    st.session_state["last_step"] = time.monotonic()


def play_controls(events: pd.DataFrame) -> None:
    """Play/pause with a pace, for stepping through events hands-free."""
    playing = st.session_state.get(PLAYING, False)
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    left.button(
        "⏸ Pause" if playing else "▶ Play",
        on_click=toggle_play,
        args=(list(events.index),),
        shortcut="P",
        help="Step through the events by themselves (P key)",
        width="stretch",
    )
    right.selectbox("Seconds per event", PACES, key="pace")


def place_finder(gazetteer: Gazetteer, spellings: dict[str, list[str]], names: dict[str, str]) -> None:
    """Find a region by any name in use: English, Ukrainian, transliterations, Russian-derived spellings."""
    options = sorted({s for code, items in spellings.items() for s in items}, key=str.casefold)

    def _pick() -> None:
        found = gazetteer.resolve(st.session_state.get("place_query") or "")
        if found:
            st.session_state["region"] = found[0]

    st.selectbox(
        "Find a place",
        options,
        index=None,
        key="place_query",
        placeholder="Lugansk, Zaporozhye, Krym, Донбас…",
        on_change=_pick,
        help="Any spelling in use: English, Ukrainian, transliterations, Russian-derived names.",
    )
    st.selectbox(
        "Region",
        options=["", *sorted(names, key=names.get)],
        format_func=lambda c: names[c] if c else "Pick a region (or click the map)",
        key="region",
    )


def focus_picker(region: str, centroids: dict[str, tuple[float, float]]) -> None:
    """Map views for screen-sharing; they write centre and zoom into the link."""
    labels = [*FOCUS, "Around the selected region"] if region else list(FOCUS)

    def _apply() -> None:
        choice = st.session_state["focus"]
        target = FOCUS.get(choice)
        if choice == "Around the selected region" and region:
            target = (*centroids[region], 7.5)
        st.session_state["lat"], st.session_state["lon"], st.session_state["zoom"] = target or (None, None, None)

    st.selectbox("Map view", labels, key="focus", on_change=_apply, index=None, placeholder="As opened")


def on_map_click() -> None:
    """A click on a shaded region picks it for the history table (and the sidebar's region box: a full rerun)."""
    clicked = (st.session_state.get("map") or {}).get("last_active_drawing") or {}
    code = (clicked.get("properties") or {}).get("code")
    if code and code != st.session_state.get("region"):
        st.session_state["region"] = code
        st.session_state[FULL_RERUN] = True  # the map is in a fragment; st.rerun() is a no-op in a callback


def history_table(history: pd.DataFrame, sources: Sources) -> pd.DataFrame:
    """Every claim about a region over time, as a table a journalist can read and copy."""
    titles = sources.manifest["title"]
    return pd.DataFrame(
        {
            "Date": history["date"].dt.strftime("%Y-%m-%d"),
            "Party": history["party"].map(sources.parties["name"]),
            "Scope": history["region"].map(lambda r: "Ukraine as a whole" if r == WHOLE_COUNTRY else "This region"),
            "Stance": history["stance"].map(sources.stances["label"]),
            "Sourcing": history["sourcing"].map(sources.sourcing_labels()),
            "Speaker": history["speaker"],
            "Quote": history["quote"],
            "Article": history["seed"].map(titles) + " (" + history["seed"] + ")",
            "Note": history["note"],
        }
    )
