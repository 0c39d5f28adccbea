"""Each party's proposed line, completed with the front line, and what it would hand over.

:func:`dashboard.layers.proposed_line` draws a position that leaves whole
regions to Russia, but cannot finish a line that runs along the front. With
a front-line snapshot (:mod:`dashboard.frontline`) it can: the territory a
position would leave under Russian control is

- every region whose stance leaves it to Russia (``russian_control``), whole;
- the occupied part of every region whose stance stops on the front line
  (``front_line``);
- the whole occupied area, if the position stops on the current line for the
  country as a whole (a ceasefire on current lines);
- the whole of Ukraine for a whole-country ``russian_control`` stance.

Its outer boundary inside Ukraine is the proposed line; what it adds to the
occupied area is what the position would hand over beyond today's line.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.frontline import ON_BORDER_DEG, Snapshot, areas_by_region
from dashboard.geo import WGS84, area_km2, ukraine_outline
from dashboard.layers import ProposedLine, proposed_line, regions_by_outcome
from dashboard.timeline import whole_country

# Areas smaller than this (km²) are rounding between polygons, not territory: the one threshold for
# every area shown, listed or exported.
NEGLIGIBLE_KM2 = 1.0

# What the completed line follows, for the legend.
COMPLETED_KINDS = {
    "oblast_borders": "follows oblast borders: the regions the position would leave to Russia",
    "borders_and_front": (
        "follows oblast borders, then the front line through the regions where the position stops on it"
    ),
    "front_line": "the current front line: the position leaves the line of contact where it is",
    "border_1991": "Ukraine's internationally recognised 1991 border: the position gives up no territory",
    "none": "no line can be drawn from the position",
}


@dataclass(frozen=True)
class CompletedLine:
    """One party's position at a date measured against the front line of a snapshot.

    Geometry is WGS84 (None when empty). ``by_region`` is indexed by oblast
    code with ``name_en, territory_km2, extra_km2``: what the position leaves
    to Russia in each region and how much of it Ukraine holds today.
    ``not_covered_km2`` is occupied today but outside the territory: land the
    position would give back, or (more often) land it says nothing about.
    """

    kind: str
    base: ProposedLine
    territory: BaseGeometry | None
    line: BaseGeometry | None
    extra: BaseGeometry | None
    territory_km2: float
    extra_km2: float
    not_covered_km2: float
    by_region: pd.DataFrame
    snapshot_date: pd.Timestamp | None


def _area(geometry: BaseGeometry | None) -> float:
    if geometry is None or geometry.is_empty:
        return 0.0
    return float(area_km2(gpd.GeoDataFrame(geometry=[geometry], crs=WGS84)).iloc[0])


def _polygons(geometry: BaseGeometry) -> BaseGeometry | None:
    """Only the polygonal parts (set operations can leave stray lines and points); None if nothing is left."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def territory_for(primary: pd.DataFrame, oblasts: gpd.GeoDataFrame, occupied: BaseGeometry) -> BaseGeometry | None:
    """What a party's primary stances would leave under Russian control (WGS84), or None for nothing."""
    country = whole_country(primary)["outcome"]
    if (country == "russian_control").any():
        return ukraine_outline(oblasts)
    pieces = [oblasts.geometry[c] for c in regions_by_outcome(primary, "russian_control") if c in oblasts.index]
    pieces += [
        oblasts.geometry[c].intersection(occupied)
        for c in regions_by_outcome(primary, "front_line")
        if c in oblasts.index
    ]
    if (country == "front_line").any():
        pieces.append(occupied)
    if not pieces:
        return None
    return _polygons(shapely.union_all(pieces))


def outer_boundary(territory: BaseGeometry | None, outline: BaseGeometry) -> BaseGeometry | None:
    """The edge of ``territory`` inside Ukraine: its boundary less the country's own border and coast."""
    if territory is None:
        return None
    edge = territory.boundary.difference(outline.boundary.buffer(ON_BORDER_DEG))
    lines = [g for g in shapely.get_parts(edge) if g.geom_type in ("LineString", "LinearRing") and g.length > 0]
    if not lines:
        return None
    return shapely.line_merge(shapely.MultiLineString(lines))


def _kind(base: ProposedLine, primary: pd.DataFrame, territory: BaseGeometry | None) -> str:
    if territory is None:
        return base.kind if base.kind in ("border_1991", "none") else "none"
    front = regions_by_outcome(primary, "front_line") or (whole_country(primary)["outcome"] == "front_line").any()
    if regions_by_outcome(primary, "russian_control"):
        return "borders_and_front" if front else "oblast_borders"
    return "front_line"


def complete_line(primary: pd.DataFrame, oblasts: gpd.GeoDataFrame, snapshot: Snapshot) -> CompletedLine:
    """One party's proposed line at a date, completed with the snapshot's front line.

    ``primary`` is the party's rows of :func:`dashboard.timeline.primary_stances`.
    A position that keeps every region keeps the 1991 border as its line
    (``border_1991``), as :func:`dashboard.layers.proposed_line` draws it.
    """
    base = proposed_line(primary, oblasts)
    outline = ukraine_outline(oblasts)
    territory = territory_for(primary, oblasts, snapshot.occupied)
    kind = _kind(base, primary, territory)
    if territory is None:
        line = base.geometry if kind == "border_1991" else None
        empty = pd.DataFrame(columns=["name_en", "territory_km2", "extra_km2"])
        return CompletedLine(kind, base, None, line, None, 0.0, 0.0, 0.0, empty, snapshot.date)
    extra = _polygons(territory.difference(snapshot.occupied))
    not_covered = _polygons(snapshot.occupied.difference(territory))
    by_territory = areas_by_region(territory, oblasts)
    by_extra = areas_by_region(extra, oblasts) if extra is not None else by_territory.iloc[0:0]
    by_region = pd.DataFrame(
        {
            "name_en": by_territory["name_en"],
            "territory_km2": by_territory["occupied_km2"],
            "extra_km2": by_extra["occupied_km2"].reindex(by_territory.index).fillna(0.0),
        }
    )
    extra_km2 = _area(extra)
    not_covered_km2 = _area(not_covered)
    return CompletedLine(
        kind=kind,
        base=base,
        territory=territory,
        line=outer_boundary(territory, outline),
        extra=extra if extra_km2 >= NEGLIGIBLE_KM2 else None,
        territory_km2=_area(territory),
        extra_km2=extra_km2 if extra_km2 >= NEGLIGIBLE_KM2 else 0.0,
        not_covered_km2=not_covered_km2 if not_covered_km2 >= NEGLIGIBLE_KM2 else 0.0,
        by_region=by_region,
        snapshot_date=snapshot.date,
    )
