"""Everything drawn for one point on the timeline and one set of visible parties.

Pure data: GeoJSON dicts with styles, each feature's tooltip as facts (a
``tips`` record in its ``tip`` property), the proposed lines and the summaries.
The app caches it; rendering (``render/tooltips.py``, then folium) draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.frontline import RIVER, Snapshot, snapshot_for
from dashboard.geo_json import round_geometry
from dashboard.layers import LINE_KINDS, UNDRAWN, ProposedLine, proposed_line
from dashboard.proposals import COMPLETED_KINDS, NEGLIGIBLE_KM2, CompletedLine, complete_line
from dashboard.sources import Sources
from dashboard.summary import PartySummary, fmt_date, join_names, summarise_party
from dashboard.timeline import positions_at, primary_stances, regional
from dashboard.tips import LineTip, PartyEntry, RegionTip, extra_tip, front_tip, quotes

REGION_WEIGHT = 2.5  # outline width of a styled region, in px: visible on a projector
LINE_WEIGHTS = (9, 6, 3.5, 2)  # px, by layer order: coinciding lines nest instead of hiding each other
BORDER_1991_SCALE = 0.5  # that line is the whole country's outline: thinner, so the regions stay readable
FRONT_LINE_DASH = "8 6"  # dashed region edge: the front line runs through the region
FRONT_STYLE = {"color": "#1a1a1a", "weight": 3.5, "opacity": 0.9, "dashArray": ""}  # the line of contact
RIVER_DASH = "1 6"  # where the front follows the Dnipro: dotted, since the armies face each other across water
EXTRA_OPACITY = 0.35  # land a proposal asks for beyond the front line: the party's colour, see-through
# A position drawn from someone else's account or from our reading: the same stance, fainter, with a dotted edge,
# so it reads as weaker than the party's own word at a glance and in greyscale.
INDIRECT_FILL_SCALE = 0.45
INDIRECT_DASH = "1 4"  # dotted, and unlike every other dash on the map (the Dnipro front is "1 6")


@dataclass(frozen=True)
class PartyLayer:
    """One party: its proposed line (drawn when visible) and the summary of its position."""

    party: str
    name: str
    visible: bool
    line: dict | None  # GeoJSON FeatureCollection, or None when no line can be drawn
    proposed: ProposedLine
    summary: PartySummary
    completed: CompletedLine | None = None  # measured against the front line, when one is known for the date
    extra: dict | None = None  # GeoJSON of the land asked for beyond the front line (visible parties)

    @property
    def line_style(self) -> dict | None:
        """The drawn line's style, or None when no line is drawn."""
        return None if self.line is None else self.line["features"][0]["properties"]["style"]


@dataclass(frozen=True)
class MapState:
    """What the map shows at one event for the visible parties.

    Regions are drawn once each (overlapping translucent layers turn to mud):
    filled by the stance of the ``shade`` party, with a tooltip (``tips.RegionTip``)
    listing every visible party's position. Each visible party adds its proposed line.
    """

    event: str
    shade: str | None
    regions: dict  # GeoJSON FeatureCollection, one feature per region any visible party spoke about
    layers: tuple[PartyLayer, ...]  # every party, in file order
    primary: pd.DataFrame  # one row per (party, region) for every party, visible or not
    snapshot: Snapshot | None = None  # the front line in force at the event, if any
    front: dict | None = None  # GeoJSON of that front line

    @property
    def undrawn_lines(self) -> dict[str, str]:
        """Visible parties whose proposed line is not drawn, with the reason."""
        return undrawn_lines(self.layers)

    @property
    def indirect_drawn(self) -> bool:
        """True when a shaded region comes from a second-hand or inferred claim."""
        return any(f["properties"].get("own_word") is False for f in self.regions["features"])

    @property
    def drawn_stances(self) -> list[str]:
        """Stances that fill at least one region, in no particular order."""
        return sorted({f["properties"]["stance"] for f in self.regions["features"]} - {""})


def _line_detail(proposed: ProposedLine, names: dict[str, str], completed: CompletedLine | None = None) -> str:
    if completed is not None and completed.snapshot_date is not None and completed.kind != "border_1991":
        when = fmt_date(completed.snapshot_date)
        if completed.extra_km2 > 0:
            return f"It asks for {completed.extra_km2:,.0f} km² beyond the front line of {when}."
        return f"It asks for nothing beyond the front line of {when}."
    if proposed.kind == "oblast_borders":
        detail = f"Border of {join_names([names[c] for c in proposed.russian_regions])} with the rest of Ukraine."
        if proposed.front_line_regions:
            through = join_names([names[c] for c in proposed.front_line_regions])
            detail += f" Continues along the front line through {through} (no front line for this date)."
        return detail
    return LINE_KINDS[proposed.kind].capitalize() + "."


