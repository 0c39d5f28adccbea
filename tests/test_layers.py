"""Proposed lines: built from whole regions, never pretending an oblast border is the front line."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.layers import proposed_line, regions_by_outcome, shared_border


@pytest.fixture
def grid() -> gpd.GeoDataFrame:
    """Four unit squares in a row: A | B | C | D (west to east)."""
    boxes = [shapely.box(x, 0, x + 1, 1) for x in range(4)]
    return gpd.GeoDataFrame({"name_en": list("ABCD")}, geometry=boxes, index=list("ABCD"), crs="EPSG:4326")


def _primary(*rows: tuple[str, str]) -> pd.DataFrame:
    """Primary stances from (region, outcome) pairs."""
    return pd.DataFrame(
        {
            "party": "p",
            "region": [r for r, _ in rows],
            "outcome": [o for _, o in rows],
            "stance": "s",
            "date": pd.Timestamp("2025-01-01"),
        }
    )


def test_line_is_the_border_between_regions_left_to_russia_and_the_rest(grid: gpd.GeoDataFrame) -> None:
    line = proposed_line(_primary(("D", "russian_control")), grid)
    assert line.kind == "oblast_borders"
    assert line.russian_regions == ("D",)
    assert line.geometry.equals(shapely.LineString([(3, 0), (3, 1)]))


def test_two_adjacent_regions_give_one_outer_border_not_their_shared_one(grid: gpd.GeoDataFrame) -> None:
    line = proposed_line(_primary(("C", "russian_control"), ("D", "russian_control")), grid)
    assert line.geometry.equals(shapely.LineString([(2, 0), (2, 1)]))


def test_border_with_a_front_line_region_is_left_out(grid: gpd.GeoDataFrame) -> None:
    # D to Russia, C split by the front: the line must not run along the C|D border.
    line = proposed_line(_primary(("D", "russian_control"), ("C", "front_line")), grid)
    assert line.kind == "oblast_borders"
    assert line.front_line_regions == ("C",)
    assert line.geometry is None


def test_front_line_positions_give_no_drawn_line(grid: gpd.GeoDataFrame) -> None:
    line = proposed_line(_primary(("C", "front_line")), grid)
    assert line.kind == "front_line"
    assert line.geometry is None
    assert line.front_line_regions == ("C",)


def test_a_whole_country_front_line_position_is_a_front_line_kind(grid: gpd.GeoDataFrame) -> None:
    assert proposed_line(_primary(("UA", "front_line")), grid).kind == "front_line"


def test_keeping_every_region_gives_the_1991_border(grid: gpd.GeoDataFrame) -> None:
    line = proposed_line(_primary(("A", "ukrainian_control"), ("B", "open")), grid)
    assert line.kind == "border_1991"
    assert line.geometry.equals(grid.union_all().boundary)


def test_open_stances_alone_give_no_line(grid: gpd.GeoDataFrame) -> None:
    assert proposed_line(_primary(("A", "open")), grid).kind == "none"
    assert proposed_line(_primary(), grid).kind == "none"


def test_regions_by_outcome_ignores_whole_country_rows() -> None:
    primary = _primary(("UA", "russian_control"), ("B", "russian_control"), ("A", "open"))
    assert regions_by_outcome(primary, "russian_control") == ("B",)


def test_shared_border_of_regions_that_only_touch_at_a_corner_is_none() -> None:
    assert shared_border(shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)) is None


def test_committed_oblasts_donbas_line_is_the_western_border_of_donetsk_and_luhansk() -> None:
    from dashboard.geo import load_oblasts
    from dashboard.paths import OBLASTS_GEOJSON

    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    line = proposed_line(_primary(("UA-14", "russian_control"), ("UA-09", "russian_control")), oblasts)
    assert line.geometry is not None
    neighbours = oblasts.loc[["UA-12", "UA-63", "UA-23"]].union_all()  # Dnipropetrovsk, Kharkiv, Zaporizhzhia
    assert line.geometry.buffer(1e-6).covers(shared_border(oblasts.loc["UA-14"].geometry, neighbours))
    assert not line.geometry.intersects(oblasts.loc[["UA-14", "UA-09"]].union_all().buffer(-0.01))
