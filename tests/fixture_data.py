"""Small source trees for tests: the mini fixture, copied so a test can break it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard import paths
from dashboard.sources import SourcePaths

MINI = Path(__file__).parent / "fixtures" / "mini"
HOSTILE = Path(__file__).parent / "fixtures" / "export" / "hostile"  # markup, a template and a formula in every text


def mini_root(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini plus the committed oblast files, laid out like the repo."""
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    add_shared_data(root)
    return root


def add_shared_data(root: Path) -> None:
    """The committed geography (oblasts, neighbours, front lines) and an empty fact-check table, under root."""
    geo = root / "data" / "geo"
    geo.mkdir(parents=True)
    shutil.copy(paths.OBLASTS_GEOJSON, geo)
    shutil.copy(paths.NEIGHBOURS_GEOJSON, geo)
    shutil.copytree(paths.FRONTLINES_DIR, geo / paths.FRONTLINES_DIR.name)
    # Test articles hold no figures to check: an empty pairing table.
    header = paths.FACTCHECK_CSV.read_text(encoding="utf-8").splitlines()[0]
    (root / "data" / paths.FACTCHECK_CSV.name).write_text(header + "\n", encoding="utf-8")
    # No corrections yet; the sourcing vocabulary is the project's own unless the tree brings one.
    header = paths.CORRECTIONS_CSV.read_text(encoding="utf-8").splitlines()[0]
    (root / "data" / paths.CORRECTIONS_CSV.name).write_text(header + "\n", encoding="utf-8")
    if not (root / "data" / paths.SOURCING_CSV.name).exists():
        shutil.copy(paths.SOURCING_CSV, root / "data")


def mini_paths(tmp_path: Path) -> SourcePaths:
    """SourcePaths of a fresh copy of the mini fixture."""
    return SourcePaths.under(mini_root(tmp_path))


def set_cell(path: Path, row: int, field: str, value: str) -> None:
    """Change one cell of a CSV file; ``row`` counts data rows from 0."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row][field] = value
    write_rows(path, rows)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Write dict rows back as CSV, keeping the column order of the first row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file as dict rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def hostile_root(folder: Path) -> Path:
    """A source tree whose quote, speaker, note, event and article titles hold markup and script."""
    root = folder / "hostile_root"
    shutil.copytree(HOSTILE, root)
    for name in ("parties.csv", "stances.csv"):
        shutil.copy(MINI / "data" / name, root / "data")
    add_shared_data(root)
    return root
