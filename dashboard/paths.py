"""Where the project's source files live: the one resolver every module asks.

The constants name each file in the repository. A data folder laid out like
the repository (``$PEACE_MAP_ROOT``, or a ``--root``) replaces it: ask
:func:`resolve` for the file under the root in use, never join paths by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOT_ENV = "PEACE_MAP_ROOT"  # a folder laid out like the repo (seeds/, data/, data/geo/) to read instead
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
REGION_GROUPS_CSV = GEO_DIR / "region_groups.csv"
FRONTLINES_DIR = GEO_DIR / "frontlines"
FRONTLINE_CATALOGUE_CSV = FRONTLINES_DIR / "sources.csv"
FACTCHECK_CSV = DATA_DIR / "factcheck.csv"

# The app's own files (not data: never under $PEACE_MAP_ROOT). Streamlit serves the folder named static/
# next to the script it runs at /app/static/, so the script and STATIC_DIR stay side by side.
APP_SCRIPT = ROOT / "dashboard" / "app" / "streamlit_app.py"
STATIC_DIR = APP_SCRIPT.parent / "static"
LEAFLET_DIR = STATIC_DIR / "leaflet"  # Leaflet 1.9.3 with its LICENSE: the app, the HTML export and the site use it


def data_root() -> Path:
    """The folder the data is read from and written to: $PEACE_MAP_ROOT when set, else the repository."""
    return Path(os.environ.get(ROOT_ENV) or ROOT)


def resolve(path: Path, root: Path | None = None, *, fallback: bool = False) -> Path:
    """``path`` (one of the repository's files above) in the same place under ``root`` (default: data_root()).

    With ``fallback``, a file that ``root`` does not hold is read from the
    repository: for lists a data folder need only hold when it changes them
    (the extractor's cues, the region groups). Required data never falls back:
    a missing file is reported, not silently replaced.
    """
    root = data_root() if root is None else Path(root)
    moved = root / path.relative_to(ROOT)
    return path if fallback and not moved.is_file() else moved
