"""Ukraine's oblast-level units, their neighbours, and a name gazetteer.

The map draws ``data/geo/oblasts.geojson`` (27 units: 24 oblasts, the
Autonomous Republic of Crimea, Kyiv city and Sevastopol) over
``data/geo/neighbours.geojson``. Both are built once from Natural Earth by
``scripts/build_geo.py`` and committed; this module only reads them.

Like the other loaders, ``load_oblasts`` and ``load_neighbours`` never raise
on bad data: they return the features they could use plus a list of
:class:`~dashboard.problems.Problem`, one per thing wrong, so the app can
show every problem at once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.jsontext import read_json
from dashboard.paths import (
    NEIGHBOURS_GEOJSON,
    OBLASTS_GEOJSON,
    OFFICIAL_AREAS_CSV,
    REGION_GROUPS_CSV,
    resolve,
)
from dashboard.problems import DataError, Problem, display_name
from dashboard.tables import read_table

# Areas in degrees are meaningless (a square degree shrinks towards the
# poles), so areas are measured in a Lambert azimuthal equal-area projection
# centred on Ukraine, where distortion of distances is also smallest.
UKRAINE_BOX = (21.5, 43.5, 41.0, 53.0)  # lon/lat bounds with a margin: every oblast-level unit lies inside
EQUAL_AREA_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m +no_defs"

WGS84 = "EPSG:4326"

# ISO 3166-2 codes for Ukraine: "UA-" and two digits.
CODE_PATTERN = re.compile(r"^UA-\d{2}$")

OBLAST_COLUMNS = ["name_en", "name_uk", "kind", "spellings", "ne_name", "status"]
NEIGHBOUR_COLUMNS = ["name", "iso_a2"]
POLYGONAL = ("Polygon", "MultiPolygon")


# --------------------------------------------------------------------------
# Reading GeoJSON without trusting it
# --------------------------------------------------------------------------


def _read_features(path: Path, problems: list[Problem]) -> list[Any] | None:
    """The raw ``features`` list of a FeatureCollection, or None (problem added)."""
    name = display_name(path)
    if not path.exists():
        problems.append(Problem(name, "", "", "file not found"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", "", f"not UTF-8 text: {exc}"))
        return None
    doc, wrong = read_json(text)
    if wrong:
        problems.append(Problem(name, "", "", wrong))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(name, "", "type", "not a GeoJSON FeatureCollection"))
        return None
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(Problem(name, "", "features", "a FeatureCollection needs a 'features' list"))
        return None
    return features


def _outside_lon_lat(geom: BaseGeometry) -> bool:
    """True if any coordinate is outside lon -180..180 / lat -90..90 (or not finite)."""
    coords = shapely.get_coordinates(geom)
    if coords.size == 0:
        return False
    lon, lat = coords[:, 0], coords[:, 1]
    if not np.isfinite(coords).all():
        return True
    return bool((np.abs(lon) > 180).any() or (np.abs(lat) > 90).any())


def _check_geometry(raw: Any, file: str, where: str, problems: list[Problem]) -> BaseGeometry | None:
    """Parse and check one feature's geometry; None (with problems added) if unusable."""
    if raw is None:
        problems.append(Problem(file, where, "geometry", "geometry is missing"))
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(file, where, "geometry", "geometry is not a GeoJSON object"))
        return None
    gtype = raw.get("type")
    if gtype not in POLYGONAL:
        problems.append(
            Problem(file, where, "geometry", f"geometry type is {gtype!r}; expected Polygon or MultiPolygon")
        )
        return None
    try:
        geom = shapely.geometry.shape(raw)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(file, where, "geometry", f"malformed {gtype} coordinates: {exc}"))
        return None
    if geom.is_empty:
        problems.append(Problem(file, where, "geometry", "geometry is empty"))
        return None
    ok = True
    if _outside_lon_lat(geom):
        # Usually a projected file (metres) saved as if it were lon/lat.
        problems.append(Problem(file, where, "geometry", "coordinates outside longitude -180..180 / latitude -90..90"))
        ok = False
    if not geom.is_valid:
        problems.append(Problem(file, where, "geometry", f"invalid geometry: {shapely.is_valid_reason(geom)}"))
        ok = False
    return geom if ok else None