def build_map_state(
    sources: Sources,
    event: str,
    visible: list[str],
    shade: str | None = None,
    snapshots: tuple[Snapshot, ...] | None = None,
) -> MapState:
    """Compute every party's position at ``event`` and the features for the visible parties.

    ``shade`` picks the party whose stances fill the regions; it defaults to
    the first visible party and is ignored when that party is not visible.
    ``snapshots`` replaces the bundled front lines (a newsroom's own line).
    """
    visible = [p for p in sources.parties.index if p in visible]
    shade = shade if shade in visible else (visible[0] if visible else None)
    positions = positions_at(sources.claims, sources.events, event)
    primary = primary_stances(positions, sources.stances)
    known = sources.snapshots if snapshots is None else snapshots
    snapshot = snapshot_for(sources.events.at[event, "date"], list(known))
    layers = []
    for party in sources.parties.index:  # every party, so the summary covers hidden ones too
        mine = primary[primary["party"] == party]
        proposed, completed, summary = party_position(sources, event, party, mine, snapshot)
        line = extra = None
        if party in visible:
            weight = LINE_WEIGHTS[min(visible.index(party), len(LINE_WEIGHTS) - 1)]
            line = line_feature(sources, party, proposed, weight, completed=completed)
            extra = extra_feature(sources, party, completed)
        name = sources.parties.at[party, "name"]
        layers.append(PartyLayer(party, name, party in visible, line, proposed, summary, completed, extra))
    regions = _region_features(sources, positions, regional(primary), visible, shade)
    front = front_feature(snapshot) if snapshot is not None else None
    return MapState(event, shade, regions, tuple(layers), primary, snapshot, front)


def undrawn_lines(layers: tuple[PartyLayer, ...]) -> dict[str, str]:
    """The visible layers' parties whose proposed line is not drawn, with the reason."""
    return {
        layer.party: UNDRAWN.get(_drawn_kind(layer), UNDRAWN["none"])
        for layer in layers
        if layer.visible and layer.line is None
    }


def _drawn_kind(layer: PartyLayer) -> str:
    return layer.completed.kind if layer.completed is not None else layer.proposed.kind


def party_position(
    sources: Sources, event: str, party: str, primary: pd.DataFrame, snapshot: Snapshot | None
) -> tuple[ProposedLine, CompletedLine | None, PartySummary]:
    """A party's line from whole regions, the line completed with the front (when one is known), and its summary.

    They depend only on the party, the event and the front line, not on which
    parties are shown, so they are kept in ``sources.completed``: completion
    costs tens of milliseconds, and every combination of layers asks again.
    """
    line_key = None if snapshot is None else (snapshot.date, snapshot.front.file, round(snapshot.occupied_km2, 3))
    key = (party, event, line_key)

    def make() -> tuple[ProposedLine, CompletedLine | None, PartySummary]:
        proposed = proposed_line(primary, sources.oblasts)
        completed = None if snapshot is None else complete_line(primary, sources.oblasts, snapshot)
        summary = summarise_party(
            party, sources.parties, primary, sources.stances, sources.oblasts, proposed, sources.areas_km2
        )
        if completed is not None and completed.extra_km2 > 0:
            summary = _with_extra(summary, completed)
        return proposed, completed, summary

    return sources.completed.get_or_make(key, make)


def _with_extra(summary: PartySummary, completed: CompletedLine) -> PartySummary:
    regions = completed.by_region[completed.by_region["extra_km2"] >= NEGLIGIBLE_KM2]
    parts = join_names([f"{row.name_en} {row.extra_km2:,.0f} km²" for row in regions.itertuples()])
    sentence = (
        f"Beyond the front line of {fmt_date(completed.snapshot_date)}, it asks for {completed.extra_km2:,.0f} km² "
        f"that Ukraine holds ({parts})."
    )
    return PartySummary(summary.party, summary.name, summary.since, (*summary.sentences, sentence))


