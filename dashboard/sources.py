"""Load every source file into one validated bundle, or report every problem at once."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard import claims as claim_files
from dashboard import geo, paths
from dashboard.cache import LruCache, positions_cache
from dashboard.corrections import load_corrections
from dashboard.frontline import Snapshot, load_snapshots, snapshot_for
from dashboard.geo_json import round_geometry
from dashboard.problems import Problem, display_name
from dashboard.proposals import NEGLIGIBLE_KM2
from dashboard.quantities import load_factcheck

ROOT_ENV = paths.ROOT_ENV  # kept here too: callers and tests name it from the sources


@dataclass(frozen=True)
class SourcePaths:
    """Where to read each source; tests point these at small fixtures."""

    seeds_dir: Path = paths.SEEDS_DIR
    manifest: Path = paths.MANIFEST_CSV
    claims: Path = paths.CLAIMS_CSV
    events: Path = paths.EVENTS_CSV
    parties: Path = paths.PARTIES_CSV
    stances: Path = paths.STANCES_CSV
    sourcing: Path = paths.SOURCING_CSV
    corrections: Path = paths.CORRECTIONS_CSV
    oblasts: Path = paths.OBLASTS_GEOJSON
    neighbours: Path = paths.NEIGHBOURS_GEOJSON
    frontlines: Path = paths.FRONTLINE_CATALOGUE_CSV
    factcheck: Path = paths.FACTCHECK_CSV

    @classmethod
    def under(cls, root: Path) -> SourcePaths:
        """The same layout (seeds/, data/, data/geo/) under another folder."""
        return cls(*(paths.resolve(path, root) for path in dataclasses.astuple(cls())))

    @classmethod
    def from_env(cls) -> SourcePaths:
        """The repository's files, or those under $PEACE_MAP_ROOT (used by tests and newsroom copies)."""
        return cls.under(paths.data_root())

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Size and modification time of every source: changes when any file is edited."""
        files = [self.manifest, self.claims, self.events, self.parties, self.stances, self.sourcing, self.corrections]
        files += [self.oblasts, self.neighbours]
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
    sourcing: pd.DataFrame | None = None  # how a claim is sourced: the closed vocabulary of data/sourcing.csv
    corrections: pd.DataFrame | None = None  # the corrections log, newest last
    # bounded and thread-safe: the warm-up thread and every session write it (see mapstate.party_position)
    completed: LruCache = field(default_factory=positions_cache, compare=False, repr=False)

    def sourcing_labels(self) -> dict[str, str]:
        """Sourcing id -> its label (Stated, Second-hand, …), from data/sourcing.csv."""
        return {} if self.sourcing is None else self.sourcing["label"].to_dict()

    def own_word(self, sourcing: str) -> bool:
        """Whether a sourcing id is the party's own word; unknown or empty counts as own (nothing to flag)."""
        if self.sourcing is None or sourcing not in self.sourcing.index:
            return True
        return bool(self.sourcing.at[sourcing, "own_word"])


def load_sources(where: SourcePaths | None = None) -> tuple[Sources | None, list[Problem]]:
    """Read and validate all sources; return the bundle only when there is no problem."""
    where = where or SourcePaths()
    problems: list[Problem] = []
    parties, found = claim_files.load_parties(where.parties)
    problems += found
    stances, found = claim_files.load_stances(where.stances)
    problems += found
    sourcing, found = claim_files.load_sourcing(where.sourcing)
    problems += found
    events, found = claim_files.load_events(where.events, where.seeds_dir, parties)
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
        sourcing=sourcing,
    )
    problems += found
    corrections, found = load_corrections(where.corrections)
    problems += found
    snapshots: list[Snapshot] = []
    factcheck = None
    if oblasts is not None and not problems:
        snapshots, found = load_snapshots(oblasts, where.frontlines)
        problems += found
        factcheck, found = load_factcheck(where.factcheck, seeds_dir=where.seeds_dir, events=events)
        problems += found
        if table is not None:
            held = held_at_claims(table, snapshots)
            problems += claim_files.withdrawal_problems(table, display_name(where.claims), held, NEGLIGIBLE_KM2)
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
        sourcing,
        corrections,
    )
    return bundle, []


def held_at_claims(claims: pd.DataFrame, snapshots: list[Snapshot]) -> dict[str, dict[str, float]]:
    """For each claim dated on or after the first front line: km² Ukraine holds per region on that line."""
    per_line: dict[int, dict[str, float]] = {}  # one subtraction per front line, not per claim
    held = {}
    for claim, date in claims["date"].items():
        snapshot = snapshot_for(date, snapshots)
        if snapshot is not None:
            if id(snapshot) not in per_line:
                by_region = snapshot.by_region
                per_line[id(snapshot)] = (by_region["area_km2"] - by_region["occupied_km2"]).to_dict()
            held[claim] = per_line[id(snapshot)]
    return held


_OWN_WORD = LruCache(max_entries=4)  # id(full bundle) -> (full, filtered); holding the bundle keeps its id unique


def own_word_only(sources: Sources) -> Sources:
    """The same bundle with only the positions the parties stated or that were reported as theirs.

    Second-hand and inferred claims are left out, so each party's position
    falls back to the latest one it gave in its own words. One filtered
    bundle per loaded bundle, shared by every session (it has its own
    completed-line cache, since the positions differ).
    """

    def make() -> tuple[Sources, Sources]:
        own = sources.claims[sources.claims["own_word"]]
        return sources, dataclasses.replace(sources, claims=own, completed=positions_cache())

    return _OWN_WORD.get_or_make(id(sources), make)[1]


@functools.lru_cache(maxsize=4)
def load_sources_once(where: SourcePaths, fingerprint: tuple) -> tuple[Sources | None, list[Problem]]:
    """:func:`load_sources`, once per version of the files for the whole process.

    ``fingerprint`` is ``where.fingerprint()``: an edited file reloads. Shared
    by every session of the app and by ``dashboard.app.serve``, which loads the
    data before the server takes its first page.
    """
    return load_sources(where)
