"""Front lines by date and the area arithmetic they allow.

A front line is a GeoJSON line of contact (LineString / MultiLineString
features) or an export of occupied territory (Polygon / MultiPolygon
features). The bundled lines live in ``data/geo/frontlines/`` with a
catalogue, ``sources.csv``, that gives each file's date, sources and how far
off it may be.

The occupied area is never drawn by hand: :func:`occupied_area` derives it
from a line by cutting Ukraine's outline along the line (each end extended to
the border or coast) and keeping the side away from Kyiv, then adding Crimea
and Sevastopol (occupied since 2014). Areas are measured in the equal-area
projection of :mod:`dashboard.geo`; lengths are geodesic (WGS84 ellipsoid).

Like the other loaders, :func:`load_frontline` never raises on a bad file:
it returns ``(None, problems)`` and the caller keeps the data it had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from dashboard.geo import WGS84, area_km2, ukraine_outline
from dashboard.jsontext import read_json
from dashboard.paths import FRONTLINE_CATALOGUE_CSV as CATALOGUE_CSV
from dashboard.problems import Problem, display_name
from dashboard.tables import in_date_range, read_table

CATALOGUE_COLUMNS = ["date", "file", "title", "sources", "approximation_km", "approximation"]

# An upload larger than this is refused before it is read: a national line of
# contact at street-level detail is well under 1 MB, and the app must stay
# responsive for everyone sharing the server.
MAX_BYTES = 5 * 1024 * 1024
# And one with more vertices than this: cutting Ukraine along a line costs time that grows with its vertex
# count, and one upload must not hold the server for the other sessions. The bundled lines have ~1,000;
# DeepStateMap's line of contact simplified to 100 m has a few thousand.
MAX_VERTICES = 10_000

# Occupied since 2014, whatever a line says: Crimea and Sevastopol.
ALWAYS_OCCUPIED = ("UA-43", "UA-40")
# A point every plausible line of contact leaves on Ukraine's side; the side
# of a cut that holds it is the Ukrainian side, so a line may be drawn in
# either direction.
KYIV_LON_LAT = (30.5234, 50.4501)

# Lines often stop a little short of the coast or the border; each end is
# extended straight on by at most this much to reach it.
MAX_EXTENSION_KM = 30.0
# The gap cut along a line to separate its two sides, in degrees (~0.1 m):
# far below the data's accuracy, so it changes no area measurably.
CUT_DEG = 1e-6
# Width of the strips either side of a line used to tell its sides apart (~10 m).
SIDE_STRIP_DEG = 1e-4
# How close to Ukraine's outline a file must come to be "about Ukraine" (~50 km).
NEAR_UKRAINE_DEG = 0.5
# Pieces of a cut smaller than this (deg²; ~0.1 km²) are rounding debris.
DEBRIS_DEG2 = 1e-5
# Within this distance of the outline (deg, ~1 m) a polygon's edge is the border or coast, not the front.
ON_BORDER_DEG = 1e-5

LINE_TYPES = ("LineString", "MultiLineString")
POLYGON_TYPES = ("Polygon", "MultiPolygon")
RIVER = "river"  # segment of a bundled line that follows the Dnipro (water between the armies)
LAND = "land"
UNCLASSIFIED = "unclassified"  # derived from an occupied-territory polygon: no segment labels

_GEOD = Geod(ellps="WGS84")


class FrontLineError(ValueError):
    """A line that cannot be used to divide Ukraine (the message says why)."""


@dataclass(frozen=True)
class FrontLine:
    """One line of contact (or occupied-territory export) for one date.

    ``lines`` holds the line parts in WGS84, ``segments`` one label per part
    (``river``/``land``, or a pocket's description, which counts as land).
    For a polygon export ``lines`` is empty and ``occupied_input`` holds it.
    """

    date: pd.Timestamp | None
    title: str
    sources: str
    approximation: str
    file: str
    lines: tuple[BaseGeometry, ...] = ()
    segments: tuple[str, ...] = ()
    occupied_input: BaseGeometry | None = None
    approximation_km: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """The area arithmetic for one front line.

    ``by_region`` is indexed by oblast code with ``name_en, area_km2,
    occupied_km2, occupied_share`` for every unit the occupied area enters.
    ``length_km`` maps ``river``, ``land`` (or ``unclassified``) and ``total``
    to geodesic kilometres: land segments count only inside Ukraine (the
    border with Russia is not front), river segments (the Dnipro and its
    estuary, where the armies face each other across water) count in full.
    """

    front: FrontLine
    occupied: BaseGeometry
    front_geometry: BaseGeometry
    occupied_km2: float
    ukraine_km2: float
    by_region: pd.DataFrame
    length_km: dict[str, float] = field(default_factory=dict)

    @property
    def share(self) -> float:
        """Occupied share of Ukraine (0..1), both measured on the same polygons."""
        return self.occupied_km2 / self.ukraine_km2 if self.ukraine_km2 else float("nan")

    @property
    def date(self) -> pd.Timestamp | None:
        return self.front.date


# --------------------------------------------------------------------------
# Splitting Ukraine by a line
# --------------------------------------------------------------------------


def _local_km_per_deg(lat: float) -> tuple[float, float]:
    """Kilometres per degree of longitude and latitude near ``lat`` (spherical; fine for extending ends)."""
    return 111.32 * math.cos(math.radians(lat)), 110.57


def _extend_end(coords: np.ndarray, outline: BaseGeometry, max_km: float) -> np.ndarray:
    """Append a point so the line leaves ``outline`` past its last point, if it ends inside.

    The extension continues the last segment's direction, at most ``max_km``;
    it stops just past the first crossing of the outline's edge.
    """
    end = shapely.Point(coords[-1])
    if not outline.contains(end):
        return coords
    # Direction of the last few hundred metres, so a tiny final kink does not steer the extension.
    prev = coords[-2]
    for candidate in coords[-2::-1]:
        prev = candidate
        if np.hypot(*(coords[-1] - candidate)) > 0.01:
            break
    kx, ky = _local_km_per_deg(float(coords[-1][1]))
    dx, dy = (coords[-1][0] - prev[0]) * kx, (coords[-1][1] - prev[1]) * ky
    norm = math.hypot(dx, dy)
    if norm == 0:
        return coords
    far = coords[-1] + np.array([dx / norm * max_km / kx, dy / norm * max_km / ky])
    ray = shapely.LineString([coords[-1], far])
    crossing = ray.intersection(outline.boundary)
    if crossing.is_empty:
        return coords  # still inside: the caller reports that the line does not divide Ukraine
    hit = min(shapely.get_parts(crossing), key=lambda g: shapely.Point(coords[-1]).distance(g))
    at = ray.project(hit if hit.geom_type == "Point" else shapely.Point(hit.coords[0]))
    beyond = ray.interpolate(min(at + 0.01, ray.length))  # ~1 km past the edge
    return np.vstack([coords, np.array(beyond.coords)])


def extend_to_border(line: BaseGeometry, outline: BaseGeometry, max_km: float = MAX_EXTENSION_KM) -> BaseGeometry:
    """The line with each end that stops inside Ukraine continued straight on to just past the border/coast."""
    coords = np.asarray(line.coords)
    coords = _extend_end(coords, outline, max_km)
    coords = _extend_end(coords[::-1], outline, max_km)[::-1]
    return shapely.LineString(coords)


def _strip_sides(pieces: list[BaseGeometry], line: BaseGeometry) -> list[float]:
    """For each piece: area next to the line's left minus area next to its right (sign = side)."""
    left = line.buffer(SIDE_STRIP_DEG, single_sided=True)
    right = line.buffer(-SIDE_STRIP_DEG, single_sided=True)
    return [piece.intersection(left).area - piece.intersection(right).area for piece in pieces]


def russian_side(line: BaseGeometry, outline: BaseGeometry) -> BaseGeometry:
    """The part of ``outline`` on the side of ``line`` away from Kyiv.

    ``line`` is one LineString in WGS84. Its ends are extended to the border
    or coast; Ukraine is then cut along it. Pieces of the cut that touch the
    line are sorted by which side of the line they lie on; the side holding
    Kyiv is Ukraine's. Pieces that do not touch the line (islands) go with
    the nearest piece that does. Raises :class:`FrontLineError` if the line
    does not divide Ukraine.
    """
    extended = extend_to_border(line, outline)
    pieces = [p for p in shapely.get_parts(outline.difference(extended.buffer(CUT_DEG))) if p.area > DEBRIS_DEG2]
    kyiv = shapely.Point(KYIV_LON_LAT)
    # Which pieces touch the line: a prepared (indexed) band around it answers in about linear time, where
    # a distance between a piece and the line compares every pair of segments (minutes at 20,000 vertices).
    band = extended.buffer(3 * CUT_DEG)
    shapely.prepare(band)
    near = [band.intersects(p) for p in pieces]
    touching = [p for p, n in zip(pieces, near, strict=True) if n]
    islands = [p for p, n in zip(pieces, near, strict=True) if not n]
    home = [p for p in touching if p.contains(kyiv)]
    if not home:
        raise FrontLineError("the line passes through Kyiv or leaves it cut off: it cannot be a line of contact")
    if len(touching) < 2:
        raise FrontLineError(
            f"the line does not divide Ukraine: extended by up to {MAX_EXTENSION_KM:.0f} km, "
            "it still does not reach the border or coast at both ends"
        )
    sides = _strip_sides(touching, extended)
    home_side = np.sign(sides[touching.index(home[0])])
    if home_side == 0:
        raise FrontLineError("could not tell the two sides of the line apart")
    russian = [p for p, s in zip(touching, sides, strict=True) if np.sign(s) == -home_side]
    for island in islands:
        nearest = min(touching, key=island.distance)
        if any(nearest is p for p in russian):
            russian.append(island)
    if not russian:
        raise FrontLineError("the line leaves nothing on Russia's side")
    return shapely.union_all(russian)


def occupied_area(line: BaseGeometry, oblasts: gpd.GeoDataFrame) -> BaseGeometry:
    """The part of Ukraine on Russia's side of ``line``, plus Crimea and Sevastopol (WGS84).

    ``line`` may be a LineString or a MultiLineString (a main line plus
    separate pockets along the border); each part is cut separately and
    the Russian sides are joined. Raises :class:`FrontLineError` for a
    line that does not divide Ukraine.
    """
    outline = ukraine_outline(oblasts)
    parts = [p for p in shapely.get_parts(shapely.line_merge(line)) if p.length > 0]
    if not parts:
        raise FrontLineError("the line is empty")
    sides = [russian_side(part, outline) for part in parts]
    crimea = [oblasts.geometry[c] for c in ALWAYS_OCCUPIED if c in oblasts.index]
    return _clean(shapely.union_all(sides + crimea))


def occupied_from_polygons(polygons: BaseGeometry, oblasts: gpd.GeoDataFrame) -> BaseGeometry:
    """An occupied-territory export clipped to Ukraine, plus Crimea and Sevastopol."""
    outline = ukraine_outline(oblasts)
    crimea = [oblasts.geometry[c] for c in ALWAYS_OCCUPIED if c in oblasts.index]
    return _clean(shapely.union_all([polygons.intersection(outline), *crimea]))


def _clean(geometry: BaseGeometry) -> BaseGeometry:
    """Drop rounding debris (slivers, stray lines) left by the cut."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and p.area > DEBRIS_DEG2]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


# --------------------------------------------------------------------------
# Reading a front-line file without trusting it
# --------------------------------------------------------------------------


def _features(doc: Any) -> list[Any] | None:
    """The features of a FeatureCollection, a single Feature, or a bare geometry; None if none of these."""
    if not isinstance(doc, dict):
        return None
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        return features if isinstance(features, list) else None
    if kind == "Feature":
        return [doc]
    if kind in (*LINE_TYPES, *POLYGON_TYPES, "Point", "MultiPoint", "GeometryCollection"):
        return [{"type": "Feature", "geometry": doc, "properties": {}}]
    return None


def _coordinate_problem(geom: BaseGeometry, kind: str) -> str | None:
    """What is wrong with a parsed geometry's coordinates, or None."""
    coords = shapely.get_coordinates(geom)
    if geom.is_empty or coords.size == 0:
        return "geometry is empty"
    if not np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        return "coordinates outside longitude -180..180 / latitude -90..90 (projected data? save it as WGS84 lon/lat)"
    if kind in LINE_TYPES and any(p.length == 0 for p in shapely.get_parts(geom)):
        return "invalid line: it needs at least two distinct points"
    if not geom.is_valid:
        return f"invalid geometry: {shapely.is_valid_reason(geom)}"
    return None


def _parse_geometry(raw: Any, file: str, where: str, problems: list[Problem]) -> BaseGeometry | None:
    """One feature's geometry if it is a usable line or polygon; None with a problem otherwise."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in (*LINE_TYPES, *POLYGON_TYPES):
        message = (
            f"geometry type is {kind!r}; expected a line of contact (LineString, MultiLineString) "
            "or occupied territory (Polygon, MultiPolygon)"
        )
        problems.append(Problem(file, where, "geometry", message if isinstance(raw, dict) else "geometry is missing"))
        return None
    try:
        geom = shapely.geometry.shape(raw)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(file, where, "geometry", f"malformed {kind} coordinates: {exc}"))
        return None
    wrong = _coordinate_problem(geom, kind)
    if wrong:
        problems.append(Problem(file, where, "geometry", wrong))
        return None
    return geom


def _segment_of(props: dict[str, Any]) -> str:
    """The segment label of a feature: 'river' for the Dnipro stretch, else its name or 'land'."""
    label = str(props.get("segment") or "").strip().lower()
    if label == RIVER:
        return RIVER
    name = str(props.get("name") or "").strip()
    return name or LAND


def _parse_date(value: Any) -> pd.Timestamp | None:
    """A day from a date-like value; None for anything else (missing included, and years outside 1900-2100)."""
    if value is None or value == "":
        return None
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError, OverflowError):
        return None
    return stamp.normalize() if in_date_range(stamp) else None


def _decode(data: bytes, file: str, max_bytes: int) -> tuple[Any, list[Problem]]:
    """The JSON document in ``data``, or None and the problem."""
    if len(data) > max_bytes:
        limit = f"the limit is {max_bytes:,} bytes ({max_bytes / 2**20:g} MiB)"
        return None, [Problem(file, "", "", f"file is {len(data):,} bytes; {limit}")]
    if not data.strip():
        return None, [Problem(file, "", "", "file is empty")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, "", "", f"not UTF-8 text: {exc}")]
    doc, wrong = read_json(text)
    return (None, [Problem(file, "", "", wrong)]) if wrong else (doc, [])


def _collect(features: list[Any], file: str) -> tuple[list[BaseGeometry], list[str], list[BaseGeometry], list[Problem]]:
    """Line parts with their segment labels, and polygons, from the features; problems for the rest."""
    problems: list[Problem] = []
    lines: list[BaseGeometry] = []
    segments: list[str] = []
    polygons: list[BaseGeometry] = []
    vertices = 0
    for n, feature in enumerate(features, start=1):
        where = f"feature {n}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, where, "type", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        geom = _parse_geometry(feature.get("geometry"), file, where, problems)
        if geom is None:
            continue
        vertices += shapely.get_num_coordinates(geom)
        if vertices > MAX_VERTICES:
            message = (
                f"the file has more than {MAX_VERTICES:,} vertices (MAX_VERTICES); simplify the line "
                "(e.g. to 100 m in QGIS or mapshaper) and upload it again"
            )
            return [], [], [], [Problem(file, where, "geometry", message)]
        if geom.geom_type in LINE_TYPES:
            for part in shapely.get_parts(geom):
                lines.append(part)
                segments.append(_segment_of(props))
        else:
            polygons.append(geom)
    if not problems and lines and polygons:
        message = "the file mixes lines and polygons: give a line of contact or occupied areas"
        problems.append(Problem(file, "", "geometry", message))
    return lines, segments, polygons, problems


def _placement_problems(
    lines: list[BaseGeometry], polygons: list[BaseGeometry], outline: BaseGeometry, file: str
) -> list[Problem]:
    """A file away from Ukraine, or a line that does not divide it."""
    everything = shapely.union_all(lines + polygons)
    if not everything.intersects(outline.buffer(NEAR_UKRAINE_DEG)) or (polygons and not everything.intersects(outline)):
        west, south, east, north = everything.bounds
        where = f"lon {west:.2f}..{east:.2f}, lat {south:.2f}..{north:.2f}"
        return [Problem(file, "", "geometry", f"lies outside Ukraine ({where})")]
    problems = []
    if lines:  # a line must divide Ukraine; say which part fails
        for n, part in enumerate(shapely.get_parts(shapely.line_merge(shapely.MultiLineString(lines))), start=1):
            try:
                russian_side(part, outline)
            except FrontLineError as exc:
                problems.append(Problem(file, f"line {n}", "geometry", str(exc)))
    return problems


def parse_frontline(
    data: bytes,
    file: str,
    oblasts: gpd.GeoDataFrame,
    *,
    date: str | pd.Timestamp | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[FrontLine | None, list[Problem]]:
    """Read a front line from the bytes of a GeoJSON file (an upload or a file on disk).

    Checks, each reported as a :class:`Problem` naming the file and feature:
    size over ``max_bytes``; not UTF-8 JSON; not GeoJSON; a geometry that is
    neither a line nor a polygon (or mixes both); malformed, empty or invalid
    coordinates; a file that lies outside Ukraine; a line that does not divide
    Ukraine. ``date`` overrides the file's own ``date`` member. Returns
    ``(None, problems)`` if anything is wrong, so the caller keeps its data.
    """
    doc, problems = _decode(data, file, max_bytes)
    features = None if problems else _features(doc)
    if not problems and features is None:
        problems = [Problem(file, "", "type", "not GeoJSON: expected a FeatureCollection, a Feature or a geometry")]
    elif not problems and not features:
        problems = [Problem(file, "", "features", "the file has no features")]
    if problems:
        return None, problems
    lines, segments, polygons, problems = _collect(features, file)
    problems = problems or _placement_problems(lines, polygons, ukraine_outline(oblasts), file)
    if problems:
        return None, problems
    meta = doc if isinstance(doc, dict) else {}
    when = _parse_date(date if date is not None else meta.get("date"))
    if date is not None and when is None:
        return None, [Problem(file, "", "date", f"not a date: {date!r}")]
    return FrontLine(
        date=when,
        title=str(meta.get("title") or f"Uploaded front line ({file})"),
        sources=str(meta.get("sources") or "uploaded file; sources not stated"),
        approximation=str(meta.get("approximation") or "not stated"),
        file=file,
        lines=tuple(lines),
        segments=tuple(segments),
        occupied_input=shapely.union_all(polygons) if polygons else None,
    ), []


def read_upload(
    data: bytes, file: str, oblasts: gpd.GeoDataFrame, date: object = None
) -> tuple[Snapshot | None, list[Problem], bool]:
    """An uploaded line read and measured: ``(snapshot, problems, dated)``.

    ``snapshot`` is None when the file has problems or no date (``dated`` is
    False then: the caller asks for one). A top-level function, so the app can
    run it in another process with a time limit (``bounded.run_with_time_limit``).
    """
    front, problems = parse_frontline(data, file, oblasts, date=date)
    if problems:
        return None, problems, True
    if front.date is None:
        return None, [], False
    return build_snapshot(front, oblasts), [], True


def load_frontline(
    path: Path,
    oblasts: gpd.GeoDataFrame,
    *,
    date: str | pd.Timestamp | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[FrontLine | None, list[Problem]]:
    """Read a front-line GeoJSON file; see :func:`parse_frontline` for the checks."""
    file = display_name(path)
    try:
        size = path.stat().st_size
    except OSError:
        return None, [Problem(file, "", "", "file not found")]
    if size > max_bytes:  # refuse before reading it into memory
        return None, [Problem(file, "", "", f"file is {size:,} bytes; the limit is {max_bytes:,} bytes")]
    return parse_frontline(path.read_bytes(), file, oblasts, date=date, max_bytes=max_bytes)


# --------------------------------------------------------------------------
# The bundled lines
# --------------------------------------------------------------------------


def load_catalogue(path: Path = CATALOGUE_CSV) -> tuple[pd.DataFrame, list[Problem]]:
    """The bundled snapshots: one row per date with its file, sources and approximation."""
    file = display_name(path)
    empty = pd.DataFrame(columns=CATALOGUE_COLUMNS)
    table, problems = read_table(path, CATALOGUE_COLUMNS)  # bad bytes, a size limit, short rows as ""
    if table is None:
        return empty, problems
    good = []
    for row in table.to_dict("records"):
        where = f"row {row['_row']}"
        if Path(row["file"]).name != row["file"] or not row["file"].endswith(".geojson"):
            problems.append(Problem(file, where, "file", f"not a .geojson file in this folder: {row['file'][:60]!r}"))
            continue
        when = _parse_date(row["date"])
        if when is None:
            problems.append(Problem(file, where, "date", f"not a date: {row['date']!r}"))
            continue
        try:
            km = float(row["approximation_km"])
        except ValueError:
            problems.append(Problem(file, where, "approximation_km", f"not a number: {row['approximation_km']!r}"))
            continue
        if not (path.parent / row["file"]).exists():
            problems.append(Problem(file, where, "file", f"no such file: {row['file']!r}"))
            continue
        if not math.isfinite(km) or km < 0:
            problems.append(Problem(file, where, "approximation_km", f"not a distance: {row['approximation_km']!r}"))
            continue
        good.append({**{c: row[c] for c in CATALOGUE_COLUMNS}, "date": when, "approximation_km": km})
    table = pd.DataFrame(good, columns=CATALOGUE_COLUMNS)
    return table.sort_values("date").reset_index(drop=True), problems


def load_bundled(oblasts: gpd.GeoDataFrame, catalogue: Path = CATALOGUE_CSV) -> tuple[list[FrontLine], list[Problem]]:
    """Every bundled front line, oldest first, with the catalogue's sources and approximation."""
    table, problems = load_catalogue(catalogue)
    fronts = []
    for _, row in table.iterrows():
        front, found = load_frontline(catalogue.parent / row["file"], oblasts, date=row["date"])
        problems += found
        if front is not None:
            fronts.append(
                FrontLine(
                    date=row["date"],
                    title=row["title"],
                    sources=row["sources"],
                    approximation=row["approximation"],
                    file=front.file,
                    lines=front.lines,
                    segments=front.segments,
                    occupied_input=front.occupied_input,
                    approximation_km=row["approximation_km"],
                )
            )
    return fronts, problems


# --------------------------------------------------------------------------
# Snapshots: areas and lengths
# --------------------------------------------------------------------------


def geodesic_km(geometry: BaseGeometry) -> float:
    """Length of a (multi)line on the WGS84 ellipsoid, in km."""
    if geometry is None or geometry.is_empty:
        return 0.0
    return _GEOD.geometry_length(geometry) / 1000


def front_inside(front: FrontLine, occupied: BaseGeometry, outline: BaseGeometry) -> BaseGeometry:
    """The front line inside Ukraine: what lies on the border with Russia or at sea is left out."""
    if front.lines:
        return shapely.intersection(shapely.MultiLineString(list(front.lines)), outline)
    # A polygon export: its edges that are not Ukraine's own border or coast.
    return occupied.boundary.difference(outline.boundary.buffer(ON_BORDER_DEG))


def front_lengths(front: FrontLine, front_geometry: BaseGeometry, outline: BaseGeometry) -> dict[str, float]:
    """Kilometres of front inside Ukraine by kind: ``river`` (the Dnipro), ``land`` and ``total``."""
    if not front.lines:
        total = geodesic_km(front_geometry)
        return {UNCLASSIFIED: total, "total": total}
    lengths = {RIVER: 0.0, LAND: 0.0}
    for part, segment in zip(front.lines, front.segments, strict=True):
        if segment == RIVER:
            # Water between the armies counts in full, estuary included: the
            # generalised outline leaves the lower Dnipro and its estuary out.
            lengths[RIVER] += geodesic_km(part)
        else:
            lengths[LAND] += geodesic_km(shapely.intersection(part, outline))
    lengths["total"] = lengths[RIVER] + lengths[LAND]
    return lengths


def areas_by_region(occupied: BaseGeometry, oblasts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per unit the occupied area enters: its area, the occupied km² and share (equal-area)."""
    hit = oblasts[oblasts.intersects(occupied)]
    pieces = gpd.GeoDataFrame(geometry=hit.geometry.intersection(occupied), crs=oblasts.crs or WGS84)
    table = pd.DataFrame(
        {
            "name_en": hit["name_en"],
            "area_km2": area_km2(hit),
            "occupied_km2": area_km2(pieces),
        }
    )
    table["occupied_share"] = table["occupied_km2"] / table["area_km2"]
    return table[table["occupied_km2"] > 0.5].sort_values("occupied_km2", ascending=False)


def build_snapshot(front: FrontLine, oblasts: gpd.GeoDataFrame) -> Snapshot:
    """Occupied area, per-oblast areas, share of Ukraine and front length for one front line.

    Raises :class:`FrontLineError` for a line that does not divide Ukraine
    (files from :func:`load_frontline` have been checked already).
    """
    outline = ukraine_outline(oblasts)
    if front.lines:
        occupied = occupied_area(shapely.MultiLineString(list(front.lines)), oblasts)
    else:
        occupied = occupied_from_polygons(front.occupied_input, oblasts)
    geometry = front_inside(front, occupied, outline)
    by_region = areas_by_region(occupied, oblasts)
    return Snapshot(
        front=front,
        occupied=occupied,
        front_geometry=geometry,
        occupied_km2=float(by_region["occupied_km2"].sum()),
        ukraine_km2=float(area_km2(oblasts).sum()),
        by_region=by_region,
        length_km=front_lengths(front, geometry, outline),
    )


def snapshot_for(date: str | pd.Timestamp, snapshots: list[Snapshot]) -> Snapshot | None:
    """The snapshot of the latest front line on or before ``date``; None before the first one."""
    when = pd.Timestamp(date)
    earlier = [s for s in snapshots if s.date is not None and s.date <= when]
    return max(earlier, key=lambda s: s.date) if earlier else None


def load_snapshots(oblasts: gpd.GeoDataFrame, catalogue: Path = CATALOGUE_CSV) -> tuple[list[Snapshot], list[Problem]]:
    """Snapshots of every bundled front line, oldest first."""
    fronts, problems = load_bundled(oblasts, catalogue)
    return [build_snapshot(front, oblasts) for front in fronts], problems