def front_feature(snapshot: Snapshot) -> dict:
    """The front line of a snapshot, land and river segments styled apart, with its date and sources."""
    tip = front_tip(snapshot)
    features = []
    pieces = list(zip(snapshot.front.lines, snapshot.front.segments, strict=False))
    if not pieces:  # a line derived from an uploaded occupied-territory polygon has no segments
        pieces = [(snapshot.front_geometry, "land")]
    for geometry, segment in pieces:
        kind = "river" if segment == RIVER else "land"  # other labels name a stretch of the land front
        style = {**FRONT_STYLE, "dashArray": RIVER_DASH if kind == "river" else ""}
        features.append(
            {
                "type": "Feature",
                "geometry": round_geometry(geometry),
                "properties": {"code": "", "kind": f"front_{kind}", "style": style, "tip": tip},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def extra_feature(sources: Sources, party: str, completed: CompletedLine | None) -> dict | None:
    """The land a party's position asks for beyond the front line, in its colour (None when there is none)."""
    if completed is None or completed.extra is None:
        return None
    colour = sources.parties.at[party, "colour"]
    style = {"fillColor": colour, "fillOpacity": EXTRA_OPACITY, "color": colour, "weight": 0.5, "pattern": "hatch"}
    feature = {
        "type": "Feature",
        "geometry": round_geometry(completed.extra),
        "properties": {
            "code": "",
            "kind": "extra",
            "style": style,
            "tip": extra_tip(sources.parties.at[party, "name"], completed),
        },
    }
    return {"type": "FeatureCollection", "features": [feature]}


def _region_features(
    sources: Sources, positions: pd.DataFrame, primary: pd.DataFrame, visible: list[str], shade: str | None
) -> dict:
    shown = primary[primary["party"].isin(visible)]
    labels = sources.sourcing_labels()
    features = []
    for code, rows in shown.groupby("region", sort=True):
        by_party = rows.set_index("party")
        entries = []
        for party in visible:  # the shaded party first, then the others in layer order
            if party not in by_party.index:
                continue
            claims = positions[(positions["party"] == party) & (positions["region"] == code)]
            sourcing = str(by_party.at[party, "sourcing"]) if "sourcing" in by_party.columns else ""
            entry = PartyEntry(
                sources.parties.at[party, "name"],
                sources.stances.at[by_party.at[party, "stance"], "label"],
                quotes(claims, sources.manifest, labels),
                sourcing=sourcing,
                sourcing_label=labels.get(sourcing, ""),
                own_word=_own_word(by_party, party),
            )
            entries.insert(0, entry) if party == shade else entries.append(entry)
        shaded = shade in by_party.index
        features.append(
            {
                "type": "Feature",
                "geometry": sources.shapes[code],
                "properties": {
                    "code": code,
                    "stance": by_party.at[shade, "stance"] if shaded else "",
                    "sourcing": str(by_party.at[shade, "sourcing"]) if shaded and "sourcing" in by_party else "",
                    "own_word": _own_word(by_party, shade) if shaded else None,
                    "style": _region_style(sources, by_party, shade),
                    "tip": RegionTip(sources.oblasts.at[code, "name_en"], tuple(entries), shaded),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _region_style(sources: Sources, by_party: pd.DataFrame, shade: str | None) -> dict:
    if shade not in by_party.index:
        # Another visible party spoke about it: a faint edge says "hover me".
        return {"fillColor": "#ffffff", "fillOpacity": 0.01, "color": "#6f6f6f", "weight": 1.5, "dashArray": "2 5"}
    stance = sources.stances.loc[by_party.at[shade, "stance"]]
    own = _own_word(by_party, shade)
    dash = FRONT_LINE_DASH if stance["outcome"] == "front_line" else ""
    return {
        "fillColor": stance["fill"],
        "fillOpacity": round(float(stance["fill_opacity"]) * (1 if own else INDIRECT_FILL_SCALE), 3),
        "color": sources.parties.at[shade, "colour"],
        "weight": REGION_WEIGHT,
        "dashArray": dash if own else INDIRECT_DASH,
        "pattern": stance["pattern"],
    }


def _own_word(by_party: pd.DataFrame, party: str) -> bool:
    """Whether a party's drawn position on a region is in its own word (stated or reported)."""
    return bool(by_party.at[party, "own_word"]) if "own_word" in by_party.columns else True


def line_feature(
    sources: Sources,
    party: str,
    proposed: ProposedLine,
    weight: float,
    label: str | None = None,
    dash: str | None = None,
    completed: CompletedLine | None = None,
) -> dict | None:
    """A party's proposed line as a one-feature collection, styled in the party's colour and dash.

    The completed line (with the front line) is drawn when there is one, else
    the line from whole regions. ``label`` names the line in its tooltip
    (default: the party's name); ``dash`` overrides the party's dash pattern
    (a comparison of one party at two dates). None when there is nothing to draw.
    """
    if completed is not None:
        geometry, kind = completed.line, completed.kind
    else:
        geometry, kind = proposed.geometry, proposed.kind
    if geometry is None or geometry.is_empty:
        return None
    party_row = sources.parties.loc[party]
    names = sources.oblasts["name_en"].to_dict()
    weight *= BORDER_1991_SCALE if kind == "border_1991" else 1
    dash = party_row["dash"] if dash is None else dash
    style = {"color": party_row["colour"], "weight": weight, "dashArray": dash, "opacity": 0.95}
    detail = _line_detail(proposed, names, completed)
    feature = {
        "type": "Feature",
        "geometry": round_geometry(geometry),
        "properties": {
            "code": "",
            "kind": kind,
            "style": style,
            "tip": LineTip(label or party_row["name"], _kind_text(kind), detail),
        },
    }
    return {"type": "FeatureCollection", "features": [feature]}


def _kind_text(kind: str) -> str:
    return COMPLETED_KINDS.get(kind) or LINE_KINDS[kind]


def warm_positions(sources: Sources) -> None:
    """Compute every party's position at every event ahead of time (fills ``sources.completed``).

    A date's first visit otherwise spends ~150 ms completing lines with the
    front; the app runs this once per data version in a background thread.
    """
    for event in sources.events.index:
        positions = positions_at(sources.claims, sources.events, event)
        primary = primary_stances(positions, sources.stances)
        snapshot = snapshot_for(sources.events.at[event, "date"], list(sources.snapshots))
        for party in sources.parties.index:
            party_position(sources, event, party, primary[primary["party"] == party], snapshot)
