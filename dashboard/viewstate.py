"""A view of the map as a value: what a shared link holds, parsed and checked.

Everything that defines what is on screen lives in the URL's query string,
so a briefer can prepare one link per slide. Parsing never fails: a value
that is unknown, stale or malformed falls back to its default and adds a
notice the page shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.timeline import event_at_date

MODES = ("explore", "present")
COMPARES = ("", "parties", "dates")  # "" = no comparison
SOURCINGS = ("", "own")  # "own": only positions the parties stated or that were reported as theirs
PACES = (3, 5, 8, 12)  # seconds per event when the timeline plays by itself
DEFAULT_PACE = 5
# The map's zoom limits and panning bounds: render/mapview.py draws the map with these, links are held to them.
ZOOM_RANGE = (5, 10)
MAX_BOUNDS = [[40.0, 14.0], [57.0, 48.0]]  # south-west, north-east (lat, lon): Ukraine and its neighbours stay in view
LAT_RANGE = (MAX_BOUNDS[0][0], MAX_BOUNDS[1][0])
LON_RANGE = (MAX_BOUNDS[0][1], MAX_BOUNDS[1][1])
MAX_PARAM_CHARS = 200  # longer values are not ids; refuse rather than echo them back


@dataclass(frozen=True)
class View:
    """Everything a link can set; ``None``/empty means "the default"."""

    event: str
    parties: tuple[str, ...]
    shade: str | None = None
    region: str = ""
    mode: str = "explore"
    compare: str = ""
    versus: str = ""  # the other party (compare=parties) or the other event (compare=dates)
    lat: float | None = None
    lon: float | None = None
    zoom: float | None = None
    pace: int = DEFAULT_PACE
    sourcing: str = ""  # "own" hides second-hand and inferred positions
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def centre(self) -> tuple[float, float] | None:
        """(lat, lon) when the link fixes the map's centre."""
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)


def _clean(params: Mapping[str, str], key: str) -> str:
    value = params.get(key, "")
    value = value[-1] if isinstance(value, list) else value
    return str(value).strip()


def _number(params: Mapping[str, str], key: str, bounds: tuple[float, float], notices: list[str]) -> float | None:
    raw = _clean(params, key)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not bounds[0] <= value <= bounds[1]:
        notices.append(f"'{_short(raw)}' is not a valid {key} (from {bounds[0]:g} to {bounds[1]:g}): ignored.")
        return None
    return value


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def parse_view(params: Mapping[str, str], events: pd.DataFrame, parties: list[str], regions: set[str]) -> View:
    """The view a query string asks for, with a notice for every value that was ignored.

    ``event`` names an event; ``date`` (YYYY-MM-DD) picks the last event on or
    before it and is used when ``event`` is absent.
    """
    notices: list[str] = []
    if any(len(_clean(params, k)) > MAX_PARAM_CHARS for k in params):
        notices.append(f"A value in the link is longer than {MAX_PARAM_CHARS} characters: it was ignored.")
        params = {k: v for k, v in params.items() if len(_clean(params, k)) <= MAX_PARAM_CHARS}
    event = _event(params, events, notices)
    shown = _parties(params, parties, notices)
    shade = _clean(params, "shade") or None
    if shade is not None and shade not in shown:
        notices.append(f"Cannot shade by '{_short(shade)}': it is not a shown party.")
        shade = None
    region = _clean(params, "region")
    if region and region not in regions:
        notices.append(f"Unknown region '{_short(region)}' in the link.")
        region = ""
    mode = _choice(params, "mode", MODES, notices) or "explore"
    compare = _choice(params, "compare", COMPARES, notices)
    versus = _versus(params, compare, events, parties, notices)
    if compare and not versus:
        compare = ""
    pace = _choice(params, "pace", tuple(str(p) for p in PACES), notices)
    sourcing = _choice(params, "sourcing", SOURCINGS, notices)
    lat = _number(params, "lat", LAT_RANGE, notices)
    lon = _number(params, "lon", LON_RANGE, notices)
    if (lat is None) != (lon is None):
        lat = lon = None
    return View(
        event=event,
        parties=shown,
        shade=shade,
        region=region,
        mode=mode,
        compare=compare,
        versus=versus,
        lat=lat,
        lon=lon,
        zoom=_number(params, "zoom", ZOOM_RANGE, notices),
        pace=int(pace) if pace else DEFAULT_PACE,
        sourcing=sourcing,
        notices=tuple(notices),
    )


def _event(params: Mapping[str, str], events: pd.DataFrame, notices: list[str]) -> str:
    latest = str(events.index[-1])
    event, day = _clean(params, "event"), _clean(params, "date")
    if event:
        if event in events.index:
            return event
        notices.append(f"Unknown event '{_short(event)}' in the link: showing the latest event.")
        return latest
    if day:
        when = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
        found = None if pd.isna(when) else event_at_date(events, when)
        if found is None:
            first = events["date"].iloc[0].date().isoformat()
            notices.append(f"'{_short(day)}' is not a date on the timeline (YYYY-MM-DD, from {first}): latest event.")
            return latest
        return found
    return latest


def _parties(params: Mapping[str, str], parties: list[str], notices: list[str]) -> tuple[str, ...]:
    if "parties" not in params:
        return tuple(parties)
    wanted = [p.strip() for p in _clean(params, "parties").split(",") if p.strip()]
    unknown = [p for p in wanted if p not in parties]
    if unknown:
        notices.append(f"Unknown part{'y' if len(unknown) == 1 else 'ies'} in the link: {_short(', '.join(unknown))}.")
    return tuple(p for p in parties if p in wanted)


def _choice(params: Mapping[str, str], key: str, allowed: tuple[str, ...], notices: list[str]) -> str:
    value = _clean(params, key)
    if value and value not in allowed:
        options = ", ".join(a for a in allowed if a)
        notices.append(f"Unknown {key} '{_short(value)}' in the link (one of: {options}).")
        return ""
    return value


def _versus(
    params: Mapping[str, str], compare: str, events: pd.DataFrame, parties: list[str], notices: list[str]
) -> str:
    versus = _clean(params, "vs")
    if not compare:
        return ""
    allowed = parties if compare == "parties" else list(events.index)
    if versus not in allowed:
        what = "party" if compare == "parties" else "event"
        notices.append(f"Compare needs another {what} ('vs'); '{_short(versus)}' is not one: comparison off.")
        return ""
    return versus


def view_query(view: View) -> dict[str, str]:
    """The query string for a view: only what differs from the defaults, in a stable order."""
    query = {"event": view.event, "parties": ",".join(view.parties)}
    optional = {
        "shade": view.shade or "",
        "region": view.region,
        "mode": "" if view.mode == "explore" else view.mode,
        "compare": view.compare,
        "vs": view.versus if view.compare else "",
        "lat": "" if view.lat is None else f"{view.lat:.4f}",
        "lon": "" if view.lon is None else f"{view.lon:.4f}",
        "zoom": "" if view.zoom is None else f"{view.zoom:g}",
        "pace": "" if view.pace == DEFAULT_PACE else str(view.pace),
        "sourcing": view.sourcing,
    }
    query.update({k: v for k, v in optional.items() if v})
    return query
