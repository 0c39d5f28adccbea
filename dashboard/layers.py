"""Geometry of each party's layer at a point on the timeline.

Input: a party's primary stances (timeline.primary_stances) and the oblast
polygons. Output: the styled regions and the party's proposed line, as
shapely geometry in WGS84; rendering turns them into map features.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.timeline import regional, whole_country

# Kinds of proposed line, and what the legend says about each.
LINE_KINDS = {
    "oblast_borders": "follows oblast borders: the edge of the regions the position would leave to Russia",
    "border_1991": "Ukraine's internationally recognised 1991 border: the position gives up no territory",
    "front_line": "runs along the current front line, which is not drawn yet",
    "none": "no line can be drawn from the position",
}
# Why a kind of line may have nothing to draw, as the legend says it.
UNDRAWN = {
    "oblast_borders": "it follows the front line, not drawn yet, where its regions meet the rest of Ukraine",
    "border_1991": "no territory to draw",
    "front_line": "it follows the current front line, not drawn yet",
    "none": "its position at this date implies no line",
}


@dataclass(frozen=True)
class ProposedLine:
    """The outer boundary of what a party's position would leave under Russian control."""

    kind: str
    geometry: BaseGeometry | None
    russian_regions: tuple[str, ...] = ()
    front_line_regions: tuple[str, ...] = field(default=())


def regions_by_outcome(primary: pd.DataFrame, outcome: str) -> tuple[str, ...]:
    """Codes of the regions whose primary stance has ``outcome``, sorted."""
    rows = regional(primary)
    return tuple(sorted(rows.loc[rows["outcome"] == outcome, "region"]))


def shared_border(inside: BaseGeometry, outside: BaseGeometry) -> BaseGeometry | None:
    """The part of ``inside``'s boundary that it shares with ``outside``, as lines.

    Relies on the oblast coverage sharing its vertices exactly (the build keeps
    borders shared), so the intersection of two boundaries is their common edge.
    """
    common = shapely.intersection(inside.boundary, outside.boundary)
    lines = [g for g in shapely.get_parts(common) if g.geom_type in ("LineString", "LinearRing") and not g.is_empty]
    if not lines:
        return None
    return shapely.line_merge(shapely.MultiLineString(lines))


def proposed_line(primary: pd.DataFrame, oblasts: gpd.GeoDataFrame) -> ProposedLine:
    """Build one party's proposed line from its primary stances at a date.

    - Regions the position leaves to Russia: the line is their border with the
      rest of Ukraine, leaving out borders with front-line regions, where the
      line runs through the region along the front instead.
    - Otherwise a front-line position (regional, or about the whole country)
      gives a front-line line, not drawn until front-line data exists.
    - Otherwise a position that keeps all territory gives the 1991 border;
      stances with no territorial outcome ("open") are left out of that test.
    """
    russian = regions_by_outcome(primary, "russian_control")
    front = regions_by_outcome(primary, "front_line")
    country = whole_country(primary)
    if russian:
        others = oblasts.drop(index=list(russian + front))
        line = shared_border(oblasts.loc[list(russian)].union_all(), others.union_all())
        return ProposedLine("oblast_borders", line, russian, front)
    if front or (country["outcome"] == "front_line").any():
        return ProposedLine("front_line", None, (), front)
    decided = primary[primary["outcome"] != "open"]  # "open" stances say nothing about a line
    if not decided.empty and (decided["outcome"] == "ukrainian_control").all():
        return ProposedLine("border_1991", oblasts.union_all().boundary)
    return ProposedLine("none", None)
