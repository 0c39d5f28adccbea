"""What the export tests share: the hostile source tree, the states they export, and the comparisons.

A comparison exports as the screen shows it: its regions by kind of
difference, both sides' lines, its legend and table, and a caption naming both sides.

The fixtures here (`alaska`, `hostile`, `compared`) are registered for every test
module by `pytest_plugins` in tests/conftest.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fixture_data import hostile_root as hostile_root_base
from fixture_data import read_rows, write_rows

from dashboard import paths
from dashboard.compare import Comparison, build_comparison, compare_sides
from dashboard.mapstate import MapState, build_map_state
from dashboard.sources import SourcePaths, Sources, load_sources

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"  # must reach the page as typed, not evaluated by a template engine
FORMULA = r"$\frac$"  # matplotlib's mathtext would fail on it: drawn as plain text instead
ALL = ["russia", "ukraine", "united_states", "europe"]
DONETSK = "UA-14"
HOSTILE_FRONT = "<img src=x onerror=alert`7`>"  # in the front line's title and sources (brackets would be cut)


@pytest.fixture(scope="module")
def alaska(sources: Sources) -> MapState:
    return build_map_state(sources, "alaska-summit", ALL, shade="russia")


def hostile_root(folder: Path) -> Path:
    """A source tree whose quote, speaker, event title and article title hold markup, a template and a formula."""
    root = hostile_root_base(folder)
    catalogue = root / "data" / "geo" / paths.FRONTLINES_DIR.name / "sources.csv"
    rows = read_rows(catalogue)
    for row in rows:  # every dated line, so whichever is in force at the events carries the markup
        row["title"] = f"Line {HOSTILE_FRONT} {TEMPLATE}"
        row["sources"] = f"Drawn by hand. Sources: {HOSTILE_FRONT} {FORMULA} (aside); {TEMPLATE}."
    write_rows(catalogue, rows)
    return root


def hostile_state(folder: Path) -> tuple[Sources, MapState]:
    """The hostile tree's sources and its map at the first event, Russia shading Donetsk."""
    loaded, problems = load_sources(SourcePaths.under(hostile_root(folder)))
    assert problems == []
    return loaded, build_map_state(loaded, "h1", ["russia", "ukraine"], shade="russia")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sources, MapState]:
    return hostile_state(tmp_path_factory.mktemp("hostile"))


COMPARISONS = {
    "parties": ("russia", "alaska-summit", "ukraine"),  # Russia and Ukraine at the Alaska summit
    "dates": ("russia", "alaska-summit", "putin-conditions-2024"),  # Russia in June 2024 and at Alaska
}


@pytest.fixture(scope="module", params=sorted(COMPARISONS))
def compared(request: pytest.FixtureRequest, sources: Sources) -> Comparison:
    """A comparison as the app draws it and exports it."""
    return build_comparison(sources, *compare_sides(request.param, *COMPARISONS[request.param]))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
