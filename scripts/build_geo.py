"""Build data/geo/oblasts.geojson and data/geo/neighbours.geojson from Natural Earth.

Source: Natural Earth 1:10m Admin-1 States/Provinces and Admin-0 Countries,
v4.1.0 (public domain), as shipped in Debian's qgis-common package in
/usr/share/qgis/resources/data/world_map.gpkg (already generalised there
with GRASS v.generalize, ~3,800 vertices for Ukraine's 27 units).

Maintainers run this once and commit the output; the app, the tests and CI
only read the committed GeoJSON, so they need neither QGIS nor this file.

    python scripts/build_geo.py [--gpkg PATH] [--out-dir DIR]

The script checks its own output (valid geometry, shared borders kept,
Ukraine's border untouched in the neighbours layer) and exits non-zero
rather than write a broken file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so "dashboard" imports when run as a script

from dashboard.geo import EQUAL_AREA_CRS  # noqa: E402
from dashboard.paths import GAZETTEER_CSV, GEO_DIR, OFFICIAL_AREAS_CSV  # noqa: E402

DEFAULT_GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")

# ~11 m north-south, ~7 m east-west at Ukraine's latitudes: far below what
# a 1:10m source resolves, and it cuts the file size by about half.
GRID_DEG = 1e-4
# Coverage-simplification tolerance for the context countries, in degrees.
# It is Visvalingam-Whyatt: roughly the square root of the triangle areas
# removed, so 0.01 only removed 2.5% of vertices from this already
# generalised source; 0.03 removes ~25% and is still fine for context.
NEIGHBOUR_TOLERANCE_DEG = 0.03
# lon 18..44, lat 41..56.5: Ukraine plus a margin on every side.
NEIGHBOUR_BOX = (18.0, 41.0, 44.0, 56.5)

OCCUPIED_2014 = {"UP11", "UP20"}  # Crimea, Sevastopol
OCCUPIED_STATUS = "occupied by Russia since 2014 (Natural Earth tags it adm0 RUS, de facto)"

SOURCE = (
    "Natural Earth 1:10m Admin-1 States/Provinces v4.1.0 (public domain, "
    "naturalearthdata.com), via Debian qgis-common "
    "/usr/share/qgis/resources/data/world_map.gpkg"
)
SOURCE_COUNTRIES = (
    "Natural Earth 1:10m Admin-1 States/Provinces v4.1.0 dissolved to countries, "
    "with attributes from Admin-0 Countries v4.1.0 (public domain, naturalearthdata.com), "
    "via Debian qgis-common /usr/share/qgis/resources/data/world_map.gpkg"
)
CRIMEA_NOTE = (
    "Natural Earth tags Crimea (UP11) and Sevastopol (UP20) with adm0 RUS "
    "(de facto control); here they are Ukrainian units within Ukraine's "
    "internationally recognised 1991 border, with that status in 'status'."
)

# Natural Earth's short names for a few countries, spelled out for display.
COUNTRY_NAMES = {
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Macedonia": "North Macedonia",  # renamed in 2019; NE v4.1.0 predates it
}


def fail(message: str) -> None:
    """Stop the build: a broken file must never be written."""
    sys.exit(f"build_geo: {message}")


def read_gazetteer(path: Path) -> dict[str, dict[str, str]]:
    """Gazetteer rows keyed by Natural Earth fips code."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_fips = {row["fips"]: row for row in rows}
    if len(by_fips) != len(rows):
        fail(f"{path}: repeated fips code")
    return by_fips


def check_coverage(geoms: np.ndarray, what: str) -> None:
    """Fail unless every polygon is valid and together they form a clean coverage."""
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        fail(f"{what}: invalid geometry: {shapely.is_valid_reason(geoms[bad])}")
    # coverage_is_valid: no overlaps and shared edges have identical vertices
    # (i.e. neighbours still share their borders exactly; no gaps or slivers).
    if not shapely.coverage_is_valid(geoms):
        fail(f"{what}: polygons no longer form a clean coverage")


def to_feature(props: dict[str, Any], geom: shapely.Geometry) -> dict[str, Any]:
    """A GeoJSON Feature with coordinates written at the grid precision."""
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    return {"type": "Feature", "properties": props, "geometry": _round(mapping(geom))}


