"""Front lines: the split of Ukraine by a line, equal-area figures, the bundled lines, and every bad-file case."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.frontline import (
    MAX_BYTES,
    FrontLineError,
    build_snapshot,
    extend_to_border,
    load_frontline,
    load_snapshots,
    occupied_area,
    parse_frontline,
    snapshot_for,
)
from dashboard.geo import load_oblasts
from dashboard.paths import FRONTLINE_CATALOGUE_CSV as CATALOGUE_CSV
from dashboard.paths import FRONTLINES_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "frontline"
TOWNS_CSV = FRONTLINES_DIR / "towns.csv"


# --------------------------------------------------------------------------
# Synthetic geometry: two "oblasts" around Kyiv's longitude, 29..31 and 31..33 E
# --------------------------------------------------------------------------


@pytest.fixture
def pair() -> gpd.GeoDataFrame:
    """West (holds Kyiv, 30.5 E 50.45 N) and East, 49..52 N."""
    boxes = [shapely.box(29, 49, 31, 52), shapely.box(31, 49, 33, 52)]
    return gpd.GeoDataFrame({"name_en": ["West", "East"]}, geometry=boxes, index=["UA-01", "UA-02"], crs="EPSG:4326")


def test_split_keeps_the_side_away_from_kyiv(pair: gpd.GeoDataFrame) -> None:
    occupied = occupied_area(shapely.LineString([(32, 48.5), (32, 52.5)]), pair)
    assert (
        occupied.equals_exact(shapely.box(32, 49, 33, 52), 1e-5)
        or occupied.symmetric_difference(shapely.box(32, 49, 33, 52)).area < 1e-5
    )


def test_split_does_not_depend_on_the_direction_the_line_is_drawn(pair: gpd.GeoDataFrame) -> None:
    north = occupied_area(shapely.LineString([(32, 48.5), (32.3, 50), (32, 52.5)]), pair)
    south = occupied_area(shapely.LineString([(32, 52.5), (32.3, 50), (32, 48.5)]), pair)
    assert north.symmetric_difference(south).area < 1e-6
    assert north.area == pytest.approx(3 - 0.56, rel=1e-3)  # the bend takes 0.2 + 0.36 square degrees back


def test_line_ending_short_of_the_border_is_extended_to_it(pair: gpd.GeoDataFrame) -> None:
    # Ends 0.1 degree (~11 km) inside the southern edge: extended straight on, not rejected.
    occupied = occupied_area(shapely.LineString([(32, 49.1), (32, 52.5)]), pair)
    assert occupied.area == pytest.approx(3.0, rel=1e-3)
    extended = extend_to_border(shapely.LineString([(32, 49.1), (32, 52.5)]), pair.union_all())
    assert extended.coords[0][1] < 49


def test_line_far_from_the_border_does_not_divide(pair: gpd.GeoDataFrame) -> None:
    with pytest.raises(FrontLineError, match="does not divide"):
        occupied_area(shapely.LineString([(32, 50), (32, 51)]), pair)


def test_a_pocket_against_the_border_is_the_small_side(pair: gpd.GeoDataFrame) -> None:
    # From beyond the eastern edge, into the country and back out: the strip it closes off is Russia's.
    pocket = shapely.LineString([(33.5, 51.0), (32.5, 51.0), (32.5, 51.5), (33.5, 51.5)])
    occupied = occupied_area(pocket, pair)
    assert occupied.area == pytest.approx(0.25, rel=1e-3)
    assert occupied.contains(shapely.Point(32.8, 51.2))


def test_main_line_and_pocket_together(pair: gpd.GeoDataFrame) -> None:
    lines = shapely.MultiLineString(
        [[(32.5, 48.5), (32.5, 50.5), (33.5, 50.5)], [(30.5, 52.5), (30.5, 51.8), (29.5, 51.8), (29.5, 52.5)]]
    )
    occupied = occupied_area(lines, pair)
    assert occupied.area == pytest.approx(0.5 * 1.5 + 1 * 0.2, rel=1e-3)


def test_islands_go_with_the_nearest_side() -> None:
    boxes = [shapely.box(29, 49, 31, 52), shapely.box(31, 49, 33, 52), shapely.box(32.5, 48.0, 32.8, 48.5)]
    units = gpd.GeoDataFrame({"name_en": ["W", "E", "Isle"]}, geometry=boxes, index=["UA-01", "UA-02", "UA-03"])
    units = units.set_crs("EPSG:4326")
    occupied = occupied_area(shapely.LineString([(32, 48.9), (32, 52.5)]), units)
    assert occupied.contains(shapely.Point(32.6, 48.2))  # the island off the eastern side
    assert not occupied.contains(shapely.Point(31.5, 50))


def test_crimea_and_sevastopol_are_always_occupied() -> None:
    boxes = [shapely.box(29, 49, 31, 52), shapely.box(31, 49, 33, 52), shapely.box(29, 47, 30, 48)]
    units = gpd.GeoDataFrame({"name_en": ["W", "E", "Crimea"]}, geometry=boxes, index=["UA-01", "UA-02", "UA-43"])
    occupied = occupied_area(shapely.LineString([(32, 48.5), (32, 52.5)]), units.set_crs("EPSG:4326"))
    assert occupied.contains(shapely.Point(29.5, 47.5))


def test_areas_are_equal_area_km2() -> None:
    """A 1-degree box at 50 N is about 111.3 x cos(50) x 111.2 km: degrees would say 1."""
    oblasts, _ = load_oblasts()
    path = FIXTURES / "occupied_polygon.geojson"
    front, problems = load_frontline(path, oblasts)
    assert problems == []
    snapshot = build_snapshot(front, oblasts)
    from dashboard.geo import area_km2

    one_degree = float(area_km2(gpd.GeoDataFrame(geometry=[shapely.box(38, 49.5, 39, 50.5)], crs="EPSG:4326")).iloc[0])
    assert one_degree == pytest.approx(111.32 * 0.6428 * 111.2, rel=0.01)
    assert 50_000 < snapshot.occupied_km2 < 70_000  # Crimea, Sevastopol, and Ukraine east of 38 E
    assert snapshot.length_km["total"] > 300


# --------------------------------------------------------------------------
# The bundled lines
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oblasts() -> gpd.GeoDataFrame:
    frame, _ = load_oblasts()
    return frame


@pytest.fixture(scope="module")
def snapshots(oblasts: gpd.GeoDataFrame) -> dict[str, object]:
    found, problems = load_snapshots(oblasts)
    assert problems == []
    return {str(s.date.date()): s for s in found}


def test_bundled_dates(snapshots: dict) -> None:
    assert sorted(snapshots) == ["2022-11-15", "2024-06-14", "2025-08-15", "2025-11-27"]


def test_every_bundled_file_records_its_sources_and_approximation() -> None:
    rows = list(csv.DictReader(CATALOGUE_CSV.open(encoding="utf-8")))
    for row in rows:
        doc = json.loads((FRONTLINES_DIR / row["file"]).read_text(encoding="utf-8"))
        assert doc["date"] == row["date"]
        assert "ISW" in row["sources"] and "DeepState" in row["sources"]
        assert "pproximation" in row["approximation"]
        assert float(row["approximation_km"]) > 0
        assert doc["sources"] == row["sources"]


@pytest.mark.parametrize("date", ["2024-06-14", "2025-08-15", "2025-11-27"])
def test_occupied_share_is_close_to_one_fifth(snapshots: dict, date: str) -> None:
    snapshot = snapshots[date]
    assert 0.18 <= snapshot.share <= 0.196
    assert 107_000 <= snapshot.occupied_km2 <= 118_000


def test_share_by_oblast_matches_published_orders_of_magnitude(snapshots: dict) -> None:
    for date, snapshot in snapshots.items():
        share = snapshot.by_region["occupied_share"]
        assert share["UA-09"] >= 0.97, date
        assert 0.70 <= share["UA-23"] <= 0.80, date
        assert 0.70 <= share["UA-65"] <= 0.80, date
        assert share["UA-43"] == pytest.approx(1.0) and share["UA-40"] == pytest.approx(1.0)
    assert 0.57 <= snapshots["2024-06-14"].by_region.at["UA-14", "occupied_share"] <= 0.65
    assert 0.74 <= snapshots["2025-11-27"].by_region.at["UA-14", "occupied_share"] <= 0.81


def test_the_occupied_area_grows_from_2024_on(snapshots: dict) -> None:
    km2 = [snapshots[d].occupied_km2 for d in ("2024-06-14", "2025-08-15", "2025-11-27")]
    assert km2 == sorted(km2)


def test_front_length_counts_the_dnipro_separately(snapshots: dict) -> None:
    for snapshot in snapshots.values():
        lengths = snapshot.length_km
        # Kinburn Spit to Kamianske along the middle of the water: estuary ~90, river ~60, reservoir ~200 km.
        assert 320 < lengths["river"] < 380
        assert lengths["total"] == pytest.approx(lengths["river"] + lengths["land"])
        assert 400 < lengths["land"] < 1_000


@pytest.mark.parametrize("date", ["2025-08-15", "2025-11-27"])
def test_front_length_in_2025_is_near_the_officials_figures(snapshots: dict, date: str) -> None:
    """Officials quoted 1,100-1,300 km in 2025; a line that cuts across salients measures far less."""
    assert 1_100 <= snapshots[date].length_km["total"] <= 1_300


def test_the_front_grew_longer_as_salients_formed(snapshots: dict) -> None:
    """Pokrovsk, Kupiansk and the Dobropillia salient lengthened the front from mid-2024 to 2025 (map-based dates)."""
    land = snapshots["2024-06-14"].length_km["land"]
    assert all(snapshots[d].length_km["land"] > 1.2 * land for d in ("2025-08-15", "2025-11-27"))


def test_towns_lie_on_the_side_their_holder_held(snapshots: dict) -> None:
    rows = list(csv.DictReader(TOWNS_CSV.open(encoding="utf-8")))
    checked = 0
    for row in rows:
        point = shapely.Point(float(row["lon"]), float(row["lat"]))
        for date, snapshot in snapshots.items():
            if not row[date]:
                continue  # contested on that date
            assert snapshot.occupied.contains(point) == (row[date] == "RU"), f"{row['town']} on {date}"
            checked += 1
    assert checked > 100


def test_snapshot_for_takes_the_latest_line_on_or_before_the_date(snapshots: dict) -> None:
    ordered = list(snapshots.values())
    assert snapshot_for("2025-08-12", ordered).date == pd.Timestamp("2024-06-14")
    assert snapshot_for("2025-08-15", ordered).date == pd.Timestamp("2025-08-15")
    assert snapshot_for("2022-11-14", ordered) is None


# --------------------------------------------------------------------------
# Bad files: a clear problem each, never an exception
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("not_json.geojson", "not valid JSON"),
        ("not_geojson.geojson", "not GeoJSON"),
        ("no_features.geojson", "no features"),
        ("wrong_geometry_type.geojson", "geometry type is 'Point'"),
        ("outside_ukraine.geojson", "outside Ukraine"),
        ("invalid_polygon.geojson", "invalid geometry: Self-intersection"),
        ("one_point_line.geojson", "at least two distinct points"),
        ("projected_coordinates.geojson", "outside longitude"),
        ("mixed_lines_and_polygons.geojson", "mixes lines and polygons"),
        ("does_not_divide.geojson", "does not divide Ukraine"),
    ],
)
def test_bad_file_gives_a_problem(oblasts: gpd.GeoDataFrame, fixture: str, message: str) -> None:
    front, problems = load_frontline(FIXTURES / fixture, oblasts)
    assert front is None
    assert len(problems) == 1
    assert message in problems[0].message
    assert problems[0].file.endswith(fixture)


def test_file_larger_than_the_limit_is_refused_before_reading(oblasts: gpd.GeoDataFrame) -> None:
    path = FIXTURES / "straight_line.geojson"
    front, problems = load_frontline(path, oblasts, max_bytes=100)
    assert front is None
    assert "the limit is 100 bytes" in problems[0].message
    assert MAX_BYTES >= 1024 * 1024  # the stated limit leaves room for a detailed national line


def test_upload_bytes_that_are_not_utf8(oblasts: gpd.GeoDataFrame) -> None:
    front, problems = parse_frontline(b"\xff\xfe\x00garbage", "upload.geojson", oblasts)
    assert front is None
    assert "not UTF-8" in problems[0].message


def test_missing_file(oblasts: gpd.GeoDataFrame) -> None:
    front, problems = load_frontline(FIXTURES / "nope.geojson", oblasts)
    assert front is None and problems[0].message == "file not found"


def test_good_upload_uses_its_own_date_and_metadata(oblasts: gpd.GeoDataFrame) -> None:
    front, problems = load_frontline(FIXTURES / "straight_line.geojson", oblasts)
    assert problems == []
    assert front.date == pd.Timestamp("2025-01-01")
    assert front.title == "Test line: meridian 36 E"
    snapshot = build_snapshot(front, oblasts)
    assert snapshot.occupied.contains(shapely.Point(37.8, 48.0))  # Donetsk city
    assert not snapshot.occupied.contains(shapely.Point(35.19, 47.82))  # Zaporizhzhia city


def test_a_bad_date_for_an_upload_is_a_problem(oblasts: gpd.GeoDataFrame) -> None:
    _, problems = load_frontline(FIXTURES / "straight_line.geojson", oblasts, date="soon")
    assert problems[0].field == "date"