def _inside_ukraine(geom: BaseGeometry | None, file: str, where: str, problems: list[Problem]) -> BaseGeometry | None:
    """The geometry if it lies within Ukraine's bounds; else None and a problem (often swapped lon/lat)."""
    if geom is None or shapely.box(*UKRAINE_BOX).contains(geom):
        return geom
    box = "longitude {:g} to {:g}, latitude {:g} to {:g}".format(*UKRAINE_BOX[::2], *UKRAINE_BOX[1::2])
    problems.append(
        Problem(file, where, "geometry", f"lies outside Ukraine ({box}): are longitude and latitude swapped?")
    )
    return None


def _text(props: Mapping[str, Any], key: str) -> str:
    """A property as stripped text; '' when absent or null."""
    value = props.get(key)
    return "" if value is None else str(value).strip()


def _empty_frame(columns: Sequence[str], index_name: str | None) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in columns}, geometry=gpd.GeoSeries([], crs=WGS84))
    frame.index.name = index_name
    return frame


# --------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------


def load_oblasts(path: Path = OBLASTS_GEOJSON) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read the oblast-level units; return the good features and all problems.

    The GeoDataFrame is indexed by ISO 3166-2 ``code`` (e.g. ``UA-14``), in
    EPSG:4326, with columns ``name_en, name_uk, kind, spellings, ne_name,
    status, geometry``. A feature with any problem is left out of it; a
    repeated code keeps its first feature. Problems name the file, the
    feature ("feature N", counting from 1) and the property at fault.
    """
    problems: list[Problem] = []
    file = display_name(path)
    features = _read_features(path, problems)
    if features is None:
        return _empty_frame(OBLAST_COLUMNS, "code"), problems

    rows: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for n, feature in enumerate(features, start=1):
        where = f"feature {n}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, where, "type", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            problems.append(Problem(file, where, "properties", "properties must be an object"))
            props = {}
        ok = True

        code = _text(props, "code")
        if not code:
            problems.append(Problem(file, where, "code", "missing ISO 3166-2 code"))
            ok = False
        elif not CODE_PATTERN.match(code):
            problems.append(Problem(file, where, "code", f"malformed code {code!r}; expected 'UA-' and two digits"))
            ok = False
        elif code in first_seen:
            problems.append(
                Problem(file, where, "code", f"duplicate code {code!r} (first used by feature {first_seen[code]})")
            )
            ok = False
        else:
            first_seen[code] = n

        if not _text(props, "name_en"):
            problems.append(Problem(file, where, "name_en", "missing English name"))
            ok = False

        # Check the geometry even when the properties are bad, to report everything at once.
        geom = _check_geometry(feature.get("geometry"), file, where, problems)
        geom = _inside_ukraine(geom, file, where, problems)
        if geom is None or not ok:
            continue
        row: dict[str, Any] = {"code": code}
        row.update({c: _text(props, c) for c in OBLAST_COLUMNS})
        row["geometry"] = geom
        rows.append(row)

    if not rows:
        return _empty_frame(OBLAST_COLUMNS, "code"), problems
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84).set_index("code")
    return frame, problems


def load_neighbours(path: Path = NEIGHBOURS_GEOJSON) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read the neighbouring countries drawn around Ukraine for context.

    Lighter checks than :func:`load_oblasts` (they are only background):
    each feature needs a ``name`` and a valid (Multi)Polygon in lon/lat.
    Returns columns ``name, iso_a2, geometry`` in EPSG:4326.
    """
    problems: list[Problem] = []
    file = display_name(path)
    features = _read_features(path, problems)
    if features is None:
        return _empty_frame(NEIGHBOUR_COLUMNS, None), problems

    rows: list[dict[str, Any]] = []
    for n, feature in enumerate(features, start=1):
        where = f"feature {n}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, where, "type", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        name = _text(props, "name")
        if not name:
            problems.append(Problem(file, where, "name", "missing country name"))
        geom = _check_geometry(feature.get("geometry"), file, where, problems)
        if geom is None or not name:
            continue
        rows.append({"name": name, "iso_a2": _text(props, "iso_a2"), "geometry": geom})

    if not rows:
        return _empty_frame(NEIGHBOUR_COLUMNS, None), problems
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84), problems


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each feature in km², measured in :data:`EQUAL_AREA_CRS`."""
    frame = gdf if gdf.crs is not None else gdf.set_crs(WGS84)
    return (frame.to_crs(EQUAL_AREA_CRS).area / 1e6).rename("area_km2")


def load_official_areas(path: Path = OFFICIAL_AREAS_CSV) -> pd.DataFrame:
    """The official area of each unit, with the tolerance we accept for our polygons.

    Indexed by ``code``; columns ``name_en, area_km2, tolerance_pct, note,
    source``. This is a reference table for checks, not user input, so a
    malformed file raises :class:`~dashboard.problems.DataError` listing
    every problem rather than returning a partial table.
    """
    file = display_name(path)
    if not path.exists():
        raise DataError([Problem(file, "", "", "file not found")])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    wanted = ["code", "name_en", "area_km2", "tolerance_pct", "note", "source"]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise DataError([Problem(file, "", c, "missing column") for c in missing])
    for i, row in table.iterrows():
        where = f"row {int(i) + 2}"  # +1 for 0-based, +1 for the header row
        if not CODE_PATTERN.match(row["code"]):
            problems.append(Problem(file, where, "code", f"malformed code {row['code']!r}"))
        for col in ("area_km2", "tolerance_pct"):
            try:
                value = float(row[col])
            except ValueError:
                problems.append(Problem(file, where, col, f"not a number: {row[col]!r}"))
                continue
            if not math.isfinite(value) or value <= 0:
                problems.append(Problem(file, where, col, f"must be a positive number, got {row[col]!r}"))
    dupes = table["code"][table["code"].duplicated()]
    for code in dupes:
        problems.append(Problem(file, "", "code", f"duplicate code {code!r}"))
    if problems:
        raise DataError(problems)
    table["area_km2"] = table["area_km2"].astype(float)
    table["tolerance_pct"] = table["tolerance_pct"].astype(float)
    return table.set_index("code")


def ukraine_outline(oblasts: gpd.GeoDataFrame) -> BaseGeometry:
    """Union of all units: Ukraine within its internationally recognised 1991 border."""
    # A general union, not coverage_union_all: the latter silently gives
    # wrong results if a (user-edited) file's units overlap.
    return shapely.union_all(oblasts.geometry.values)


# --------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------

# Apostrophe-like characters used in transliterations ("Donets'k",
# "Zaporiz'ka") and in Ukrainian spelling (U+02BC).
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʹ′\""), None)
# Words that say "this is a region" without changing which region it is.
_SUFFIXES = ("oblast", "oblasts", "region", "province", "область", "обл", "регион", "регіон")


def normalise_name(name: str) -> str:
    """A comparison key: case-folded, no diacritics/apostrophes, single spaces.

    "Donets'k" and "Donetsk" give the same key; so do "Lwów" and "Lwow".
    """
    # NFKD splits letters from their accents; dropping the accent marks is
    # lossy for Cyrillic (й -> и) but is applied to both sides of a lookup.
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_APOSTROPHES).casefold()
    text = re.sub(r"[-‐‑–—_.,()]+", " ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


def _strip_suffix(key: str) -> str:
    """Drop a trailing 'oblast' / 'region' / 'область' word from a normalised key."""
    words = key.split()
    if len(words) > 1 and words[-1] in _SUFFIXES:
        return " ".join(words[:-1])
    return key


class Gazetteer:
    """Resolve the many spellings of Ukrainian regions to ISO 3166-2 codes.

    Lookups are case-insensitive and ignore diacritics, apostrophes and a
    trailing "oblast"/"region"/"область". Group names ("Donbas", "Crimean
    Peninsula") resolve to several codes. A spelling claimed by two
    different units is ambiguous: it resolves to nothing and is listed in
    :attr:`conflicts`, so the data can be fixed.
    """

    def __init__(self, names: Mapping[str, Iterable[str]], groups: Mapping[str, Sequence[str]]) -> None:
        """``names``: code -> its spellings; ``groups``: group name -> codes."""
        self.conflicts: dict[str, set[str]] = {}
        exact: dict[str, str] = {}
        for code, spellings in names.items():
            exact[normalise_name(code)] = code  # "UA-14" itself resolves too
            for spelling in spellings:
                key = normalise_name(spelling)
                if not key:
                    continue
                if key in exact and exact[key] != code:
                    self.conflicts.setdefault(key, {exact[key]}).add(code)
                else:
                    exact[key] = code
        for key in self.conflicts:
            exact.pop(key, None)

        # A spelling without its suffix ("Zaporizka oblast" -> "zaporizka")
        # also resolves, unless it is itself a spelling of something else:
        # "Kyiv region" is the oblast, but "Kyiv" alone is the city.
        stems: dict[str, str | None] = {}
        for key, code in exact.items():
            stem = _strip_suffix(key)
            if stem != key and stem not in exact:
                stems[stem] = code if stems.get(stem, code) == code else None
        self._codes: dict[str, list[str]] = {k: [c] for k, c in exact.items()}
        self._codes.update({k: [c] for k, c in stems.items() if c is not None})
        # Groups win: "Crimean Peninsula" means Crimea and Sevastopol.
        for group, codes in groups.items():
            self._codes[normalise_name(group)] = list(codes)

    @classmethod
    def from_oblasts(cls, oblasts: gpd.GeoDataFrame, groups_path: Path | None = None) -> Gazetteer:
        """Build from the oblast properties (name_en, name_uk, spellings) and the groups CSV.

        The groups are read from ``groups_path``, else from the data folder in
        use ($PEACE_MAP_ROOT, falling back to the repository's list).
        """
        return cls(oblast_names(oblasts), read_region_groups(groups_path or resolve(REGION_GROUPS_CSV, fallback=True)))

    @classmethod
    def load(cls, oblasts_path: Path = OBLASTS_GEOJSON, groups_path: Path | None = None) -> Gazetteer:
        """Build from the committed files (problems in them are ignored here)."""
        oblasts, _ = load_oblasts(oblasts_path)
        return cls.from_oblasts(oblasts, groups_path)

    def resolve(self, name: str) -> list[str]:
        """ISO codes meant by ``name``: one for a unit, several for a group, [] if unknown."""
        key = normalise_name(name)
        if not key:
            return []
        for candidate in (key, _strip_suffix(key)):
            if candidate in self._codes:
                return list(self._codes[candidate])
        return []


def oblast_names(oblasts: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """Every name of each unit, by code: English, Ukrainian, then its ``spellings`` (';'-separated, blanks dropped).

    The one reader of the spellings column: the gazetteer resolves these, the app's place finder lists them.
    """
    names: dict[str, list[str]] = {}
    for code, row in oblasts.iterrows():
        spellings = [s.strip() for s in str(row.get("spellings", "") or "").split(";") if s.strip()]
        names[str(code)] = [str(row.get("name_en", "")), str(row.get("name_uk", "")), *spellings]
    return names


def read_region_groups(path: Path = REGION_GROUPS_CSV) -> dict[str, list[str]]:
    """Group name -> codes, from a ``group,codes,note`` CSV (codes separated by ';'); {} for a broken file.

    The file's problems are reported by :func:`load_region_groups` (``load_sources`` calls it).
    """
    return load_region_groups(path)[0]


def load_region_groups(path: Path = REGION_GROUPS_CSV) -> tuple[dict[str, list[str]], list[Problem]]:
    """Group name -> codes, and the problems of the file: bad bytes, short rows, codes that are no ISO code."""
    if not path.exists():
        return {}, []
    table, problems = read_table(path, ["group", "codes"])
    if table is None:
        return {}, problems
    name = display_name(path)
    groups: dict[str, list[str]] = {}
    for _, row in table.iterrows():
        codes = [c.strip() for c in row["codes"].split(";") if c.strip()]
        wrong = [c for c in codes if not CODE_PATTERN.match(c)]
        if not row["group"] or not codes or wrong:
            message = f"needs a group name and ISO codes such as UA-14 separated by ';' (got {row['codes'][:40]!r})"
            problems.append(Problem(name, f"row {row['_row']}", "codes", message))
            continue
        groups[row["group"]] = codes
    return groups, problems
