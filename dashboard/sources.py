"""Load every source file into one validated bundle, or report every problem at once."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard import claims as claim_files
from dashboard import geo, paths
from dashboard.frontline import Snapshot, load_snapshots
from dashboard.geo_json import round_geometry
from dashboard.problems import Problem
from dashboard.quantities import load_factcheck

ROOT_ENV = "PEACE_MAP_ROOT"  # a folder laid out like the repo (seeds/, data/, data/geo/) to read instead


@dataclass(frozen=True)
class SourcePaths:
    """Where to read each source; tests point these at small fixtures."""

    seeds_dir: Path = paths.SEEDS_DIR
    manifest: Path = paths.MANIFEST_CSV
    claims: Path = paths.CLAIMS_CSV
    events: Path = paths.EVENTS_CSV
    parties: Path = paths.PARTIES_CSV
    stances: Path = paths.STANCES_CSV
    oblasts: Path = paths.OBLASTS_GEOJSON
    neighbours: Path = paths.NEIGHBOURS_GEOJSON
    frontlines: Path = paths.FRONTLINE_CATALOGUE_CSV
    factcheck: Path = paths.FACTCHECK_CSV

    @classmethod
    def under(cls, root: Path) -> SourcePaths:
        """The same layout (seeds/, data/, data/geo/) under another folder."""
        data, geo_dir = root / "data", root / "data" / "geo"
        return cls(
            seeds_dir=root / "seeds",
            manifest=root / "seeds" / paths.MANIFEST_CSV.name,
            claims=data / paths.CLAIMS_CSV.name,
            events=data / paths.EVENTS_CSV.name,
            parties=data / paths.PARTIES_CSV.name,
            stances=data / paths.STANCES_CSV.name,
            oblasts=geo_dir / paths.OBLASTS_GEOJSON.name,
            neighbours=geo_dir / paths.NEIGHBOURS_GEOJSON.name,
            frontlines=geo_dir / paths.FRONTLINES_DIR.name / paths.FRONTLINE_CATALOGUE_CSV.name,
            factcheck=data / paths.FACTCHECK_CSV.name,
        )

    @classmethod
    def from_env(cls) -> SourcePaths:
        """The repository's files, or those under $PEACE_MAP_ROOT (used by tests and newsroom copies)."""
        root = os.environ.get(ROOT_ENV, "")
        return cls.under(Path(root)) if root else cls()

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Size and modification time of every source: changes when any file is edited."""
        files = [self.manifest, self.claims, self.events, self.parties, self.stances, self.oblasts, self.neighbours]
        files += [self.frontlines, self.factcheck]
        files += sorted(self.seeds_dir.glob("*.txt")) if self.seeds_dir.is_dir() else []
        files += sorted(self.frontlines.parent.glob("*.geojson")) if self.frontlines.parent.is_dir() else []
        stats = []
        for file in files:
            try:
                stat = file.stat()
                stats.append((str(file), stat.st_size, stat.st_mtime_ns))
            except OSError:
                stats.append((str(file), -1, -1))
        return tuple(stats)


@dataclass(frozen=True)
class Sources:
    """Everything the dashboard draws from, validated and cross-checked."""

    parties: pd.DataFrame
    stances: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    manifest: pd.DataFrame
    oblasts: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    areas_km2: pd.Series
    shapes: dict[str, dict]  # region code -> rounded GeoJSON geometry, prepared once for every step
    snapshots: tuple[Snapshot, ...] = ()  # dated front lines with their area arithmetic, oldest first
    factcheck: pd.DataFrame | None = None  # reviewed pairings of the articles' figures with computations
    completed: dict = field(default_factory=dict, compare=False, repr=False)  # see mapstate.party_position


def load_sources(where: SourcePaths | None = None) -> tuple[Sources | None, list[Problem]]:
    """Read and validate all sources; return the bundle only when there is no problem."""
    where = where or SourcePaths()
    problems: list[Problem] = []
    parties, found = claim_files.load_parties(where.parties)
    problems += found
    stances, found = claim_files.load_stances(where.stances)
    problems += found
    events, found = claim_files.load_events(where.events, where.seeds_dir)
    problems += found
    oblasts, found = geo.load_oblasts(where.oblasts)
    problems += found
    problems += geo.load_region_groups()[1]  # the gazetteer's groups ("Donbas"): read by the app and the extractor
    neighbours, found = geo.load_neighbours(where.neighbours)
    problems += found
    manifest = None
    if events is not None:
        manifest, found = claim_files.load_manifest(where.manifest, seeds_dir=where.seeds_dir, events=events)
        problems += found
    table, found = claim_files.load_claims(
        where.claims,
        seeds_dir=where.seeds_dir,
        events=events,
        parties=parties,
        stances=stances,
        region_codes=None if oblasts is None else set(oblasts.index),
    )
    problems += found
    snapshots: list[Snapshot] = []
    factcheck = None
    if oblasts is not None and not problems:
        snapshots, found = load_snapshots(oblasts, where.frontlines)
        problems += found
        factcheck, found = load_factcheck(where.factcheck, seeds_dir=where.seeds_dir, events=events)
        problems += found
    if problems:
        return None, problems
    shapes = {code: round_geometry(shape) for code, shape in oblasts.geometry.items()}
    bundle = Sources(
        parties,
        stances,
        events,
        table,
        manifest,
        oblasts,
        neighbours,
        geo.area_km2(oblasts),
        shapes,
        tuple(snapshots),
        factcheck,
    )
    return bundle, []


@functools.lru_cache(maxsize=4)
def load_sources_once(where: SourcePaths, fingerprint: tuple) -> tuple[Sources | None, list[Problem]]:
    """:func:`load_sources`, once per version of the files for the whole process.

    ``fingerprint`` is ``where.fingerprint()``: an edited file reloads. Shared
    by every session of the app and by ``dashboard.serve``, which loads the
    data before the server takes its first page.
    """
    return load_sources(where)