def _round(obj: Any) -> Any:
    """Round every coordinate to the grid's 4 decimals (short, stable text)."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, (list, tuple)):
        return [_round(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def write_geojson(path: Path, metadata: dict[str, Any], features: list[dict[str, Any]]) -> None:
    """One feature per line, so a rebuild gives a readable diff."""
    head = json.dumps({"type": "FeatureCollection", "metadata": metadata}, ensure_ascii=False)
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    path.write_text(head[:-1] + ',\n"features":[\n' + body + "\n]}\n", encoding="utf-8")


def build_oblasts(gpkg: Path, gazetteer: dict[str, dict[str, str]]) -> gpd.GeoDataFrame:
    """The 27 units with our properties, snapped to the grid; checked."""
    src = gpd.read_file(gpkg, layer="states_provinces", where="fips LIKE 'UP%'")
    if src.crs is None or src.crs.to_epsg() != 4326:
        fail(f"states_provinces is in {src.crs}, expected EPSG:4326")
    if sorted(src["fips"]) != sorted(gazetteer):
        fail(f"fips codes differ from the gazetteer: {sorted(set(src['fips']) ^ set(gazetteer))}")
    check_coverage(src.geometry.values, "source units")

    # The gazetteer's fips column was matched by name; make sure each unit's
    # Natural Earth transliteration (gn_name) is listed among its spellings.
    for fips, gn_name in zip(src["fips"], src["gn_name"], strict=True):
        spellings = gazetteer[fips]["spellings"].split(";")
        if gn_name not in spellings:
            fail(f"{fips}: Natural Earth's {gn_name!r} is not among the spellings of {gazetteer[fips]['code']}")

    # Snap to a common grid; shared vertices snap identically, so borders stay shared.
    snapped = shapely.set_precision(src.geometry.values, GRID_DEG)
    check_coverage(snapped, "units after set_precision")

    rows = []
    for fips, ne_name, geom in zip(src["fips"], src["name"], snapped, strict=True):
        g = gazetteer[fips]
        rows.append(
            {
                "code": g["code"],
                "name_en": g["name_en"],
                "name_uk": g["name_uk"],
                "kind": g["kind"],
                "spellings": g["spellings"],
                "ne_name": ne_name,
                "status": OCCUPIED_STATUS if fips in OCCUPIED_2014 else "",
                "geometry": geom,
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").sort_values("code")

    before = src.to_crs(EQUAL_AREA_CRS).area.sum()
    after = out.to_crs(EQUAL_AREA_CRS).area.sum()
    if abs(after / before - 1) > 1e-4:
        fail(f"snapping changed the total area by {100 * (after / before - 1):.4f}%")
    return out


def build_neighbours(gpkg: Path, ukraine: shapely.Geometry) -> gpd.GeoDataFrame:
    """Countries around Ukraine, clipped to the box, with Ukraine (incl. Crimea) removed."""
    box = shapely.box(*NEIGHBOUR_BOX)
    src = gpd.read_file(gpkg, layer="countries", bbox=NEIGHBOUR_BOX)
    src = src[src["ISO_A3"] != "UKR"]
    names = [COUNTRY_NAMES.get(n, n) for n in src["NAME"]]

    # Same grid as the units, so the countries' vertices along Ukraine's
    # border coincide with the units' and the difference leaves no slivers.
    # Natural Earth's Russia polygon includes Crimea and Sevastopol; the
    # difference with Ukraine's 1991 outline takes them out.
    geoms = shapely.set_precision(src.geometry.values, GRID_DEG)
    geoms = shapely.difference(shapely.intersection(geoms, box), ukraine)
    geoms = shapely.set_precision(geoms, GRID_DEG)
    keep = ~shapely.is_empty(geoms) & (shapely.area(geoms) > 0)

    members = geoms[keep]
    # Simplify as a coverage so neighbours keep sharing their borders. The sea
    # (and lakes) are added as one more member, so coasts are simplified too;
    # Ukraine is left out, making its outline part of the coverage's outer
    # boundary, which simplify_boundary=False keeps exactly as it is.
    sea = shapely.difference(box, shapely.union_all(np.append(members, ukraine)))
    sea = shapely.set_precision(sea, GRID_DEG)
    coverage = np.append(members, sea)
    check_coverage(coverage, "neighbours + sea before simplifying")
    simplified = shapely.coverage_simplify(coverage, NEIGHBOUR_TOLERANCE_DEG, simplify_boundary=False)
    check_coverage(simplified, "neighbours + sea after coverage_simplify")
    simplified = simplified[:-1]  # drop the sea

    overlap = shapely.area(shapely.intersection(simplified, ukraine)).sum()
    if overlap > 1e-9:
        fail(f"neighbours overlap Ukraine by {overlap} square degrees")

    rows = [
        {"name": n, "iso_a2": iso, "geometry": g}
        for n, iso, g in zip(np.array(names)[keep], src["iso_a2"].to_numpy()[keep], simplified, strict=True)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").sort_values("name")


def area_report(oblasts: gpd.GeoDataFrame) -> None:
    """Print measured (equal-area) vs official area per unit, to set tolerances."""
    measured = oblasts.set_index("code").to_crs(EQUAL_AREA_CRS).area / 1e6
    official: dict[str, float] = {}
    if OFFICIAL_AREAS_CSV.exists():
        with OFFICIAL_AREAS_CSV.open(encoding="utf-8", newline="") as fh:
            official = {r["code"]: float(r["area_km2"]) for r in csv.DictReader(fh)}
    names = oblasts.set_index("code")["name_en"]
    print(f"{'code':6} {'unit':16} {'measured':>9} {'official':>9} {'diff%':>7}")
    for code in sorted(measured.index):
        off = official.get(code)
        diff = f"{100 * (measured[code] / off - 1):+7.1f}" if off else "      ?"
        print(f"{code:6} {names[code]:16} {measured[code]:9,.0f} {off or 0:9,.0f} {diff}")
    print(f"{'':6} {'total':16} {measured.sum():9,.0f} {sum(official.values()):9,.0f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", type=Path, default=DEFAULT_GPKG, help="Natural Earth world_map.gpkg")
    parser.add_argument("--out-dir", type=Path, default=GEO_DIR, help="where to write the GeoJSON")
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER_CSV, help="gazetteer.csv with fips")
    args = parser.parse_args(argv)
    if not args.gpkg.exists():
        fail(f"{args.gpkg} not found (Debian/Ubuntu: apt install qgis-common)")

    oblasts = build_oblasts(args.gpkg, read_gazetteer(args.gazetteer))
    ukraine = shapely.union_all(oblasts.geometry.values)
    neighbours = build_neighbours(args.gpkg, ukraine)

    common = {
        "source": SOURCE,
        "license": "public domain (Natural Earth terms of use)",
        "build_script": "scripts/build_geo.py",
        "crs": "EPSG:4326 (WGS84 lon/lat)",
        "coordinate_grid_deg": GRID_DEG,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    props = ["code", "name_en", "name_uk", "kind", "spellings", "ne_name", "status"]
    write_geojson(
        args.out_dir / "oblasts.geojson",
        {
            "title": "Ukraine: oblasts, Autonomous Republic of Crimea, Kyiv and Sevastopol (1991 border)",
            **common,
            "layer": "states_provinces, fips LIKE 'UP%'",
            "note": CRIMEA_NOTE,
        },
        [to_feature({k: row[k] for k in props}, row.geometry) for _, row in oblasts.iterrows()],
    )
    write_geojson(
        args.out_dir / "neighbours.geojson",
        {
            "title": "Countries around Ukraine (context only)",
            **common,
            "source": SOURCE_COUNTRIES,
            "layer": "countries (Admin-0, dissolved from Admin-1)",
            "clip_box_lon_lat": list(NEIGHBOUR_BOX),
            "simplification": f"shapely.coverage_simplify, tolerance {NEIGHBOUR_TOLERANCE_DEG} deg; "
            "Ukraine's border kept exact",
            "note": "Ukraine's 1991 outline is subtracted, so Russia excludes Crimea and Sevastopol. " + CRIMEA_NOTE,
        },
        [to_feature({"name": row["name"], "iso_a2": row["iso_a2"]}, row.geometry) for _, row in neighbours.iterrows()],
    )

    for name, frame in (("oblasts", oblasts), ("neighbours", neighbours)):
        path = args.out_dir / f"{name}.geojson"
        vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
        print(f"{path}: {len(frame)} features, {vertices} vertices, {path.stat().st_size:,} bytes")
    area_report(oblasts)


if __name__ == "__main__":
    main()
