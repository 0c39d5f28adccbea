"""Where the project's source files live, relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
SHARED_SEEDS_DIR = ROOT.parent / "shared" / "seeds"

MANIFEST_CSV = SEEDS_DIR / "manifest.csv"
CLAIMS_CSV = DATA_DIR / "claims.csv"
EVENTS_CSV = DATA_DIR / "events.csv"
PARTIES_CSV = DATA_DIR / "parties.csv"
STANCES_CSV = DATA_DIR / "stances.csv"
SOURCING_CSV = DATA_DIR / "sourcing.csv"
CORRECTIONS_CSV = DATA_DIR / "corrections.csv"
PUBLISHED_CSV = DATA_DIR / "published.csv"
OBLASTS_GEOJSON = GEO_DIR / "oblasts.geojson"
NEIGHBOURS_GEOJSON = GEO_DIR / "neighbours.geojson"
GAZETTEER_CSV = GEO_DIR / "gazetteer.csv"
OFFICIAL_AREAS_CSV = GEO_DIR / "official_areas.csv"
FRONTLINES_DIR = GEO_DIR / "frontlines"
FRONTLINE_CATALOGUE_CSV = FRONTLINES_DIR / "sources.csv"
FACTCHECK_CSV = DATA_DIR / "factcheck.csv"
