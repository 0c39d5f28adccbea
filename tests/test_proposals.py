"""Proposed lines completed with the front line, and the area each position would hand over."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.frontline import FrontLine, Snapshot, load_snapshots, snapshot_for
from dashboard.proposals import complete_line, outer_boundary, territory_for


@pytest.fixture
def grid() -> gpd.GeoDataFrame:
    """Four unit squares west to east, A | B | C | D, at 50..51 N; the front runs north-south at x = 2.5."""
    boxes = [shapely.box(x, 50, x + 1, 51) for x in range(4)]
    return gpd.GeoDataFrame({"name_en": list("ABCD")}, geometry=boxes, index=list("ABCD"), crs="EPSG:4326")


@pytest.fixture
def snapshot() -> Snapshot:
    occupied = shapely.box(2.5, 50, 4, 51)  # half of C and all of D
    front = FrontLine(date=pd.Timestamp("2025-01-01"), title="t", sources="s", approximation="a", file="f")
    by_region = pd.DataFrame({"name_en": ["C", "D"], "occupied_km2": [1.0, 1.0]}, index=["C", "D"])
    return Snapshot(front, occupied, shapely.LineString([(2.5, 50), (2.5, 51)]), 1.0, 4.0, by_region)


def _primary(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"party": "p", "region": [r for r, _ in rows], "outcome": [o for _, o in rows], "stance": "s",
         "date": pd.Timestamp("2025-01-01")}
    )  # fmt: skip


def test_whole_regions_left_to_russia(grid: gpd.GeoDataFrame, snapshot: Snapshot) -> None:
    done = complete_line(_primary(("C", "russian_control"), ("D", "russian_control")), grid, snapshot)
    assert done.kind == "oblast_borders"
    assert done.territory.equals(shapely.box(2, 50, 4, 51))
    assert done.line.hausdorff_distance(shapely.LineString([(2, 50), (2, 51)])) < 1e-4
    assert done.extra.equals(shapely.box(2, 50, 2.5, 51))  # the half of C Ukraine holds today
    assert done.extra_km2 == pytest.approx(0.5 * 71.6 * 111.2, rel=0.02)
    assert list(done.by_region.index) == ["C", "D"] or set(done.by_region.index) == {"C", "D"}
    assert done.by_region.at["D", "extra_km2"] == pytest.approx(0, abs=1)


def test_regions_to_russia_joined_with_the_front_line(grid: gpd.GeoDataFrame, snapshot: Snapshot) -> None:
    # Russia takes B whole and stops on the front in C; D is occupied but the position says nothing of it.
    done = complete_line(_primary(("B", "russian_control"), ("C", "front_line")), grid, snapshot)
    assert done.kind == "borders_and_front"
    assert (
        done.territory.symmetric_difference(shapely.box(1, 50, 3, 51).difference(shapely.box(2, 50, 2.5, 51))).area
        < 1e-9
    )
    assert done.not_covered_km2 > 0  # D: occupied today, outside the position


def test_ceasefire_on_current_lines_is_the_front_line(grid: gpd.GeoDataFrame, snapshot: Snapshot) -> None:
    done = complete_line(_primary(("UA", "front_line"), ("A", "ukrainian_control")), grid, snapshot)
    assert done.kind == "front_line"
    assert done.extra is None and done.extra_km2 == 0
    assert done.line.hausdorff_distance(shapely.LineString([(2.5, 50), (2.5, 51)])) < 1e-4


def test_keeping_everything_is_the_1991_border(grid: gpd.GeoDataFrame, snapshot: Snapshot) -> None:
    done = complete_line(_primary(("A", "ukrainian_control"), ("UA", "ukrainian_control")), grid, snapshot)
    assert done.kind == "border_1991"
    assert done.territory is None and done.extra_km2 == 0
    assert done.line.equals(grid.union_all().boundary)


def test_open_stances_give_nothing(grid: gpd.GeoDataFrame, snapshot: Snapshot) -> None:
    done = complete_line(_primary(("C", "open")), grid, snapshot)
    assert done.kind == "none" and done.line is None and done.territory is None


def test_territory_and_its_edge_on_their_own(grid: gpd.GeoDataFrame) -> None:
    occupied = shapely.box(3.5, 50, 4, 51)
    assert territory_for(_primary(("D", "front_line")), grid, occupied).equals(occupied)
    assert territory_for(_primary(("A", "open")), grid, occupied) is None
    assert outer_boundary(None, grid.union_all()) is None
    assert outer_boundary(grid.union_all(), grid.union_all()) is None  # all of it: no edge inside the country


# --------------------------------------------------------------------------
# The real positions
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(sources):
    from dashboard.timeline import positions_at, primary_stances

    snapshots, problems = load_snapshots(sources.oblasts)
    assert problems == []

    def at(event: str, party: str):
        primary = primary_stances(positions_at(sources.claims, sources.events, event), sources.stances)
        snapshot = snapshot_for(sources.events.at[event, "date"], snapshots)
        return complete_line(primary[primary["party"] == party], sources.oblasts, snapshot), snapshot

    return at


def test_russia_august_2025_hands_over_the_rest_of_donbas(real) -> None:
    done, snapshot = real("alaska-summit", "russia")
    assert done.kind == "borders_and_front"
    held_donbas = sum(
        snapshot.by_region.at[c, "area_km2"] - snapshot.by_region.at[c, "occupied_km2"] for c in ("UA-14", "UA-09")
    )
    assert done.extra_km2 == pytest.approx(held_donbas, rel=0.01)
    assert 4_000 < done.extra_km2 < 9_000
    assert done.by_region.loc[["UA-23", "UA-65"], "extra_km2"].sum() < 1  # frozen on the line there


def test_russia_june_2024_asks_for_all_four_oblasts(real) -> None:
    done, _ = real("putin-conditions-2024", "russia")
    assert done.kind == "oblast_borders"
    assert set(done.by_region.index) >= {"UA-14", "UA-09", "UA-23", "UA-65", "UA-43", "UA-40"}
    assert 20_000 < done.extra_km2 < 30_000


def test_ukraine_ceasefire_hands_over_nothing(real) -> None:
    done, _ = real("yermak-atlantic", "ukraine")
    assert done.kind == "front_line" and done.extra_km2 == 0


def test_ukraine_2022_keeps_the_1991_border(real) -> None:
    done, _ = real("zelenskyy-10-point-plan", "ukraine")
    assert done.kind == "border_1991" and done.line is not None
