"""Tests for the committed geographic data and its loader (dashboard/geo.py)."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from dashboard.geo import (
    EQUAL_AREA_CRS,
    REGION_GROUPS_CSV,
    Gazetteer,
    area_km2,
    load_neighbours,
    load_oblasts,
    load_official_areas,
    ukraine_outline,
)
from dashboard.paths import GAZETTEER_CSV, NEIGHBOURS_GEOJSON, OBLASTS_GEOJSON
from dashboard.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures" / "geo"

EXPECTED_CODES = {
    "UA-05", "UA-07", "UA-09", "UA-12", "UA-14", "UA-18", "UA-21", "UA-23", "UA-26",
    "UA-30", "UA-32", "UA-35", "UA-40", "UA-43", "UA-46", "UA-48", "UA-51", "UA-53",
    "UA-56", "UA-59", "UA-61", "UA-63", "UA-65", "UA-68", "UA-71", "UA-74", "UA-77",
}  # fmt: skip
OFFICIAL_TOTAL_KM2 = 603_628


@pytest.fixture(scope="module")
def oblasts() -> gpd.GeoDataFrame:
    frame, problems = load_oblasts()
    assert problems == []
    return frame


@pytest.fixture(scope="module")
def projected(oblasts: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return oblasts.geometry.to_crs(EQUAL_AREA_CRS)


@pytest.fixture(scope="module")
def gazetteer(oblasts: gpd.GeoDataFrame) -> Gazetteer:
    return Gazetteer.from_oblasts(oblasts)


# --- the committed oblasts.geojson -------------------------------------------


def test_committed_oblasts_have_the_27_expected_codes(oblasts: gpd.GeoDataFrame) -> None:
    assert set(oblasts.index) == EXPECTED_CODES
    assert len(oblasts) == 27
    assert oblasts.crs.to_epsg() == 4326


def test_committed_oblasts_have_valid_polygonal_geometry(oblasts: gpd.GeoDataFrame) -> None:
    assert oblasts.geometry.is_valid.all()
    assert set(oblasts.geom_type) <= {"Polygon", "MultiPolygon"}


def test_committed_oblasts_have_names_in_english_and_ukrainian(oblasts: gpd.GeoDataFrame) -> None:
    assert (oblasts["name_en"] != "").all()
    # Ukrainian names are in Cyrillic, not transliterated.
    assert oblasts["name_uk"].map(lambda s: any("\u0400" <= ch <= "\u04ff" for ch in s)).all()
    assert oblasts.loc["UA-14", "name_uk"] == "Донецька область"
    assert oblasts.loc["UA-43", "name_uk"] == "Автономна Республіка Крим"


def test_crimea_and_sevastopol_are_present_with_their_occupation_status(oblasts: gpd.GeoDataFrame) -> None:
    for code in ("UA-43", "UA-40"):
        assert "occupied by Russia since 2014" in oblasts.loc[code, "status"]
        assert "adm0 RUS" in oblasts.loc[code, "status"]
    assert (oblasts.drop(index=["UA-43", "UA-40"])["status"] == "").all()


def test_committed_geojson_files_carry_source_metadata() -> None:
    for path in (OBLASTS_GEOJSON, NEIGHBOURS_GEOJSON):
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert "Natural Earth" in meta["source"]
        assert "v4.1.0" in meta["source"]
        assert meta["build_script"] == "scripts/build_geo.py"
        assert "Crimea" in meta["note"]


def test_committed_geojson_files_stay_small() -> None:
    assert OBLASTS_GEOJSON.stat().st_size < 150_000
    assert NEIGHBOURS_GEOJSON.stat().st_size < 150_000


def test_gazetteer_csv_matches_the_geojson_properties(oblasts: gpd.GeoDataFrame) -> None:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as fh:
        rows = {row["code"]: row for row in csv.DictReader(fh)}
    assert set(rows) == EXPECTED_CODES
    for code, row in rows.items():
        for column in ("name_en", "name_uk", "kind", "spellings"):
            assert oblasts.loc[code, column] == row[column], (code, column)


# --- borders are shared ------------------------------------------------------


def test_sum_of_unit_areas_equals_the_area_of_their_union(projected: gpd.GeoSeries) -> None:
    total = projected.area.sum()
    union = shapely.union_all(projected.values).area
    assert total == pytest.approx(union, rel=1e-3)


def test_no_two_units_overlap(projected: gpd.GeoSeries) -> None:
    for a, b in itertools.combinations(projected.index, 2):
        overlap = projected[a].intersection(projected[b]).area
        assert overlap < 1e4, f"{a} and {b} overlap by {overlap:.0f} m²"  # 0.01 km²


def test_units_form_a_clean_coverage(oblasts: gpd.GeoDataFrame) -> None:
    # Shared edges have identical vertices: no gaps, no slivers.
    assert shapely.coverage_is_valid(oblasts.geometry.values)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UA-14", "UA-09"),  # Donetsk - Luhansk
        ("UA-14", "UA-23"),  # Donetsk - Zaporizhzhia
        ("UA-65", "UA-43"),  # Kherson - Crimea
        ("UA-43", "UA-40"),  # Crimea - Sevastopol
        ("UA-30", "UA-32"),  # Kyiv city - Kyiv oblast
    ],
)
def test_known_neighbours_share_a_border(projected: gpd.GeoSeries, a: str, b: str) -> None:
    shared = projected[a].intersection(projected[b])
    assert shared.length > 1_000  # metres
    assert shared.area < 1e4


def test_ukraine_outline_is_the_union_of_all_units(oblasts: gpd.GeoDataFrame) -> None:
    outline = ukraine_outline(oblasts)
    assert outline.is_valid
    assert outline.geom_type in ("Polygon", "MultiPolygon")
    mainland = max(shapely.get_parts(outline), key=lambda p: p.area)
    assert len(mainland.interiors) == 0  # Kyiv city fills Kyiv oblast's hole
    assert outline.contains(shapely.Point(34.1, 44.95))  # Simferopol, Crimea


def test_neighbours_surround_but_do_not_overlap_ukraine(oblasts: gpd.GeoDataFrame) -> None:
    neighbours, problems = load_neighbours()
    assert problems == []
    names = set(neighbours["name"])
    for country in ("Russia", "Belarus", "Poland", "Slovakia", "Hungary", "Romania", "Moldova", "Turkey"):
        assert country in names
    outline = ukraine_outline(oblasts)
    overlap = shapely.intersection(neighbours.geometry.values, outline)
    assert shapely.area(overlap).sum() < 1e-8  # square degrees
    # Natural Earth's Russia includes Crimea; the committed layer must not.
    russia = neighbours.loc[neighbours["name"] == "Russia"].geometry.iloc[0]
    assert not russia.contains(shapely.Point(34.1, 44.95))
    # Ukraine's land border is kept exactly: Belarus touches it along a line.
    belarus = neighbours.loc[neighbours["name"] == "Belarus"].geometry.iloc[0]
    assert belarus.intersection(outline).length > 5  # degrees of border


# --- areas -------------------------------------------------------------------


def test_each_unit_area_is_within_its_tolerance_of_the_official_area(oblasts: gpd.GeoDataFrame) -> None:
    official = load_official_areas()
    assert set(official.index) == EXPECTED_CODES
    measured = area_km2(oblasts)
    for code, row in official.iterrows():
        off_by = abs(measured[code] / row["area_km2"] - 1) * 100
        assert off_by <= row["tolerance_pct"], f"{code}: {measured[code]:.0f} km² vs {row['area_km2']:.0f}"
        if row["tolerance_pct"] > 5:
            assert row["note"], f"{code}: a larger tolerance needs a note saying why"


def test_total_area_is_within_two_percent_of_ukraines_official_area(oblasts: gpd.GeoDataFrame) -> None:
    assert area_km2(oblasts).sum() == pytest.approx(OFFICIAL_TOTAL_KM2, rel=0.02)


def test_area_is_measured_in_an_equal_area_projection_not_degrees() -> None:
    # One square degree at the equator is ~12,364 km²; at 60°N about half that.
    squares = gpd.GeoDataFrame(geometry=[shapely.box(30, 0, 31, 1), shapely.box(30, 60, 31, 61)], crs="EPSG:4326")
    km2 = area_km2(squares)
    assert km2.iloc[0] == pytest.approx(12_364, rel=0.01)
    assert km2.iloc[1] / km2.iloc[0] == pytest.approx(0.49, abs=0.02)


# --- the loader reports bad files --------------------------------------------


def _fixture(name: str) -> tuple[gpd.GeoDataFrame, list[Problem], str]:
    path = FIXTURES / name
    frame, problems = load_oblasts(path)
    return frame, problems, f"tests/fixtures/geo/{name}"


def test_loader_reports_a_feature_without_code_and_keeps_the_good_one() -> None:
    frame, problems, file = _fixture("missing_code.geojson")
    assert [(p.file, p.where, p.field) for p in problems] == [(file, "feature 2", "code")]
    assert "missing" in problems[0].message
    assert list(frame.index) == ["UA-14"]


def test_loader_reports_a_duplicate_code_and_keeps_the_first_feature() -> None:
    frame, problems, file = _fixture("duplicate_code.geojson")
    assert [(p.file, p.where, p.field) for p in problems] == [(file, "feature 3", "code")]
    assert "duplicate" in problems[0].message and "feature 1" in problems[0].message
    assert list(frame.index) == ["UA-14", "UA-09"]
    assert frame.loc["UA-14", "name_en"] == "Donetsk"


def test_loader_reports_a_self_intersecting_polygon_with_shapelys_reason() -> None:
    frame, problems, file = _fixture("self_intersecting.geojson")
    assert [(p.file, p.where, p.field) for p in problems] == [(file, "feature 1", "geometry")]
    assert "Self-intersection" in problems[0].message
    assert list(frame.index) == ["UA-09"]


def test_loader_reports_a_wrong_geometry_type() -> None:
    frame, problems, file = _fixture("wrong_geometry_type.geojson")
    assert [(p.file, p.where, p.field) for p in problems] == [(file, "feature 1", "geometry")]
    assert "Point" in problems[0].message
    assert list(frame.index) == ["UA-09"]


def test_loader_reports_a_file_that_is_not_json() -> None:
    frame, problems, file = _fixture("not_json.geojson")
    assert [(p.file, p.where) for p in problems] == [(file, "")]
    assert "not valid JSON" in problems[0].message
    assert frame.empty
    assert frame.crs.to_epsg() == 4326


def test_loader_reports_json_that_is_not_a_feature_collection() -> None:
    frame, problems, file = _fixture("not_feature_collection.geojson")
    assert [(p.file, p.field) for p in problems] == [(file, "type")]
    assert frame.empty


def test_loader_reports_a_missing_file() -> None:
    frame, problems = load_oblasts(FIXTURES / "no_such_file.geojson")
    assert len(problems) == 1 and "not found" in problems[0].message
    assert frame.empty


def test_loader_reports_every_problem_in_a_file_at_once() -> None:
    frame, problems, file = _fixture("several_problems.geojson")
    found = {(p.where, p.field) for p in problems}
    assert found == {
        ("feature 2", "code"),  # malformed code
        ("feature 3", "name_en"),  # missing English name
        ("feature 4", "geometry"),  # geometry missing
        ("feature 5", "geometry"),  # projected metres, not lon/lat
    }
    assert all(p.file == file for p in problems)
    messages = {(p.where, p.field): p.message for p in problems}
    assert "malformed" in messages[("feature 2", "code")]
    assert "missing" in messages[("feature 4", "geometry")]
    assert "outside" in messages[("feature 5", "geometry")]
    assert list(frame.index) == ["UA-14"]


def test_neighbours_loader_reports_missing_name_and_wrong_type() -> None:
    frame, problems = load_neighbours(FIXTURES / "neighbours_bad.geojson")
    assert {(p.where, p.field) for p in problems} == {("feature 2", "name"), ("feature 3", "geometry")}
    assert list(frame["name"]) == ["Moldova"]


def test_problems_print_with_file_feature_and_field() -> None:
    _, problems, file = _fixture("missing_code.geojson")
    assert str(problems[0]).startswith(f"{file}, feature 2, field 'code': ")


# --- gazetteer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Lugansk", ["UA-09"]),
        ("Luhanskaya", ["UA-09"]),
        ("Donbass", ["UA-14", "UA-09"]),
        ("Donbas", ["UA-14", "UA-09"]),
        ("Zaporozhye region", ["UA-23"]),
        ("Zaporozhye", ["UA-23"]),
        ("Zaporizhia", ["UA-23"]),
        ("Zaporizhzhya", ["UA-23"]),
        ("Krym", ["UA-43"]),
        ("Crimean Peninsula", ["UA-43", "UA-40"]),
        ("the four regions", ["UA-14", "UA-09", "UA-23", "UA-65"]),
        ("four annexed regions", ["UA-14", "UA-09", "UA-23", "UA-65"]),
        ("Kiev", ["UA-30"]),
        ("Kyiv", ["UA-30"]),
        ("Kyiv region", ["UA-32"]),
        ("Kyiv Oblast", ["UA-32"]),
        ("Odessa", ["UA-51"]),
        ("Nikolaev", ["UA-48"]),
        ("Kharkov", ["UA-63"]),
        ("Dnepropetrovsk", ["UA-12"]),
        ("Dnipro oblast", ["UA-12"]),
        ("Transcarpathia", ["UA-21"]),
        ("Donetsk oblast", ["UA-14"]),
        ("Donets'k", ["UA-14"]),
        ("Donets’k Oblast’", ["UA-14"]),  # typographic apostrophes
        ("Donetska oblast", ["UA-14"]),
        ("DONETSK", ["UA-14"]),
        ("  donetsk   region ", ["UA-14"]),
        ("Lwów", ["UA-46"]),
        ("Ivano Frankivsk", ["UA-26"]),
        ("Донецька область", ["UA-14"]),
        ("Запорізька", ["UA-23"]),
        ("Севастополь", ["UA-40"]),
        ("Sevastopol", ["UA-40"]),
        ("UA-65", ["UA-65"]),
    ],
)
def test_gazetteer_resolves_press_spellings(gazetteer: Gazetteer, name: str, codes: list[str]) -> None:
    assert gazetteer.resolve(name) == codes


@pytest.mark.parametrize("name", ["Paris", "", "   ", "oblast", "Moscow region"])
def test_gazetteer_returns_nothing_for_unknown_names(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.resolve(name) == []


def test_gazetteer_spellings_are_unambiguous(gazetteer: Gazetteer) -> None:
    assert gazetteer.conflicts == {}


def test_gazetteer_treats_a_spelling_claimed_by_two_units_as_ambiguous() -> None:
    gaz = Gazetteer({"UA-30": ["Kiev"], "UA-32": ["Kiev", "Kyivska oblast"]}, {})
    assert gaz.resolve("Kiev") == []
    assert gaz.conflicts == {"kiev": {"UA-30", "UA-32"}}
    assert gaz.resolve("Kyivska") == ["UA-32"]


def test_region_groups_name_only_known_codes() -> None:
    with REGION_GROUPS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            assert set(row["codes"].split(";")) <= EXPECTED_CODES, row["group"]
